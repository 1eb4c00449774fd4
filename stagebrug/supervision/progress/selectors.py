"""The dashboards that lead with what needs action (W8, W18): the school supervisor's caseload
and the coordinator's overview, warnings first. Each page runs the same number of queries for
one row or for a 10,000-internship school: the list with its joins and annotations, the open
warnings of the page's rows in one prefetch, and the paginator's count."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from stagebrug.accounts.models import User
from stagebrug.internships.models import CURRENT_STATUSES, Internship, Status
from stagebrug.registry.models import Institution
from stagebrug.supervision.models import ContactMoment, EarlyWarning, Evaluation

UNASSIGNED = "none"


def _open_warnings() -> Prefetch:
    return Prefetch(
        "early_warnings",
        queryset=EarlyWarning.objects.filter(resolved_at__isnull=True).order_by("raised_at", "pk"),
        to_attr="open_warning_list",
    )


def _with_action_columns(qs: QuerySet[Internship], *, now: dt.datetime) -> QuerySet[Internship]:
    """Each row's next contact moment and next undecided evaluation, and warnings first."""
    next_contact = (
        ContactMoment.objects.filter(
            internship=OuterRef("pk"), planned_at__gte=now, cancelled_at__isnull=True
        )
        .order_by("planned_at")
        .values("planned_at")[:1]
    )
    next_evaluation = (
        Evaluation.objects.filter(internship=OuterRef("pk"), decided_at__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    next_evaluation_kind = (
        Evaluation.objects.filter(internship=OuterRef("pk"), decided_at__isnull=True)
        .order_by("due_on")
        .values("kind")[:1]
    )
    return (
        qs.select_related(
            "student", "placement__company", "programme", "school_supervisor", "progress"
        )
        .annotate(
            next_contact=Subquery(next_contact),
            next_evaluation=Subquery(next_evaluation),
            next_evaluation_kind=Subquery(next_evaluation_kind),
        )
        .prefetch_related(_open_warnings())
        .order_by(
            F("progress__open_warnings").desc(nulls_last=True),
            F("progress__next_checkin_due").asc(nulls_last=True),
            "end_date",
            "pk",
        )
    )


def caseload(*, user: User, now: dt.datetime | None = None) -> QuerySet[Internship]:
    """The school supervisor's current internships, warnings first."""
    return _with_action_columns(
        Internship.objects.filter(school_supervisor=user, status__in=CURRENT_STATUSES),
        now=now or timezone.now(),
    )


def school_overview(
    *,
    institution: Institution,
    warning: str | None = None,
    school_supervisor: str | None = None,
    status: str | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Internship]:
    """The school's current internships, warnings first, filtered by a kind of warning, a
    school supervisor (or "none": not assigned) and a status."""
    qs = Internship.objects.filter(
        institution=institution,
        status__in=[status] if status in CURRENT_STATUSES else CURRENT_STATUSES,
    )
    if warning in EarlyWarning.Kind.values:
        qs = qs.filter(
            Exists(
                EarlyWarning.objects.filter(
                    internship=OuterRef("pk"), kind=warning, resolved_at__isnull=True
                )
            )
        )
    elif warning == "any":
        qs = qs.filter(progress__open_warnings__gt=0)
    if school_supervisor == UNASSIGNED:
        qs = qs.filter(school_supervisor__isnull=True)
    elif school_supervisor and school_supervisor.isdigit():
        qs = qs.filter(school_supervisor_id=int(school_supervisor))
    return _with_action_columns(qs, now=now or timezone.now())


def school_counts(*, institution: Institution, today: dt.date) -> dict[str, int]:
    """The overview's figures: running internships, those with a warning (and per kind), those
    without a school supervisor, overdue check-ins and evaluations."""
    running = Internship.objects.filter(institution=institution, status=Status.ACTIVE)
    figures = running.aggregate(
        running=Count("pk"),
        at_risk=Count("pk", filter=Q(progress__open_warnings__gt=0)),
        unassigned=Count("pk", filter=Q(school_supervisor__isnull=True)),
        checkins_due=Count("pk", filter=Q(progress__next_checkin_due__lt=today)),
    )
    per_kind = dict(
        EarlyWarning.objects.filter(
            internship__institution=institution,
            internship__status=Status.ACTIVE,
            resolved_at__isnull=True,
        )
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    figures["evaluations_overdue"] = Evaluation.objects.filter(
        internship__institution=institution,
        internship__status=Status.ACTIVE,
        decided_at__isnull=True,
        due_on__lt=today,
    ).count()
    figures["per_kind"] = [(k, label, per_kind.get(k, 0)) for k, label in EarlyWarning.Kind.choices]
    return figures


def school_supervisors(*, institution: Institution) -> QuerySet[User]:
    """The school's staff who supervise one of its current internships (the filter's choices)."""
    return (
        User.objects.filter(
            supervised_internships__institution=institution,
            supervised_internships__status__in=CURRENT_STATUSES,
        )
        .distinct()
        .order_by("full_name", "pk")
    )
