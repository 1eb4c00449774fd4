"""Account middleware: the second step of a login, and the language each person uses."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from stagebrug.accounts import second_factor, services

#: What a login with a pending second step may open: the step itself and the way out.
OPEN_DURING_SECOND_STEP = {
    "accounts:second_factor_verify",
    "accounts:second_factor_setup",
    "accounts:second_factor_codes",
    "accounts:logout",
    "set_language",
}


class SecondFactorMiddleware:
    """After AuthenticationMiddleware: a login whose second step is pending (see
    stagebrug.accounts.second_factor) opens only that step. Every other page sends the person
    there and back afterwards; the API treats the session as not logged in. Costs nothing
    for everyone else: the step is a value in the session, which is read anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        step = second_factor.pending_step(request)
        if step is None or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match.view_name in OPEN_DURING_SECOND_STEP:
            return None
        if "api" in match.namespaces:
            request.user = AnonymousUser()
            return None
        view = (
            "accounts:second_factor_verify"
            if step == second_factor.VERIFY
            else "accounts:second_factor_setup"
        )
        target = f"{reverse(view)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


class RememberLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: when a logged-in person is shown a
    page in another language than the one on record, record it (one UPDATE, only on a
    change). API calls do not count: a script's language says nothing about its owner's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            services.user_remember_language(
                user=user, language=getattr(request, "LANGUAGE_CODE", None)
            )
        return response
