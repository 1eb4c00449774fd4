"""What supervision's attendance part registers with the floors below (see `core.hooks`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagebrug.accounts.hooks import Card, Link
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship

CARD_LIMIT = 10


def internship_links(*, internship: Internship, user: User) -> list[Link]:
    """On the internship's page: today's marks for the workplace supervisor, and the
    attendance page (with "sick or late?" for the student) for every party."""
    roles = can.roles(user, internship)
    if internship.status == "confirmed":
        return []
    links = []
    if can.WORKPLACE_SUPERVISOR in roles and internship.status == "active":
        links.append(Link(_("Mark today's attendance"), reverse("supervision:today"), True))
    label = (
        _("Sick or late? Attendance and hours")
        if can.STUDENT in roles and internship.status == "active"
        else _("Attendance and hours")
    )
    links.append(Link(label, reverse("supervision:attendance", args=[internship.pk])))
    return links


WEEKDAY_LABELS = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)


def when_to_call(*, internship: Internship, user: User) -> list[Card]:
    """Who to go to, and when (W9, W10, W19): the working days, the workplace's rule for sick
    or late from the signed agreement, and for the workplace the student's phone number."""
    from stagebrug.supervision.services import signed_content, student_phone

    roles = can.roles(user, internship)
    content = signed_content(internship)
    if not content:
        return []
    rules_data = (content.get("workplace_rules") or {}).get("data") or {}
    sees_phone = roles & {can.WORKPLACE_SUPERVISOR, can.BUDDY, can.SCHOOL_SUPERVISOR}
    return [
        Card(
            _("When to call"),
            "supervision/partials/when_to_call.html",
            {
                "work_days": [
                    {"label": WEEKDAY_LABELS[d.weekday], "start": d.start, "end": d.end}
                    for d in internship.work_days.all()
                ],
                "sick_and_late": str(rules_data.get("sick_and_late") or ""),
                "phone": student_phone(content) if sees_phone else "",
                "for_student": can.STUDENT in roles,
            },
        )
    ]


def membership_links(*, membership: Membership) -> list[Link]:
    if membership.role == Role.COMPANY_SUPERVISOR:
        return [Link(_("Your interns today"), reverse("supervision:today"), True)]
    if membership.role in (Role.COMPANY_OWNER, Role.COMPANY_MEMBER):
        return [
            Link(
                _("Hours record of all interns (CSV)"),
                reverse("supervision:company_hours", args=[membership.company_id]),
            )
        ]
    if membership.role == Role.SCHOOL_COORDINATOR:
        return [
            Link(
                _("Supervision settings"),
                reverse("supervision:school_settings", args=[membership.institution.slug]),
            )
        ]
    return []


def dashboard_cards(*, user: User, memberships: list[Membership]) -> list[Card]:
    """Someone who supervises a running internship sees "today" first on their dashboard."""
    from stagebrug.supervision.selectors import supervised_running

    if not supervised_running(user=user).exists():
        return []
    return [Card(_("Today"), "supervision/partials/today_card.html", {})]


def register() -> None:
    """Called from `SupervisionConfig.ready`."""
    from stagebrug.accounts import hooks as accounts
    from stagebrug.agreements import hooks as agreements
    from stagebrug.core.hooks import recurring_jobs
    from stagebrug.internships import hooks as internships
    from stagebrug.supervision import selectors, services, tasks

    agreements.agreement_signed.register(services.work_days_refresh)
    internships.page_links.register(internship_links)
    internships.page_cards.register(when_to_call)
    accounts.membership_links.register(membership_links)
    accounts.dashboard_cards.register(dashboard_cards)
    accounts.personal_data.register(selectors.personal_data)
    accounts.erasing.register(services.personal_data_erase)
    recurring_jobs.register(tasks.attendance_checks)
    recurring_jobs.register(tasks.attendance_nightly)
    recurring_jobs.register(tasks.personal_data_retention)
