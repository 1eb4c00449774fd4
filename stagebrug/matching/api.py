"""Matching rounds API: what a coordinator and a student do in the browser, with the same
services, rules and messages (C5). Coordinators of another school, and students outside a
round, get 404: we do not confirm that someone else's round exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.api_auth import AUTH
from stagebrug.core.api import Pagination
from stagebrug.core.schemas import ERRORS
from stagebrug.matching import selectors, services
from stagebrug.matching.explanations import placements_for, word
from stagebrug.matching.models import Round, RoundRun, RoundStatus
from stagebrug.registry.models import Institution

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
    published_run_id: int | None

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


@router.get("/rounds/{round_id}", response={200: RoundOut, **ERRORS}, auth=AUTH)
def get_round(request: HttpRequest, round_id: int):
    return _managed_round(request, round_id)


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
