"""Internships on a person's dashboard (`accounts.hooks.dashboard_cards`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Card
from stagebrug.accounts.models import Membership, User
from stagebrug.internships.models import Internship


def dashboard_cards(*, user: User, memberships: list[Membership]) -> list[Card]:
    interns = list(
        Internship.objects.filter(supervisor__user=user)
        .select_related("student", "placement__company")
        .order_by("-created_at")[:50]
    )
    if not interns:
        return []
    return [Card(_("Your interns"), "internships/partials/interns_card.html", {"interns": interns})]
