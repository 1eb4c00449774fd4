"""The account in the API: a person's own data export (AVG art. 15 and 20), the same as the
"My data" page's download."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from stagebrug.accounts import services
from stagebrug.accounts.api_auth import AUTH

router = Router(tags=["Account"])


@router.get("/me/data", response=dict[str, Any], auth=AUTH)
def my_data(request: HttpRequest):
    """Everything Stagebrug keeps about you: your account, your roles, what each part of
    Stagebrug holds about you, and the changes you made."""
    return services.user_export(user=request.user)
