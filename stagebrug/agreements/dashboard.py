"""Agreements on a person's dashboard (`accounts.hooks.membership_links`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Link
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.agreements.models import Agreement, Status
from stagebrug.internships.models import Internship


def membership_links(*, membership: Membership) -> list[Link]:
    if membership.role == Role.SCHOOL_COORDINATOR:
        return [
            Link(
                _("Agreements"),
                reverse("agreements:school_list", args=[membership.institution.slug]),
            )
        ]
    return []


def internship_links(*, internship: Internship, user: User) -> list[Link]:
    """The agreement on the internship's page, with its status; the primary action when it
    waits for this person (a part to fill in, a signature)."""
    agreement = Agreement.objects.filter(internship=internship).first()
    if agreement is None:
        return [
            Link(_("Agreement: not drafted yet"), reverse("agreements:page", args=[internship.pk]))
        ]
    label = _("Agreement: %(status)s") % {"status": agreement.get_status_display().lower()}
    waiting = agreement.status in (Status.DRAFT, Status.SIGNING, Status.AMENDING)
    return [Link(label, reverse("agreements:page", args=[internship.pk]), primary=waiting)]
