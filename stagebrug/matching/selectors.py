"""Reads for matching rounds, with their joins and the permission filter built in.

Coordinators see the rounds of their own school; a student sees a round only when they take
part in it; a business sees a round only through a seat of its own placement, and only once the
round is open (a draft is the school's work in progress).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.matching.hooks import placed_students
from stagebrug.matching.models import (
    Round,
    RoundResult,
    RoundRun,
    RoundSeat,
    RoundStatus,
    RoundStudent,
    RunStatus,
    StudentChoice,
)
from stagebrug.placements.models import Placement, ProgrammeDecision, Status
from stagebrug.registry.models import Institution, Programme

SEAT_JOINS = ("placement__company", "placement__location", "placement__municipality")


def _count(model) -> Coalesce:
    """How many rows of `model` belong to each round (one subquery each, so two counts never
    multiply each other's rows in a join)."""
    rows = model.objects.filter(round=OuterRef("pk")).order_by().values("round")
    counted = Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())
    return Coalesce(counted, 0)


def rounds_for_institution(*, user: User, institution: Institution) -> QuerySet[Round]:
    """The school's rounds, newest first, with their counts (empty for non-coordinators)."""
    if not perms.can_edit_institution(user, institution):
        return Round.objects.none()
    return (
        Round.objects.filter(institution=institution)
        .select_related("programme", "parent")
        .annotate(n_students=_count(RoundStudent), n_seats=_count(RoundSeat))
        .order_by("-created_at", "-id")
    )


def round_for_coordinator(*, user: User, institution: Institution, pk: int) -> Round | None:
    if not perms.can_edit_institution(user, institution):
        return None
    return (
        Round.objects.select_related(
            "programme__institution", "parent", "published_by", "published_run", "created_by"
        )
        .filter(pk=pk, institution=institution)
        .first()
    )


def round_for_student(*, user: User, pk: int) -> Round | None:
    """A round this user takes part in as a student (rounds being prepared stay hidden)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Round.objects.select_related("programme__institution")
        .filter(pk=pk, students__student=user)
        .exclude(status=RoundStatus.DRAFT)
        .first()
    )


def seat_for_business(*, user: User, placement_pk: int, round_pk: int) -> RoundSeat | None:
    """The seat of a placement whose company this user belongs to, in an open or later round."""
    seat = (
        RoundSeat.objects.select_related(*SEAT_JOINS, "round__programme__institution")
        .filter(placement_id=placement_pk, round_id=round_pk)
        .exclude(round__status=RoundStatus.DRAFT)
        .first()
    )
    if seat is None or not perms.can_view_company_private(user, seat.placement.company):
        return None
    return seat


def seats_with_counts(*, round: Round) -> list[RoundSeat]:
    """The round's seats with how many students chose each (two queries)."""
    seats = list(
        RoundSeat.objects.filter(round=round)
        .select_related(*SEAT_JOINS)
        .order_by("placement__company__name", "placement__title", "id")
    )
    chosen = dict(
        StudentChoice.objects.filter(round=round)
        .values("placement_id")
        .annotate(n=Count("id"))
        .values_list("placement_id", "n")
    )
    for seat in seats:
        seat.n_candidates = chosen.get(seat.placement_id, 0)  # type: ignore[attr-defined]
    return seats


def students_with_counts(*, round: Round) -> list[RoundStudent]:
    """The round's students with how many placements each chose (two queries)."""
    entries = list(
        RoundStudent.objects.filter(round=round)
        .select_related("student")
        .order_by("student__full_name", "id")
    )
    counts = dict(
        StudentChoice.objects.filter(round=round)
        .values("student_id")
        .annotate(n=Count("id"))
        .values_list("student_id", "n")
    )
    for entry in entries:
        entry.n_choices = counts.get(entry.student_id, 0)  # type: ignore[attr-defined]
    return entries


def student_choices(*, round: Round, student: User) -> QuerySet[StudentChoice]:
    return (
        StudentChoice.objects.filter(round=round, student=student)
        .select_related("placement__company", "placement__location")
        .order_by("rank")
    )


def candidates(*, seat: RoundSeat) -> QuerySet[StudentChoice]:
    """The students of the round who chose this seat's placement: what the business ranks."""
    return (
        StudentChoice.objects.filter(round_id=seat.round_id, placement_id=seat.placement_id)
        .select_related("student")
        .order_by("student__full_name", "student_id")
    )


def latest_run(*, round: Round, done: bool = False) -> RoundRun | None:
    qs = RoundRun.objects.filter(round=round)
    if done:
        qs = qs.filter(status=RunStatus.DONE)
    return qs.order_by("-created_at", "-id").first()


def chosen_run(*, round: Round, wanted: int | None = None) -> RoundRun | None:
    """The finished run to show or publish: the one asked for, else the published one, else
    the latest."""
    if wanted is not None:
        return RoundRun.objects.filter(round=round, status=RunStatus.DONE, pk=wanted).first()
    if round.published_run_id:
        return round.published_run
    return latest_run(round=round, done=True)


def follow_up_students(*, round: Round) -> list[int]:
    """The students a follow-up round takes: left unplaced by this round and still without a
    confirmed internship (an offer accepted since then counts)."""
    return sorted(
        RoundResult.objects.filter(round=round, placement__isnull=True)
        .exclude(student_id__in=placed_students())
        .values_list("student_id", flat=True)
    )


def active_run(*, round: Round) -> RoundRun | None:
    return (
        RoundRun.objects.filter(round=round, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
        .order_by("-created_at", "-id")
        .first()
    )


def student_result(*, round: Round, student: User) -> RoundResult | None:
    return (
        RoundResult.objects.select_related(
            "placement__company", "placement__location", "placement__buddy"
        )
        .filter(round=round, student=student)
        .first()
    )


def rounds_for_student(*, user: User) -> QuerySet[Round]:
    """The rounds a student takes part in (open or later), newest first."""
    return (
        Round.objects.filter(students__student=user)
        .exclude(status=RoundStatus.DRAFT)
        .select_related("programme__institution")
        .order_by("-created_at", "-id")
    )


def free_positions(placements: Iterable[Placement], *, kind: str | None = None) -> dict[int, int]:
    """Positions not yet taken by a confirmed internship, per placement; with `kind` ("mbo"
    or "hbo"), a duo placement gives only the free seats of that kind (W21)."""
    return {p.pk: p.free_seats(kind) if kind else p.free_positions for p in placements}


def offerable_placements(*, programme: Programme) -> QuerySet[Placement]:
    """Published placements the school approved for this programme (C2: only eligible ones)."""
    return (
        Placement.objects.filter(
            status=Status.PUBLISHED,
            targets__programme=programme,
            targets__decision=ProgrammeDecision.APPROVED,
        )
        .select_related("company", "location")
        .order_by("id")
        .distinct()
    )


def personal_data(*, user: User) -> dict:
    """The matching rounds' part of a person's data export: their choices and results."""
    return {
        "round_choices": [
            {"round": c.round.name, "rank": c.rank, "placement": c.placement.title}
            for c in StudentChoice.objects.filter(student=user).select_related("round", "placement")
        ],
        "round_results": [
            {
                "round": r.round.name,
                "placement": r.placement.title if r.placement else None,
                "choice": r.choice_rank,
                "seat": r.seat,
                "explanation": r.explanation,
            }
            for r in RoundResult.objects.filter(student=user).select_related("round", "placement")
        ],
    }
