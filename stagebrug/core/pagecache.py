"""Public pages for visitors who are not logged in, from a cache.

Most visits to the search page and to a placement's page come from people who are not logged
in, and many ask the same thing (the first page of results, a placement shared on social
media). `public_page_cache` keeps such a page for `PAGE_CACHE_SECONDS` (60 by default; 0 turns
it off) in the web process's memory (the "pages" cache: at most 200 pages, apart from the shared
cache that holds the login counts), per address and language, and serves it again without
running the view: a rendered page costs tens of milliseconds, a cached one about one.

What differs per visitor is never cached: the page is rendered with a placeholder where the
CSRF token goes (`context`), and each response gets the visitor's own token in its place.
Only GET and HEAD requests without a session cookie and outside htmx are cached; anything
logged in, any form post, and any response that is not a plain 200 goes through as before.
A change to a placement shows to visitors who are not logged in within that minute.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

PLACEHOLDER = "csrf-token-of-this-visitor"
_RENDERING = "_page_cache_rendering"


def context(request: HttpRequest) -> dict[str, Any]:
    """Context processor (after Django's csrf one): the placeholder while a cached page is
    rendered."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, _RENDERING, False) else {}


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def _key(request: HttpRequest) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{get_language()}:{address}"


def _personal(content: bytes, request: HttpRequest) -> bytes:
    return content.replace(PLACEHOLDER.encode(), get_token(request).encode())


def public_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cache = caches["pages"]
        cached = cache.get(key)
        if cached is None:
            setattr(request, _RENDERING, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _RENDERING, False)
            if response.streaming:
                return response
            if response.status_code != 200 or response.cookies:
                response.content = _personal(response.content, request)
                return response
            cached = (response.content, response["Content-Type"])
            cache.set(key, cached, settings.PAGE_CACHE_SECONDS)
        content, content_type = cached
        return HttpResponse(_personal(content, request), content_type=content_type)

    return wrapped
