"""What the logbook, progress and evaluations register with the floors below (see
`core.hooks`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Link
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship, Status


def internship_links(*, internship: Internship, user: User) -> list[Link]:
    """On the internship's page: the logbook with its progress, and the evaluations."""
    if not can.roles(user, internship) or internship.status == Status.CONFIRMED:
        return []
    return [
        Link(_("Logbook and progress"), reverse("supervision:logbook", args=[internship.pk])),
        Link(
            _("Mid-term evaluation"),
            reverse("supervision:evaluation", args=[internship.pk, "midterm"]),
        ),
        Link(
            _("Final evaluation"), reverse("supervision:evaluation", args=[internship.pk, "final"])
        ),
    ]


def membership_links(*, membership: Membership) -> list[Link]:
    if membership.role == Role.SCHOOL_SUPERVISOR:
        return [Link(_("My interns"), reverse("supervision:caseload"), True)]
    if membership.role == Role.SCHOOL_COORDINATOR and membership.institution_id:
        return [
            Link(
                _("Supervision: what needs attention"),
                reverse("supervision:school_overview", args=[membership.institution.slug]),
                True,
            )
        ]
    return []


def personal_data(*, user: User) -> dict:
    from stagebrug.supervision.evaluations.selectors import personal_data as evaluations
    from stagebrug.supervision.logbook.selectors import personal_data as logbook

    return logbook(user=user) | evaluations(user=user)


def register() -> None:
    """Called from `SupervisionConfig.ready`."""
    from stagebrug.accounts import hooks as accounts
    from stagebrug.agreements import hooks as agreements
    from stagebrug.core.hooks import recurring_jobs
    from stagebrug.internships import hooks as internships
    from stagebrug.supervision.evaluations import services as evaluations
    from stagebrug.supervision.logbook import services as logbook
    from stagebrug.supervision.progress import services, tasks

    internships.internships_confirmed.register(services.progress_plan)
    internships.internships_confirmed.register(evaluations.evaluations_plan)
    internships.dates_changed.register(services.progress_redate)
    internships.dates_changed.register(evaluations.evaluations_redate)
    agreements.agreement_signed.register(services.progress_signed)
    agreements.agreement_signed.register(evaluations.evaluations_signed)
    internships.page_links.register(internship_links)
    accounts.membership_links.register(membership_links)
    accounts.personal_data.register(personal_data)
    accounts.erasing.register(logbook.personal_data_erase)
    accounts.erasing.register(evaluations.personal_data_erase)
    recurring_jobs.register(tasks.supervision_morning)
