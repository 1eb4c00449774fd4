"""Bad input is answered with 400 and a clear page, never a server error."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class BadInputMiddleware:
    """Numbers too large for the database (an id or page like 10**20 in a form or URL) raise
    OverflowError deep in the database driver; answer them as the bad input they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            return render(request, "400.html", status=400)
        return None
