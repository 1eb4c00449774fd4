"""What the contacts part of supervision registers with the floors below (see `core.hooks`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Link
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.internships.models import Internship
from stagebrug.supervision.contacts import permissions as can


def internship_links(*, internship: Internship, user: User) -> list[Link]:
    """On the internship's page: its contact moments, for every party."""
    if not can.can_view(user, internship):
        return []
    return [Link(_("Contact moments"), reverse("supervision:contacts", args=[internship.pk]))]


def membership_links(*, membership: Membership) -> list[Link]:
    """On a coordinator's dashboard: the school's internships that miss a contact moment."""
    if membership.role == Role.SCHOOL_COORDINATOR and membership.institution_id:
        return [
            Link(
                _("Contact moments to follow up"),
                reverse("supervision:contacts_compliance", args=[membership.institution.slug]),
            )
        ]
    return []


def register() -> None:
    """Called from `SupervisionConfig.ready`."""
    from stagebrug.accounts import hooks as accounts
    from stagebrug.agreements import hooks as agreements
    from stagebrug.core.hooks import recurring_jobs
    from stagebrug.internships import hooks as internships
    from stagebrug.supervision.contacts import selectors, services, tasks

    internships.internships_confirmed.register(services.contact_moments_confirmed)
    internships.dates_changed.register(services.contact_moments_redate)
    agreements.agreement_signed.register(services.contact_moments_signed)
    internships.page_links.register(internship_links)
    accounts.membership_links.register(membership_links)
    accounts.personal_data.register(selectors.personal_data)
    accounts.erasing.register(services.personal_data_erase)
    recurring_jobs.register(tasks.contact_moment_reminders)
