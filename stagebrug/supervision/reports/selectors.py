"""Reads of confidential reports, with their joins and the permission filter built in: the
school's list runs the same number of queries however many reports it holds."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.internships.models import Internship
from stagebrug.registry.models import Institution
from stagebrug.supervision.models import Report
from stagebrug.supervision.reports import permissions as can

JOINS = (
    "student",
    "handled_by",
    "internship__student",
    "internship__placement__company",
    "internship__programme",
    "internship__institution",
    "internship__supervisor",
    "internship__buddy",
    "internship__school_supervisor",
)
OPEN_STATES = (Report.State.NEW, Report.State.ACKNOWLEDGED, Report.State.IN_PROGRESS)


def _open_first(qs: QuerySet[Report]) -> QuerySet[Report]:
    """Open reports first (new before the rest), then the newest."""
    return qs.annotate(
        closed_last=Case(
            When(state=Report.State.CLOSED, then=Value(2)),
            When(state=Report.State.NEW, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("closed_last", "-created_at", "-id")


def report_for(*, user: User, pk: int) -> Report | None:
    """The report with its internship and parties, if `user` may read it; else None (a 404)."""
    report = Report.objects.select_related(*JOINS).filter(pk=pk).first()
    if report is None or not can.can_view(user, report):
        return None
    return report


def visible_reports(*, user: User) -> QuerySet[Report]:
    """Every report `user` may read (their own; the school's), open ones first."""
    return _open_first(Report.objects.filter(can.visible_filter(user)).select_related(*JOINS))


def student_reports(*, user: User, internship: Internship) -> QuerySet[Report]:
    """The student's own reports from this internship, newest first."""
    return (
        Report.objects.filter(internship=internship, student=user)
        .select_related("handled_by")
        .order_by("-created_at", "-id")
    )


def school_reports(
    *, user: User, institution: Institution, internship_id: int | None = None
) -> QuerySet[Report]:
    """The reports of a school for its staff: a coordinator sees all of the school's, a school
    supervisor those of the internships they supervise. Open first, then the newest."""
    qs = Report.objects.filter(can.school_filter(user), internship__institution=institution)
    if internship_id:
        qs = qs.filter(internship_id=internship_id)
    return _open_first(qs.select_related(*JOINS))


def open_reports_count(*, user: User, internship: Internship | None = None) -> int:
    """How many reports the school side of `user` has still to close."""
    qs = Report.objects.filter(can.school_filter(user), state__in=OPEN_STATES)
    if internship is not None:
        qs = qs.filter(internship=internship)
    return qs.count()


def reads_school_reports(*, user: User, institution: Institution) -> bool:
    """The school list is for the school's staff (coordinators and school supervisors)."""
    return institution.pk in perms.institution_ids(user, perms.SCHOOL_STAFF)


def personal_data(*, user: User) -> dict[str, Any]:
    """`accounts.hooks.personal_data`: the reports the student filed, with the school's reply."""
    rows = Report.objects.filter(student=user).select_related("internship__placement__company")
    return {
        "confidential_reports": [
            {
                "internship": r.internship_id,
                "company": r.internship.placement.company.name,
                "created_at": r.created_at.isoformat(),
                "kind": r.kind,
                "text": r.text,
                "state": r.state,
                "reply": r.reply,
                "acknowledged_at": r.acknowledged_at.isoformat() if r.acknowledged_at else None,
                "closed_at": r.closed_at.isoformat() if r.closed_at else None,
            }
            for r in rows.order_by("created_at", "id")
        ]
    }
