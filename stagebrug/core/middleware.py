"""Bad input is answered with 400 and a reason, never a server error."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.shortcuts import render

NUL = "\x00"
#: `\u0000` in a JSON text after an even number of backslashes (an odd number would escape the
#: backslash itself): a string that decodes to a NUL.
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
#: What reading a body may raise; the view meets the same error and answers it in its own way.
UNREADABLE = (
    BadRequest,
    MultiPartParserError,
    RawPostDataException,
    RequestDataTooBig,
    TooManyFieldsSent,
)


class BadInputMiddleware:
    """Input no database column can hold is refused here, in one place, before any view passes
    it to the database:

    - a NUL character in a path segment, a query parameter, a form field or a JSON string
      (PostgreSQL text cannot contain one; the query failed with a 500) is a 400 naming where
      it was: the API's error shape for /api/, the 400 page otherwise;
    - a session cookie with a NUL is no session key: the request is served without a session,
      and the cookie is deleted on the way out;
    - numbers too large for the database (an id or page like 10**20 in a form or URL) raise
      OverflowError deep in the database driver; they are answered as the bad input they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""):
            # Read lazily, so nothing has looked the key up yet.
            request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        where = null_character_in(request, view_args, view_kwargs)
        if where is None:
            return None
        if "api" in request.resolver_match.namespaces:
            message = str(ProhibitNullCharactersValidator.message)
            return JsonResponse({"detail": message, "errors": {where: [message]}}, status=400)
        return render(request, "400.html", status=400)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            return render(request, "400.html", status=400)
        return None


def null_character_in(
    request: HttpRequest, view_args: tuple[Any, ...], view_kwargs: dict[str, Any]
) -> str | None:
    """The name of the path parameter, query parameter, form field or JSON field holding a NUL
    character, or None."""
    for name, value in view_kwargs.items():
        if isinstance(value, str) and NUL in value:
            return name
    if any(isinstance(value, str) and NUL in value for value in view_args) or NUL in request.path:
        return "path"
    found = _in_pairs(request.GET.lists())
    if found is not None or request.method in ("GET", "HEAD", "OPTIONS"):
        return found
    try:
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            return _in_pairs(request.POST.lists())  # files are not looked at
        if request.content_type == "application/json" or request.content_type.endswith("+json"):
            body = request.body
            if NUL.encode() in body or JSON_NUL.search(body):
                return _in_json(body)
    except UNREADABLE:
        return None
    return None


def _in_pairs(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    for name, values in pairs:
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "")
    return None


def _in_json(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return "body"
    return _json_path(data) or "body"


def _json_path(data: Any) -> str | None:
    """The dotted path of the first string (or key) holding a NUL, as the API names fields."""
    items: Iterable[tuple[Any, Any]]
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        name = str(key).replace(NUL, "")
        if NUL in str(key) or (isinstance(value, str) and NUL in value):
            return name
        inner = _json_path(value)
        if inner is not None:
            return f"{name}.{inner}"
    return None
