"""Pages of the platform itself: about the data, privacy, and the error pages."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

UNAVAILABLE = _("Stagebrug cannot reach its database for a moment. Please try again in a minute.")
SERVER_ERROR = _("Something went wrong on our side; it has been logged. Please try again later.")


def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about_data.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


#: The database did not answer: a connection that broke, a server that restarts or fails over.
DATABASE_AWAY = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. When the database is away for a moment, say so with 503 and when to try
    again, in the user's language; the request's transaction was rolled back, so nothing is
    half-written, and the next request opens a new connection (the broken one is closed at the
    end of this one). The pages are rendered without the request's context: that would ask the
    database again. Anything else is the plain 500 page."""
    error = sys.exc_info()[1]
    api = request.path.startswith("/api/")
    if isinstance(error, DATABASE_AWAY):
        if api:
            response = JsonResponse({"detail": str(UNAVAILABLE)}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if api:
        return JsonResponse({"detail": str(SERVER_ERROR)}, status=500)
    return HttpResponse(render_to_string("500.html"), status=500)
