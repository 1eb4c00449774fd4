"""API of the logbook, progress and evaluations, and of the school's dashboards: the same
services, rules and messages as the pages. Someone without a part in the internship gets 404; a
party acting outside their part gets 403."""

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.api_auth import AUTH
from stagebrug.core.api import Pagination
from stagebrug.core.schemas import ERRORS, Id
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship
from stagebrug.internships.selectors import internship_for
from stagebrug.registry.models import Institution
from stagebrug.supervision.evaluations import services as evaluations
from stagebrug.supervision.logbook import selectors as logbook_selectors
from stagebrug.supervision.logbook import services as logbook
from stagebrug.supervision.models import Evaluation, LogEntry, Progress
from stagebrug.supervision.progress import rules, selectors

router = Router(tags=["supervision"])

Slug = str


class EntryOut(Schema):
    id: int
    kind: str = Field(..., description="checkin (workplace), student or school")
    author: str
    week: dt.date
    going: str = Field(..., description="well, okay, hard, or empty")
    goals: dict[str, str] = Field(..., description="goal_1…: on_track, attention or behind")
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj: LogEntry) -> str:
        return obj.author_name


class EntryIn(Schema):
    kind: str = Field(..., description="checkin (workplace supervisor or buddy), student, school")
    going: str = Field("", description="well, okay or hard; required for a check-in")
    goals: dict[str, str] = Field(
        default_factory=dict,
        description="A check-in's verdict per learning goal of the signed agreement "
        "(goal_1…): on_track, attention or behind",
    )
    text: str = Field("", max_length=2000)


class GoalOut(Schema):
    key: str
    text: str
    outcome: str
    latest: str = Field(..., description="on_track, attention, behind, or empty: no check-in")
    history: list[tuple[dt.date, str]]


class WarningOut(Schema):
    kind: str
    label: str
    reason: str
    what_to_do: str
    raised_at: dt.datetime


class ProgressOut(Schema):
    checkin_every_weeks: int | None
    last_checkin_on: dt.date | None
    next_checkin_due: dt.date | None
    hours_done: Decimal
    hours_planned_left: Decimal
    hours_required: int | None
    goals: list[GoalOut]
    warnings: list[WarningOut]


class ScoresIn(Schema):
    scores: dict[str, str] = Field(
        ..., description="Per criterion key: insufficient, sufficient, good"
    )
    comment: str = Field(..., max_length=3000)


class DecisionIn(Schema):
    decision: str = Field(
        ...,
        description="Mid-term: on_track, attention or at_risk. Final: passed or not_passed "
        "(completes the internship).",
    )
    comment: str = Field(..., max_length=3000)


class EvaluationOut(Schema):
    id: int
    kind: str
    due_on: dt.date
    criteria: list[dict[str, str]]
    workplace_scores: dict[str, str] | None = Field(
        None, description="Hidden from the student until both parts are in"
    )
    workplace_comment: str | None = None
    workplace_at: dt.datetime | None
    student_scores: dict[str, str] | None = Field(
        None, description="Hidden from the workplace until both parts are in"
    )
    student_comment: str | None = None
    student_at: dt.datetime | None
    decision: str
    school_comment: str
    decided_at: dt.datetime | None


class CaseOut(Schema):
    internship_id: int = Field(..., alias="pk")
    student: str | None
    company: str
    programme: str
    status: str
    school_supervisor: str | None
    warnings: list[WarningOut]
    next_checkin_due: dt.date | None
    next_contact: dt.datetime | None
    next_evaluation: dt.date | None

    @staticmethod
    def resolve_student(obj: Internship) -> str | None:
        return obj.student.full_name if obj.student else None

    @staticmethod
    def resolve_company(obj: Internship) -> str:
        return obj.placement.company.name

    @staticmethod
    def resolve_programme(obj: Internship) -> str:
        return obj.programme.name

    @staticmethod
    def resolve_school_supervisor(obj: Internship) -> str | None:
        return obj.school_supervisor.full_name if obj.school_supervisor else None

    @staticmethod
    def resolve_warnings(obj: Internship) -> list[dict]:
        return [_warning_out(w) for w in obj.open_warning_list]

    @staticmethod
    def resolve_next_checkin_due(obj: Internship) -> dt.date | None:
        progress = getattr(obj, "progress", None)
        return progress.next_checkin_due if progress else None


class CaseFilter(Schema):
    warning: str | None = Field(None, description="any, or a kind: " + ", ".join(rules.Kind.values))
    school_supervisor: str | None = Field(None, description="A user id, or none: not assigned")
    status: str | None = Field(None, description="confirmed or active")


def _internship(request: HttpRequest, internship_id: int) -> Internship:
    internship = internship_for(user=request.user, pk=internship_id)
    if internship is None:
        raise Http404
    return internship


def _warning_out(w) -> dict:
    return {
        "kind": w.kind,
        "label": str(w.get_kind_display()),
        "reason": rules.reason_of(w.kind, w.detail),
        "what_to_do": str(rules.FIXES[w.kind]),
        "raised_at": w.raised_at,
    }


# --------------------------------------------------------------------------------------------
# Logbook and progress


@router.get(
    "/internships/{internship_id}/logbook", response={200: list[EntryOut], **ERRORS}, auth=AUTH
)
@paginate(Pagination)
def list_entries(request: HttpRequest, internship_id: Id):
    """The shared logbook, newest first: check-ins, the student's entries, the school's notes."""
    return logbook_selectors.entries(internship=_internship(request, internship_id))


@router.post("/internships/{internship_id}/logbook", response={201: EntryOut, **ERRORS}, auth=AUTH)
def write_entry(request: HttpRequest, internship_id: Id, payload: EntryIn):
    """Write an entry of your own kind: a check-in (workplace), the student's entry, the school's
    note."""
    internship = _internship(request, internship_id)
    entry = logbook.logbook_write(
        internship=internship,
        by=request.user,
        kind=payload.kind,
        text=payload.text,
        going=payload.going,
        goals=payload.goals,
        goal_list=logbook_selectors.goals_of(internship),
    )
    return Status(201, entry)


@router.get(
    "/internships/{internship_id}/progress", response={200: ProgressOut, **ERRORS}, auth=AUTH
)
def progress(request: HttpRequest, internship_id: Id):
    """Hours against the hours required, each learning goal over time, the open warnings."""
    internship = _internship(request, internship_id)
    row = Progress.objects.filter(internship=internship).first()
    goals = logbook_selectors.goals_of(internship)
    _columns, goal_rows = logbook_selectors.goal_history(internship=internship, goals=goals)
    hours = logbook_selectors.hours(internship=internship, progress=row, today=timezone.localdate())
    return {
        "checkin_every_weeks": row.checkin_every_weeks if row else None,
        "last_checkin_on": row.last_checkin_on if row else None,
        "next_checkin_due": row.next_checkin_due if row else None,
        "hours_done": hours.done,
        "hours_planned_left": hours.planned_left,
        "hours_required": hours.required,
        "goals": [
            {
                "key": r.goal.key,
                "text": r.goal.text,
                "outcome": r.goal.outcome,
                "latest": r.latest,
                "history": r.verdicts,
            }
            for r in goal_rows
        ],
        "warnings": [
            _warning_out(w) for w in logbook_selectors.open_warnings(internship=internship)
        ],
    }


# --------------------------------------------------------------------------------------------
# Evaluations


def _evaluation_out(evaluation: Evaluation, roles: frozenset[str]) -> dict:
    sees_workplace, sees_student = evaluations.sees_parts(evaluation, roles)
    return {
        "id": evaluation.pk,
        "kind": evaluation.kind,
        "due_on": evaluation.due_on,
        "criteria": evaluation.criteria,
        "workplace_scores": evaluation.workplace_scores if sees_workplace else None,
        "workplace_comment": evaluation.workplace_comment if sees_workplace else None,
        "workplace_at": evaluation.workplace_at,
        "student_scores": evaluation.student_scores if sees_student else None,
        "student_comment": evaluation.student_comment if sees_student else None,
        "student_at": evaluation.student_at,
        "decision": evaluation.decision,
        "school_comment": evaluation.school_comment,
        "decided_at": evaluation.decided_at,
    }


def _evaluation(request: HttpRequest, internship_id: int, kind: str):
    internship = _internship(request, internship_id)
    evaluation = Evaluation.objects.filter(internship=internship, kind=kind).first()
    if evaluation is None:
        raise Http404
    evaluation.internship = internship
    return internship, evaluation


@router.get(
    "/internships/{internship_id}/evaluations",
    response={200: list[EvaluationOut], **ERRORS},
    auth=AUTH,
)
def list_evaluations(request: HttpRequest, internship_id: Id):
    """The mid-term and the final evaluation, each part as far as you may see it."""
    internship = _internship(request, internship_id)
    roles = can.roles(request.user, internship)
    return [_evaluation_out(e, roles) for e in internship.evaluations.order_by("due_on", "pk")]


@router.put(
    "/internships/{internship_id}/evaluations/{kind}/workplace",
    response={200: EvaluationOut, **ERRORS},
    auth=AUTH,
)
def assess(request: HttpRequest, internship_id: Id, kind: Evaluation.Kind, payload: ScoresIn):
    """The workplace supervisor's assessment (kind: midterm or final)."""
    internship, evaluation = _evaluation(request, internship_id, kind)
    done = evaluations.evaluation_assess(
        evaluation=evaluation, by=request.user, scores=payload.scores, comment=payload.comment
    )
    return _evaluation_out(done, can.roles(request.user, internship))


@router.put(
    "/internships/{internship_id}/evaluations/{kind}/student",
    response={200: EvaluationOut, **ERRORS},
    auth=AUTH,
)
def self_assess(request: HttpRequest, internship_id: Id, kind: Evaluation.Kind, payload: ScoresIn):
    """The student's own assessment on the same criteria."""
    internship, evaluation = _evaluation(request, internship_id, kind)
    done = evaluations.evaluation_self_assess(
        evaluation=evaluation, by=request.user, scores=payload.scores, comment=payload.comment
    )
    return _evaluation_out(done, can.roles(request.user, internship))


@router.post(
    "/internships/{internship_id}/evaluations/{kind}/decision",
    response={200: EvaluationOut, **ERRORS},
    auth=AUTH,
)
def decide(request: HttpRequest, internship_id: Id, kind: Evaluation.Kind, payload: DecisionIn):
    """The school supervisor's decision; the final one completes the internship."""
    internship, evaluation = _evaluation(request, internship_id, kind)
    done = evaluations.evaluation_decide(
        evaluation=evaluation, by=request.user, decision=payload.decision, comment=payload.comment
    )
    return _evaluation_out(done, can.roles(request.user, internship))


# --------------------------------------------------------------------------------------------
# The school's dashboards


@router.get("/supervision/caseload", response=list[CaseOut], auth=AUTH)
@paginate(Pagination)
def caseload(request: HttpRequest):
    """Your internships as school supervisor: those that need attention first."""
    return selectors.caseload(user=request.user)


@router.get("/schools/{slug}/supervision", response={200: list[CaseOut], **ERRORS}, auth=AUTH)
@paginate(Pagination)
def school_overview(request: HttpRequest, slug: Slug, filters: Query[CaseFilter]):
    """The school's current internships, those that need attention first (coordinators)."""
    institution = Institution.objects.filter(slug=slug).first()
    if institution is None or not perms.can_edit_institution(request.user, institution):
        raise Http404
    return selectors.school_overview(
        institution=institution,
        warning=filters.warning,
        school_supervisor=filters.school_supervisor,
        status=filters.status,
    )
