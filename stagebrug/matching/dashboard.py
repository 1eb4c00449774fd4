"""Matching rounds' links on a person's dashboard (`accounts.hooks.membership_links`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Link
from stagebrug.accounts.models import Membership, Role


def membership_links(*, membership: Membership) -> list[Link]:
    if membership.role == Role.STUDENT:
        return [Link(_("Matching rounds"), reverse("matching:student_rounds"))]
    if membership.role == Role.SCHOOL_COORDINATOR:
        return [
            Link(
                _("Matching rounds"),
                reverse("matching:round_list", args=[membership.institution.slug]),
            )
        ]
    return []
