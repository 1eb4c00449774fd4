"""Who is calling the API: the browser session (with CSRF), or a personal API token sent as
`Authorization: Bearer sb_...`. Every router's protected endpoints use `AUTH`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from stagebrug.accounts.services import api_token_authenticate
from stagebrug.core import doors


class TokenAuth(HttpBearer):
    """A client that sent too many unknown tokens is refused for a while, even with a good one
    (429 with the reason: stagebrug.core.doors.TOKEN_GUESS)."""

    def authenticate(self, request: HttpRequest, token: str):
        if doors.is_shut(request, doors.TOKEN_GUESS):
            raise HttpError(429, doors.message(doors.TOKEN_GUESS))
        user = api_token_authenticate(token)
        if user is None:
            doors.knock(request, doors.TOKEN_GUESS)
        else:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]
