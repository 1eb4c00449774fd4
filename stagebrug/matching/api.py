"""Matching rounds API: what a coordinator and a student do in the browser, with the same
services, rules and messages (C5). Coordinators of another school, and students outside a
round, get 404: we do not confirm that someone else's round exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.api_auth import AUTH
from stagebrug.accounts.models import User
from stagebrug.core.api import Pagination
from stagebrug.core.schemas import ERRORS
from stagebrug.matching import messages as m
from stagebrug.matching import selectors, services
from stagebrug.matching.explanations import placements_for, word
from stagebrug.matching.models import Round, RoundResult, RoundRun, RoundSeat, RoundStatus
from stagebrug.registry.models import Institution, Programme

router = Router(tags=["matching rounds"])


# --------------------------------------------------------------------------------------------
# Schemas


class RoundOut(Schema):
    id: int
    name: str
    institution: str
    programme_id: int
    programme: str
    cohort: str
    deadline: dt.datetime
    status: str
    max_choices: int
    seed: int
    parent_id: int | None
    students: int
    seats: int
    opened_at: dt.datetime | None
    published_at: dt.datetime | None
    anonymous: bool
    by_school: bool
    placed_by_school: int | None = Field(
        None, description="a published round of placement by the school: students it placed"
    )
    published_run_id: int | None

    @staticmethod
    def resolve_placed_by_school(obj: Round) -> int | None:
        return services.placed_by_school(obj)

    @staticmethod
    def resolve_institution(obj: Round) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_programme(obj: Round) -> str:
        return obj.programme.name

    @staticmethod
    def resolve_students(obj: Round) -> int:
        counted = getattr(obj, "n_students", None)  # annotated on lists
        return obj.students.count() if counted is None else counted

    @staticmethod
    def resolve_seats(obj: Round) -> int:
        counted = getattr(obj, "n_seats", None)
        return obj.seats.count() if counted is None else counted


class RoundIn(Schema):
    programme: int = Field(..., description="the programme's id (one of this school's)")
    name: str = Field(..., max_length=120)
    deadline: dt.datetime = Field(..., description="when rankings close")
    cohort: str = Field("", max_length=60)
    year: int | None = Field(None, ge=1, le=6, description="only students of this study year")
    max_choices: int = Field(5, ge=1, le=20)
    anonymous: bool | None = Field(
        None,
        description="businesses see candidates without names until published "
        "(default: as the programme's anonymous first look)",
    )
    by_school: bool = Field(False, description="placement by the school: businesses do not rank")


class FollowUpIn(Schema):
    deadline: dt.datetime
    name: str = Field("", max_length=120)
    max_choices: int | None = Field(None, ge=1, le=20)


class SeatOut(Schema):
    placement_id: int
    title: str
    company: str
    capacity: int
    ranking: str = Field(..., description="fit, rank (the business's own order) or accept_all")
    candidates: int = Field(..., description="students who chose it")


class RoundStudentOut(Schema):
    student_id: int
    name: str
    submitted: bool
    choices: int


class StudentChoicesOut(Schema):
    student_id: int
    placements: list[int]


class SeatRankingIn(Schema):
    ranking: str = Field(..., description="fit, rank or accept_all")
    students: list[int] = Field(
        default_factory=list,
        max_length=5000,
        description="with rank: the candidates (student ids) best first",
    )


class ResultRowOut(Schema):
    student_id: int
    placement_id: int | None
    choice: int | None = Field(None, description="which of the student's choices, 1 = first")
    seat: str = Field("", description="W21: the seat of a duo placement, mbo or hbo (else empty)")
    seat_label: str = Field("", description="the seat in words: MBO seat, HBO seat (else empty)")


class RunIn(Schema):
    mode: str = Field("stable", description="stable (default) or welfare")


class RunOut(Schema):
    id: int
    round_id: int
    mode: str
    status: str
    progress: int = Field(..., description="0-100")
    message: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class StatsOut(Schema):
    round_id: int
    run_id: int
    mode: str
    published: bool
    stats: dict[str, Any]


class PublishIn(Schema):
    run: int | None = Field(None, description="the run to publish; default the latest finished")


class ChoicesIn(Schema):
    placements: list[int] = Field(
        ..., max_length=100, description="placement ids, the one you want most first"
    )


class OfferOut(Schema):
    placement_id: int
    title: str
    company: str
    city: str
    seats: int


class ChoicesOut(Schema):
    round_id: int
    deadline: dt.datetime
    max_choices: int
    can_rank: bool
    placements: list[int]
    offered: list[OfferOut]


class ReasonOut(Schema):
    choice: int
    placement_id: int | None
    placement: str
    text: str


class ResultOut(Schema):
    round_id: int
    placed: bool
    placement_id: int | None
    placement: str | None
    company: str | None
    choice: int | None
    summary: str
    reasons: list[ReasonOut]
    next_step: str


# --------------------------------------------------------------------------------------------
# Helpers


def _managed_round(request: HttpRequest, round_id: int) -> Round:
    round = (
        Round.objects.select_related("institution", "programme", "published_run")
        .filter(pk=round_id)
        .first()
    )
    if round is None or not services.can_manage_round(request.user, round):
        raise Http404
    return round


def _aware(moment: dt.datetime) -> dt.datetime:
    """A time without an offset is Dutch time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _seat_out(seat) -> dict[str, Any]:
    return {
        "placement_id": seat.placement_id,
        "title": seat.placement.title,
        "company": seat.placement.company.name,
        "capacity": seat.capacity,
        "ranking": seat.ranking,
        "candidates": getattr(seat, "n_candidates", 0),
    }


def _student_round(request: HttpRequest, round_id: int) -> Round:
    round = selectors.round_for_student(user=request.user, pk=round_id)
    if round is None:
        raise Http404
    return round


def _choices_out(round: Round, request: HttpRequest) -> dict[str, Any]:

    seats = selectors.seats_with_counts(round=round)
    return {
        "round_id": round.pk,
        "deadline": round.deadline,
        "max_choices": round.max_choices,
        "can_rank": services.rankings_open(round),
        "placements": [
            c.placement_id for c in selectors.student_choices(round=round, student=request.user)
        ],
        "offered": [
            {
                "placement_id": s.placement_id,
                "title": s.placement.title,
                "company": s.placement.company.name,
                "city": s.placement.location.city,
                "seats": s.capacity,
            }
            for s in seats
        ],
    }


# --------------------------------------------------------------------------------------------
# Coordinators


@router.get("/schools/{slug}/rounds", response=list[RoundOut], auth=AUTH)
@paginate(Pagination)
def list_rounds(request: HttpRequest, slug: str):
    """The school's matching rounds, newest first (its coordinators only)."""
    institution = get_object_or_404(Institution, slug=slug)
    if not perms.can_edit_institution(request.user, institution):
        raise Http404
    return selectors.rounds_for_institution(
        user=request.user, institution=institution
    ).select_related("institution")


@router.post("/schools/{slug}/rounds", response={201: RoundOut, **ERRORS}, auth=AUTH)
def create_round(request: HttpRequest, slug: str, payload: RoundIn):
    """A draft round for one of the school's programmes: its students (optionally one study
    year) and, as seats, the placements on offer for the programme with free positions."""
    institution = get_object_or_404(Institution, slug=slug)
    if not perms.can_edit_institution(request.user, institution):
        raise Http404
    programme = Programme.objects.filter(pk=payload.programme, institution=institution).first()
    if programme is None:
        raise ValidationError({"programme": [m.PROGRAMME_NOT_OF_SCHOOL]})
    round = services.round_create(
        programme=programme,
        by=request.user,
        name=payload.name,
        deadline=_aware(payload.deadline),
        cohort=payload.cohort,
        year=payload.year,
        max_choices=payload.max_choices,
        anonymous=payload.anonymous,
        by_school=payload.by_school,
    )
    return Status(201, _managed_round(request, round.pk))


@router.get("/rounds/{round_id}", response={200: RoundOut, **ERRORS}, auth=AUTH)
def get_round(request: HttpRequest, round_id: int):
    return _managed_round(request, round_id)


@router.get("/rounds/{round_id}/seats", response={200: list[SeatOut], **ERRORS}, auth=AUTH)
def round_seats(request: HttpRequest, round_id: int):
    """The placements the round offers, with their seats, how each is ranked and how many
    students chose it."""
    round = _managed_round(request, round_id)
    return [_seat_out(seat) for seat in selectors.seats_with_counts(round=round)]


@router.get("/rounds/{round_id}/students", response=list[RoundStudentOut], auth=AUTH)
@paginate(Pagination)
def round_students(request: HttpRequest, round_id: int):
    """The round's students and whether they ranked yet."""
    round = _managed_round(request, round_id)
    return [
        {
            "student_id": entry.student_id,
            "name": entry.student.full_name,
            "submitted": entry.submitted_at is not None,
            "choices": getattr(entry, "n_choices", 0),
        }
        for entry in selectors.students_with_counts(round=round)
    ]


@router.put(
    "/rounds/{round_id}/students/{student_id}/choices",
    response={200: StudentChoicesOut, **ERRORS},
    auth=AUTH,
)
def submit_choices_for(request: HttpRequest, round_id: int, student_id: int, payload: ChoicesIn):
    """The school's system sends a student's ranking (for instance from its own enrolment
    tool), with the same rules and messages as when the student ranks."""
    round = _managed_round(request, round_id)
    student = get_object_or_404(User, pk=student_id)
    services.round_submit_choices(
        round=round, student=student, placement_ids=payload.placements, by=request.user
    )
    return {
        "student_id": student.pk,
        "placements": [
            c.placement_id for c in selectors.student_choices(round=round, student=student)
        ],
    }


@router.put(
    "/rounds/{round_id}/seats/{placement_id}/ranking",
    response={200: SeatOut, **ERRORS},
    auth=AUTH,
)
def set_seat_ranking(
    request: HttpRequest, round_id: int, placement_id: int, payload: SeatRankingIn
):
    """How a placement's candidates are ranked: by the business itself (its people, or the
    school's system for it), before the deadline."""
    seat = selectors.seat_for_business(
        user=request.user, placement_pk=placement_id, round_pk=round_id
    )
    if seat is None:
        round = _managed_round(request, round_id)
        seat = get_object_or_404(
            RoundSeat.objects.select_related("round", "placement__company"),
            round=round,
            placement_id=placement_id,
        )
    services.round_set_seat_ranking(
        seat=seat, by=request.user, ranking=payload.ranking, student_ids=payload.students
    )
    fresh = next(
        s
        for s in selectors.seats_with_counts(round=seat.round)
        if s.placement_id == seat.placement_id
    )
    return _seat_out(fresh)


@router.get("/rounds/{round_id}/results", response=list[ResultRowOut], auth=AUTH)
@paginate(Pagination)
def round_results(request: HttpRequest, round_id: int):
    """Once published: every student's placement (none when unplaced) and which choice."""
    round = _managed_round(request, round_id)
    if round.status != RoundStatus.PUBLISHED:
        raise ValidationError(m.RESULTS_NOT_PUBLISHED)
    return [
        {
            "student_id": r.student_id,
            "placement_id": r.placement_id,
            "choice": r.choice_rank,
            "seat": r.seat,
            "seat_label": str(r.get_seat_display()) if r.seat else "",
        }
        for r in RoundResult.objects.filter(round=round).order_by("student_id")
    ]


@router.post("/rounds/{round_id}/follow-up", response={201: RoundOut, **ERRORS}, auth=AUTH)
def create_follow_up(request: HttpRequest, round_id: int, payload: FollowUpIn):
    """A draft follow-up round of a published one: the students it left unplaced, over the
    seats still free."""
    round = _managed_round(request, round_id)
    follow_up = services.round_create_follow_up(
        round=round,
        by=request.user,
        deadline=_aware(payload.deadline),
        name=payload.name,
        max_choices=payload.max_choices,
    )
    return Status(201, _managed_round(request, follow_up.pk))


@router.post("/rounds/{round_id}/open", response={200: RoundOut, **ERRORS}, auth=AUTH)
def open_round(request: HttpRequest, round_id: int):
    """Open for rankings: students and businesses are told."""
    return services.round_open(round=_managed_round(request, round_id), by=request.user)


@router.post("/rounds/{round_id}/close", response={200: RoundOut, **ERRORS}, auth=AUTH)
def close_round(request: HttpRequest, round_id: int):
    return services.round_close(round=_managed_round(request, round_id), by=request.user)


@router.post("/rounds/{round_id}/runs", response={202: RunOut, **ERRORS}, auth=AUTH)
def run_round(request: HttpRequest, round_id: int, payload: RunIn):
    """Queue a run (background job); poll its status for the progress."""
    run = services.round_run(
        round=_managed_round(request, round_id), by=request.user, mode=payload.mode
    )
    run.refresh_from_db()
    return Status(202, run)


@router.get("/rounds/{round_id}/runs/{run_id}", response={200: RunOut, **ERRORS}, auth=AUTH)
def run_status(request: HttpRequest, round_id: int, run_id: int):
    """A run's status and progress (0-100)."""
    round = _managed_round(request, round_id)
    return get_object_or_404(RoundRun, pk=run_id, round=round)


@router.get("/rounds/{round_id}/stats", response={200: StatsOut, **ERRORS}, auth=AUTH)
def round_stats(request: HttpRequest, round_id: int, run: int | None = None):
    """The review statistics of a finished run (default: the published one, else the latest):
    placed and share, choice received, travel distance, unplaced and why."""
    round = _managed_round(request, round_id)
    chosen = selectors.chosen_run(round=round, wanted=run)
    if chosen is None:
        raise Http404
    return {
        "round_id": round.pk,
        "run_id": chosen.pk,
        "mode": chosen.mode,
        "published": round.published_run_id == chosen.pk,
        "stats": chosen.stats,
    }


@router.post("/rounds/{round_id}/publish", response={200: RoundOut, **ERRORS}, auth=AUTH)
def publish_round(request: HttpRequest, round_id: int, payload: PublishIn):
    """Publish a finished run. Final: creates the internships and every student's result."""
    round = _managed_round(request, round_id)
    run = None
    if payload.run is not None:
        run = RoundRun.objects.filter(pk=payload.run, round=round).first()
        if run is None:
            raise Http404
    return services.round_publish(round=round, by=request.user, run=run)


# --------------------------------------------------------------------------------------------
# Students


@router.get("/rounds/{round_id}/choices", response={200: ChoicesOut, **ERRORS}, auth=AUTH)
def my_choices(request: HttpRequest, round_id: int):
    """Your ranking in a round, and the placements it offers."""
    return _choices_out(_student_round(request, round_id), request)


@router.put("/rounds/{round_id}/choices", response={200: ChoicesOut, **ERRORS}, auth=AUTH)
def submit_choices(request: HttpRequest, round_id: int, payload: ChoicesIn):
    """Replace your ranking. Refused, with the reason, when it has too many placements, one
    twice, one the round does not offer, or comes after the deadline."""
    round = _student_round(request, round_id)
    services.round_submit_choices(
        round=round, student=request.user, placement_ids=payload.placements
    )
    return _choices_out(round, request)


@router.get("/rounds/{round_id}/result", response={200: ResultOut, **ERRORS}, auth=AUTH)
def my_result(request: HttpRequest, round_id: int):
    """Your result once the round is published: which choice, and why not a higher one."""
    round = _student_round(request, round_id)
    result = selectors.student_result(round=round, student=request.user)
    if round.status != RoundStatus.PUBLISHED or result is None:
        raise Http404
    placements = placements_for([result.explanation])
    worded = word(result.explanation, placements)
    return {
        "round_id": round.pk,
        "placed": result.placement_id is not None,
        "placement_id": result.placement_id,
        "placement": result.placement.title if result.placement else None,
        "company": result.placement.company.name if result.placement else None,
        "choice": result.choice_rank,
        "summary": worded.summary,
        "reasons": [
            {
                "choice": line.choice,
                "placement_id": line.placement.pk if line.placement else None,
                "placement": line.placement.title if line.placement else "",
                "text": line.text,
            }
            for line in worded.lines
        ],
        "next_step": worded.next_step,
    }
