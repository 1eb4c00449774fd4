"""The registry's links on a person's dashboard (`accounts.hooks.membership_links`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Link
from stagebrug.accounts.models import Membership, Role


def membership_links(*, membership: Membership) -> list[Link]:
    links: list[Link] = []
    if membership.company_id:
        company = membership.company
        if company.registration_step != "done" and membership.role == Role.COMPANY_OWNER:
            links.append(
                Link(_("Finish your registration"), reverse("registry:register_start"), True)
            )
        links.append(Link(_("Company page"), company.get_absolute_url()))
    elif membership.institution_id and membership.role != Role.STUDENT:
        institution = membership.institution
        links.append(Link(_("School page"), institution.get_absolute_url()))
        if membership.role == Role.SCHOOL_COORDINATOR:
            links.append(
                Link(
                    _("Manage programmes and staff"),
                    reverse("registry:institution_manage", args=[institution.slug]),
                )
            )
    return links
