"""Remember the language each person uses the site in, so that what is sent to them later
(inbox messages, e-mails, also from background jobs) is written in it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from stagebrug.accounts import services


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
