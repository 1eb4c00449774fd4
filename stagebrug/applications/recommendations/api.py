"""Recommendations in the API (C5; W2, W16): the same functions and reasons as the pages.

GET /api/v1/students/me/recommendations   the logged-in student's best placements
GET /api/v1/placements/{id}/candidates    the discoverable students who fit (company editors)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from stagebrug.accounts.api_auth import AUTH
from stagebrug.applications.models import StudentProfile
from stagebrug.applications.recommendations.facts import FitResult
from stagebrug.applications.recommendations.query import (
    MAX_LIMIT,
    candidates_for_placement,
    recommend_for_student,
)
from stagebrug.core.schemas import ERRORS
from stagebrug.placements.selectors import placement_to_edit

router = Router(tags=["recommendations"])

NO_PROFILE = gettext_lazy("Fill in your student profile first.")


class ReasonOut(Schema):
    code: str
    points: float
    weight: float
    text: str
    good: bool


class RecommendationOut(Schema):
    placement_id: int
    url: str
    title: str
    company: str
    city: str
    kind: str
    is_duo: bool
    score: int
    distance_km: float | None
    reasons: list[ReasonOut]


class CandidateOut(Schema):
    student_id: int
    name: str
    programme: str
    institution: str
    level_label: str
    year: int
    wanted_activities: str
    activity_tags: list[str]
    skills: str
    skill_tags: list[str]
    languages: list[str]
    hours_per_week: int | None
    available_from: str | None
    distance_km: float | None
    score: int
    reasons: list[ReasonOut]


class LimitQuery(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


def _reasons(result: FitResult) -> list[dict]:
    return [
        {
            "code": r.code,
            "points": r.points,
            "weight": r.weight,
            "text": r.text,
            "good": r.good,
        }
        for r in result.reasons
    ]


@router.get(
    "/students/me/recommendations",
    response={200: list[RecommendationOut], **ERRORS},
    auth=AUTH,
)
def my_recommendations(request: HttpRequest, filters: Query[LimitQuery]):
    """The published placements that fit you best, with the reasons (students only)."""
    profile = (
        StudentProfile.objects.select_related("programme", "home_pc4")
        .filter(user=request.user)
        .first()
    )
    if profile is None:
        raise PermissionDenied(str(NO_PROFILE))
    return [
        {
            "placement_id": r.placement.pk,
            "url": r.placement.get_absolute_url(),
            "title": r.placement.title,
            "company": r.placement.company.name,
            "city": r.placement.location.city,
            "kind": r.placement.kind,
            "is_duo": r.placement.is_duo,
            "score": r.fit.score,
            "distance_km": None if r.distance_km is None else round(r.distance_km, 1),
            "reasons": _reasons(r.fit),
        }
        for r in recommend_for_student(profile, limit=filters.limit)
    ]


@router.get(
    "/placements/{placement_id}/candidates",
    response={200: list[CandidateOut], **ERRORS},
    auth=AUTH,
)
def placement_candidates(request: HttpRequest, placement_id: int, filters: Query[LimitQuery]):
    """The discoverable students who fit your placement best (the company's editors only):
    no CV, no support notes, no postcode; the distance in km."""
    placement = placement_to_edit(user=request.user, pk=placement_id)
    out = []
    for c in candidates_for_placement(placement, limit=filters.limit):
        p = c.profile
        out.append(
            {
                "student_id": p.student_id,
                "name": p.name,
                "programme": p.programme,
                "institution": p.institution,
                "level_label": p.level_label,
                "year": p.year,
                "wanted_activities": p.wanted_activities,
                "activity_tags": list(p.activity_tags),
                "skills": p.skills,
                "skill_tags": list(p.skill_tags),
                "languages": list(p.languages),
                "hours_per_week": p.hours_per_week,
                "available_from": p.available_from.isoformat() if p.available_from else None,
                "distance_km": p.distance_km,
                "score": c.fit.score,
                "reasons": _reasons(c.fit),
            }
        )
    return out
