"""Students' and applications' links on a person's dashboard
(`accounts.hooks.membership_links`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Link
from stagebrug.accounts.models import Membership, Role


def membership_links(*, membership: Membership) -> list[Link]:
    if membership.role == Role.STUDENT:
        return [
            Link(_("My student profile"), reverse("applications:profile")),
            Link(_("Placements that fit you"), reverse("recommend:student")),
            Link(_("My applications"), reverse("applications:mine")),
        ]
    if membership.role in (Role.SCHOOL_COORDINATOR, Role.SCHOOL_SUPERVISOR):
        institution = membership.institution
        return [
            Link(
                _("Students of %(school)s")
                % {"school": institution.short_name or institution.name},
                reverse("applications:school_students", args=[institution.slug]),
            )
        ]
    return []
