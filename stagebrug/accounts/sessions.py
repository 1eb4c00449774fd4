"""How long a login lasts. School staff and operators see the data of many students, often
minors: their login ends after a working day (settings.STAFF_SESSION_HOURS, 8 by default),
counted from when they logged in, whatever they do in between. Everyone else stays logged in
for two weeks (Django's SESSION_COOKIE_AGE) unless they log out."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from stagebrug.accounts.models import Membership, Role, User

STAFF_ROLES = (Role.SCHOOL_COORDINATOR, Role.SCHOOL_SUPERVISOR, Role.OPERATOR)


def is_staff_person(user: User) -> bool:
    return user.is_superuser or Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists()


def on_login(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """`user_logged_in`: a staff login gets the short session."""
    if request is not None and hasattr(request, "session") and is_staff_person(user):
        request.session.set_expiry(settings.STAFF_SESSION_HOURS * 60 * 60)
