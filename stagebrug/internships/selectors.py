"""Reads of internships: querysets with their joins and the permission filter built in, so
list pages run a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Case, Q, QuerySet, Value, When

from stagebrug.accounts.models import Role, User
from stagebrug.accounts.selectors import company_people
from stagebrug.core.models import AuditEvent
from stagebrug.internships import permissions as can
from stagebrug.internships.models import CURRENT_STATUSES, Internship
from stagebrug.registry.models import Institution

JOINS = (
    "student",
    "placement__company",
    "placement__location",
    "programme",
    "institution",
    "supervisor__user",
    "buddy__user",
    "school_supervisor",
)
LIST_JOINS = ("student", "placement__company", "programme", "school_supervisor", "supervisor")
#: The "no school supervisor yet" choice of the coordinator's filter.
UNASSIGNED = "none"


def internship_for(*, user: User, pk: int) -> Internship | None:
    """The internship with its parties, if `user` plays a part in it; else None (a 404)."""
    internship = Internship.objects.select_related(*JOINS).filter(pk=pk).first()
    if internship is None or not can.can_view(user, internship):
        return None
    return internship


def visible_internships(*, user: User) -> QuerySet[Internship]:
    """Every internship `user` plays a part in, newest start first."""
    return (
        Internship.objects.filter(can.visible_filter(user))
        .select_related(*LIST_JOINS)
        .order_by("-start_date", "-id")
        .distinct()
    )


def school_internships(
    *,
    institution: Institution,
    status: str | None = None,
    programme_id: int | None = None,
    school_supervisor: str | None = None,
    q: str | None = None,
) -> QuerySet[Internship]:
    """A school's internships for its coordinators, filtered; open ones first, then by start.

    `school_supervisor` is a user id, or UNASSIGNED for those without one yet.
    """
    qs = Internship.objects.filter(institution=institution)
    if status:
        qs = qs.filter(status=status)
    if programme_id:
        qs = qs.filter(programme_id=programme_id)
    if school_supervisor == UNASSIGNED:
        qs = qs.filter(school_supervisor__isnull=True)
    elif school_supervisor:
        qs = qs.filter(school_supervisor_id=school_supervisor)
    for word in (q or "").split()[:5]:
        qs = qs.filter(
            Q(student__full_name__icontains=word)
            | Q(placement__company__name__icontains=word)
            | Q(placement__title__icontains=word)
        )
    open_first = Case(When(status__in=CURRENT_STATUSES, then=Value(0)), default=Value(1))
    return qs.select_related(*LIST_JOINS).order_by(open_first, "-start_date", "-id")


def company_internships(*, company_id: int) -> QuerySet[Internship]:
    return (
        Internship.objects.filter(placement__company_id=company_id)
        .select_related(*LIST_JOINS)
        .order_by("-start_date", "-id")
    )


def supervised_by(*, user: User) -> QuerySet[Internship]:
    """The current internships where `user` is the workplace supervisor or the buddy."""
    return (
        Internship.objects.filter(Q(supervisor__user=user) | Q(buddy__user=user))
        .filter(status__in=CURRENT_STATUSES)
        .select_related(*LIST_JOINS)
        .order_by("start_date", "id")
    )


def assigned_to(*, user: User) -> QuerySet[Internship]:
    """The current internships `user` supervises for the school."""
    return (
        Internship.objects.filter(school_supervisor=user, status__in=CURRENT_STATUSES)
        .select_related(*LIST_JOINS)
        .order_by("start_date", "id")
    )


def of_student(*, user: User) -> QuerySet[Internship]:
    return (
        Internship.objects.filter(student=user)
        .select_related(*LIST_JOINS)
        .order_by("-start_date", "-id")
    )


def school_staff(*, institution: Institution) -> QuerySet[User]:
    """The people a coordinator can assign as school supervisor: the school's supervisors
    and coordinators."""
    return (
        User.objects.filter(
            memberships__institution=institution,
            memberships__role__in=[Role.SCHOOL_SUPERVISOR, Role.SCHOOL_COORDINATOR],
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def timeline(*, internship: Internship) -> QuerySet[AuditEvent]:
    """Who changed what and when, oldest first: the internship's audit trail."""
    return (
        AuditEvent.objects.filter(
            object_type=Internship._meta.label_lower, object_id=str(internship.pk)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def internship_parties(internship: Internship) -> list[User]:
    """The people to tell about a change: the student, the workplace supervisor and buddy,
    the business's owners and colleagues, and the school supervisor (else the coordinators)."""
    people: dict[int, User] = {}
    for person in (
        internship.student,
        internship.supervisor.user if internship.supervisor_id else None,
        internship.buddy.user if internship.buddy_id else None,
        internship.school_supervisor,
    ):
        if person is not None:
            people[person.pk] = person
    company_id = internship.placement.company_id
    for person in company_people([company_id]).get(company_id, []):
        people[person.pk] = person
    if internship.school_supervisor_id is None:
        coordinators = User.objects.filter(
            memberships__institution_id=internship.institution_id,
            memberships__role=Role.SCHOOL_COORDINATOR,
        ).distinct()
        for person in coordinators:
            people[person.pk] = person
    return list(people.values())


# --------------------------------------------------------------------------------------------
# Answers the floors below ask for (registered in InternshipsConfig.ready)


def placed_students() -> QuerySet:
    """`matching.hooks.placed_students`: user ids of students with a current internship."""
    return Internship.objects.filter(status__in=CURRENT_STATUSES, student__isnull=False).values(
        "student_id"
    )


def placed_periods(*, student_ids: Sequence[int]) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """`applications.hooks.placed_periods`: the first and last day of each current internship
    of these students (user ids), by student. One query."""
    out: dict[int, list[tuple[dt.date, dt.date]]] = {}
    rows = Internship.objects.filter(student_id__in=student_ids, status__in=CURRENT_STATUSES)
    for student_id, start, end in rows.values_list("student_id", "start_date", "end_date"):
        out.setdefault(student_id, []).append((start, end))
    return out


def support_note_readers(*, student_id: int) -> set[int]:
    """`applications.hooks.support_note_readers`: the workplace supervisors (by account) of
    the student's current internships (W14)."""
    return set(
        Internship.objects.filter(
            student_id=student_id,
            status__in=CURRENT_STATUSES,
            supervisor__user__isnull=False,
        ).values_list("supervisor__user_id", flat=True)
    )


def personal_data(*, user: User) -> dict:
    """The internships' part of a person's data export."""
    return {
        "internships": [
            {
                "placement": i.placement.title,
                "company": i.placement.company.name,
                "programme": i.programme.name,
                "source": i.source,
                "status": i.status,
                "start": i.start_date.isoformat(),
                "end": i.end_date.isoformat(),
                "hours_per_week": i.hours_per_week,
                "stop_reason": i.stop_reason,
                "stop_note": i.stop_note,
            }
            for i in Internship.objects.filter(student=user).select_related(
                "placement__company", "programme"
            )
        ]
    }
