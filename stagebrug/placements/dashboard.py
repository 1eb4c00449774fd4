"""Placements' links on a person's dashboard (`accounts.hooks.membership_links`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Link
from stagebrug.accounts.models import Membership, Role


def membership_links(*, membership: Membership) -> list[Link]:
    if membership.company_id:
        return [
            Link(_("Placements"), reverse("placements:company_list", args=[membership.company_id]))
        ]
    if membership.role == Role.SCHOOL_COORDINATOR:
        return [
            Link(
                _("Placements to review"),
                reverse("placements:review_list", args=[membership.institution.slug]),
            )
        ]
    return []
