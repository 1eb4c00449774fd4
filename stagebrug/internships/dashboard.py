"""Internships on a person's dashboard (`accounts.hooks.membership_links` and
`accounts.hooks.dashboard_cards`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Card, Link
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.internships import selectors

CARD_LIMIT = 20


def membership_links(*, membership: Membership) -> list[Link]:
    if membership.role == Role.STUDENT:
        return [Link(_("My internship"), reverse("internships:mine"))]
    if membership.role in (Role.COMPANY_OWNER, Role.COMPANY_MEMBER):
        return [
            Link(_("Interns"), reverse("internships:company_list", args=[membership.company_id]))
        ]
    if membership.role == Role.SCHOOL_COORDINATOR:
        return [
            Link(
                _("Internships"),
                reverse("internships:school_list", args=[membership.institution.slug]),
            )
        ]
    return []


def dashboard_cards(*, user: User, memberships: list[Membership]) -> list[Card]:
    """The interns someone supervises at work, and the internships they supervise for the
    school: what they open every day, so first on the page after their roles."""
    cards = []
    interns = list(selectors.supervised_by(user=user)[:CARD_LIMIT])
    if interns:
        cards.append(
            Card(
                _("Your interns"),
                "internships/partials/interns_card.html",
                {"internships": interns},
            )
        )
    assigned = list(selectors.assigned_to(user=user)[:CARD_LIMIT])
    if assigned:
        cards.append(
            Card(
                _("Internships you supervise for the school"),
                "internships/partials/interns_card.html",
                {"internships": assigned, "show_company": True},
            )
        )
    return cards
