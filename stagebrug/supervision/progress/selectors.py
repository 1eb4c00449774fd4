"""The dashboards that lead with what needs action (W8, W18): the school supervisor's caseload
and the coordinator's overview, warnings first. Each page runs the same number of queries for
one row or for a 10,000-internship school: the list with its joins and annotations, the open
warnings of the page's rows in one prefetch, and the paginator's count."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from stagebrug.accounts.models import User
from stagebrug.core.forms import as_id
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


class ActionRows:
    """The internships of a dashboard, warnings first, that add each row's next contact moment
    and next undecided evaluation only for the rows of the page (a query each), so a deep page
    costs what the first page costs and the sort does not run a subquery per internship. The
    Paginator and the API's pagination slice it and count it like a queryset."""

    def __init__(self, qs: QuerySet[Internship], *, now: dt.datetime) -> None:
        self.qs = qs
        self.now = now

    def all(self) -> ActionRows:
        return self

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if isinstance(item, slice):
            rows = list(self.qs[item])
            attach_next(rows, now=self.now)
            return rows
        return self[item : item + 1][0]


def attach_next(rows: list[Internship], *, now: dt.datetime) -> None:
    """Set `next_contact`, `next_evaluation` and `next_evaluation_kind` on each row."""
    ids = [r.pk for r in rows]
    contacts = dict(
        ContactMoment.objects.filter(
            internship_id__in=ids, planned_at__gte=now, cancelled_at__isnull=True
        )
        .values("internship_id")
        .annotate(first=Min("planned_at"))
        .values_list("internship_id", "first")
    )
    evaluations: dict[int, Evaluation] = {}
    for evaluation in Evaluation.objects.filter(
        internship_id__in=ids, decided_at__isnull=True
    ).order_by("internship_id", "due_on", "pk"):
        evaluations.setdefault(evaluation.internship_id, evaluation)
    for row in rows:
        row.next_contact = contacts.get(row.pk)
        found = evaluations.get(row.pk)
        row.next_evaluation = found.due_on if found else None
        row.next_evaluation_kind = found.kind if found else ""


def _with_action_columns(qs: QuerySet[Internship], *, now: dt.datetime) -> ActionRows:
    """Warnings first, then the check-in due soonest, with what each row shows."""
    return ActionRows(
        qs.select_related(
            "student", "placement__company", "programme", "school_supervisor", "progress"
        )
        .prefetch_related(_open_warnings())
        .order_by(
            F("progress__open_warnings").desc(nulls_last=True),
            F("progress__next_checkin_due").asc(nulls_last=True),
            "end_date",
            "pk",
        ),
        now=now,
    )


def caseload(*, user: User, now: dt.datetime | None = None) -> ActionRows:
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
) -> ActionRows:
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
    elif (supervisor_id := as_id(school_supervisor)) is not None:
        qs = qs.filter(school_supervisor_id=supervisor_id)
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
