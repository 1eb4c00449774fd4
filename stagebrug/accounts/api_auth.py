"""Who is calling the API: the browser session (with CSRF), or a personal API token sent as
`Authorization: Bearer sb_...`. Every router's protected endpoints use `AUTH`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from stagebrug.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]
