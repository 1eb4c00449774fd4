"""One place decides whether an htmx request gets a partial or the full page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render `partial` for htmx requests that target part of the page, else the full page.

    A boosted navigation (hx-boost) wants the whole page, so only non-boosted htmx requests
    get the fragment.
    """
    if partial and is_partial(request):
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)


def is_partial(request: HttpRequest) -> bool:
    """An htmx request that targets part of the page (a boosted navigation wants it whole)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted
