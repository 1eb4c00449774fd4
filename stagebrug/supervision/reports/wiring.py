"""What the reports part of supervision registers with the floors below (see `core.hooks`).

The business never gets a link: the internship page's link is for the student and the school,
and the dashboard's are for school staff."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from stagebrug.accounts.hooks import Card, Link
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.internships.models import Internship

SCHOOL_ROLES = (Role.SCHOOL_COORDINATOR, Role.SCHOOL_SUPERVISOR)


def internship_links(*, internship: Internship, user: User) -> list[Link]:
    """The student: "report something to your school". The school: the internship's reports,
    when one is open. Nobody at the business."""
    from stagebrug.supervision.reports import permissions as can
    from stagebrug.supervision.reports import selectors

    if can.may_file(user, internship):
        return [
            Link(
                _("Report something to your school, confidentially"),
                reverse("supervision:report_new", args=[internship.pk]),
            )
        ]
    if can.is_school_reader(user, internship):
        count = selectors.open_reports_count(user=user, internship=internship)
        if count:
            url = reverse("supervision:reports_school", args=[internship.institution.slug])
            return [
                Link(
                    _("Confidential reports of this student (%(n)s open)") % {"n": count},
                    f"{url}?stagiair={internship.pk}",
                    True,
                )
            ]
    return []


def membership_links(*, membership: Membership) -> list[Link]:
    if membership.role in SCHOOL_ROLES and membership.institution_id:
        return [
            Link(
                _("Confidential reports"),
                reverse("supervision:reports_school", args=[membership.institution.slug]),
            )
        ]
    return []


def dashboard_cards(*, user: User, memberships: list[Membership]) -> list[Card]:
    """School staff with reports still open see them first."""
    from stagebrug.supervision.reports import selectors

    schools = {
        m.institution_id: m.institution
        for m in memberships
        if m.role in SCHOOL_ROLES and m.institution_id
    }
    if not schools:
        return []
    count = selectors.open_reports_count(user=user)
    if not count:
        return []
    return [
        Card(
            _("Confidential reports"),
            "supervision/reports/partials/dashboard_card.html",
            {"count": count, "schools": list(schools.values())},
        )
    ]


def register() -> None:
    """Called from `SupervisionConfig.ready`."""
    from stagebrug.accounts import hooks as accounts
    from stagebrug.internships import hooks as internships
    from stagebrug.supervision.reports import selectors, services

    internships.page_links.register(internship_links)
    accounts.membership_links.register(membership_links)
    accounts.dashboard_cards.register(dashboard_cards)
    accounts.personal_data.register(selectors.personal_data)
    accounts.erasing.register(services.personal_data_erase)
