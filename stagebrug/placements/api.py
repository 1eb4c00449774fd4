"""Placements API: everything a business does in the browser, the same rules and messages;
routing, eligibility and quality as JSON; the public search; the school's decisions."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.api_auth import AUTH
from stagebrug.core.api import Pagination
from stagebrug.core.schemas import ERRORS, Hours, Id, Money, ShortText, SmallInt, Text
from stagebrug.core.text import has_words
from stagebrug.placements import advice, selectors, services
from stagebrug.placements import messages as m
from stagebrug.placements.models import LANGUAGE_CHOICES, Placement, PlacementProgramme
from stagebrug.placements.routing import get_router
from stagebrug.placements.search import SearchParams, placement_search
from stagebrug.registry import selectors as registry_selectors
from stagebrug.registry.models import Company, Institution, Programme

router = Router(tags=["placements"])


# --------------------------------------------------------------------------------------------
# Schemas


class RouteIn(Schema):
    title: str = Field(..., max_length=300)
    description: str = Field("", max_length=10000)
    activities: list[str] = Field(default_factory=list, max_length=50)
    kind: str | None = Field(None, description="mbo or hbo, to limit the suggestions")
    limit: int = Field(5, ge=1, le=20)


class RouteProgrammeOut(Schema):
    id: int
    institution: str
    url: str


class RouteOut(Schema):
    key: str = Field(..., description="crebo:<code>, croho:<code>, or name:<slug>")
    name: str
    kind: str
    level_label: str
    score: float
    reasons: list[str]
    matched_terms: list[str]
    programmes: list[RouteProgrammeOut] = Field(
        ..., description="The schools that offer it on Stagebrug; empty when none does yet"
    )
    other_codes: list[str] = Field(
        default_factory=list, description="Older crebo codes of the same qualification"
    )
    recognition: str = Field("", description="The SBB recognition a business needs (MBO)")
    ask: str = Field("", description="Whom to ask when no school offers it yet")


class TargetOut(Schema):
    id: int
    programme_id: int
    programme: str
    institution: str
    decision: str
    reason: str


class PlacementOut(Schema):
    id: int
    url: str
    title: str
    company_id: int
    company: str
    location_id: int
    city: str
    municipality: str | None
    description: str
    activities: list[str]
    learning: str
    kind: str
    levels: list[int]
    hours_per_week: int
    duration_weeks: int
    start_dates: list[str]
    positions: int
    allowance_amount: Decimal
    allowance_unit: str
    allowance_basis: str
    weekend_work: bool
    weekend_wage: bool
    side_job: bool
    side_job_note: str
    buddy_id: int | None
    supervision_hours_per_week: Decimal | None
    languages: list[str]
    is_duo: bool
    mbo_seats: int
    hbo_seats: int
    status: str
    quality_score: int
    published_at: dt.datetime | None
    programmes: list[TargetOut]
    distance_km: float | None = None

    @staticmethod
    def resolve_url(obj: Placement) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_company(obj: Placement) -> str:
        return obj.company.name

    @staticmethod
    def resolve_city(obj: Placement) -> str:
        return obj.location.city

    @staticmethod
    def resolve_municipality(obj: Placement) -> str | None:
        return obj.municipality.name if obj.municipality_id else None

    @staticmethod
    def resolve_programmes(obj: Placement) -> list[dict[str, Any]]:
        targets = getattr(obj, "all_targets", None)
        if targets is None:
            targets = getattr(obj, "approved_targets", [])
        return [
            {
                "id": t.pk,
                "programme_id": t.programme_id,
                "programme": t.programme.name,
                "institution": t.programme.institution.name,
                "decision": t.decision,
                "reason": t.reason,
            }
            for t in targets
        ]


class SearchOut(Schema):
    count: int = Field(..., description="exact when count_exact, else a lower bound")
    count_exact: bool
    page: int
    pages: int
    typo_corrected: bool
    items: list[PlacementOut]


class PlacementIn(Schema):
    location: Id
    title: ShortText
    description: Text
    activities: list[ShortText]
    learning: Text = ""
    kind: str
    levels: list[SmallInt]
    programmes: list[Id]
    hours_per_week: SmallInt
    duration_weeks: SmallInt
    start_dates: list[dt.date]
    positions: SmallInt = 1
    allowance_amount: Money = Decimal("0")
    allowance_unit: str = "month"
    allowance_basis: str = "gross"
    weekend_work: bool = False
    weekend_wage: bool = False
    side_job: bool = False
    side_job_note: ShortText = ""
    buddy: Id | None = None
    supervision_hours_per_week: Hours | None = None
    languages: list[str] = Field(
        default_factory=list, description=", ".join(c for c, _l in LANGUAGE_CHOICES)
    )
    is_duo: bool = False
    #: W21: a duo's seats for MBO and HBO students; its positions are their sum.
    mbo_seats: SmallInt = 0
    hbo_seats: SmallInt = 0


PATCH_NULLABLE = {"buddy", "supervision_hours_per_week"}


class PlacementPatch(Schema):
    location: Id | None = None
    title: ShortText | None = None
    description: Text | None = None
    activities: list[ShortText] | None = None
    learning: Text | None = None
    kind: str | None = None
    levels: list[SmallInt] | None = None
    programmes: list[Id] | None = None
    hours_per_week: SmallInt | None = None
    duration_weeks: SmallInt | None = None
    start_dates: list[dt.date] | None = None
    positions: SmallInt | None = None
    allowance_amount: Money | None = None
    allowance_unit: str | None = None
    allowance_basis: str | None = None
    weekend_work: bool | None = None
    weekend_wage: bool | None = None
    side_job: bool | None = None
    side_job_note: ShortText | None = None
    buddy: Id | None = None
    supervision_hours_per_week: Hours | None = None
    languages: list[str] | None = None
    is_duo: bool | None = None
    mbo_seats: SmallInt | None = None
    hbo_seats: SmallInt | None = None


class VerdictOut(Schema):
    rule: str
    status: str
    reason: str
    fix: str
    w: str


class ProgrammeEligibilityOut(Schema):
    programme_id: int
    programme: str
    institution: str
    status: str
    verdicts: list[VerdictOut]


class EligibilityOut(Schema):
    placement_id: int
    eligible_for: list[int]
    programmes: list[ProgrammeEligibilityOut]


class CheckOut(Schema):
    code: str
    ok: bool
    earned: int
    weight: int
    message: str
    w: str
    detail: str = Field("", description="How the figures were worked out, e.g. per month")


class QualityOut(Schema):
    placement_id: int
    score: int
    checks: list[CheckOut]


class DecisionIn(Schema):
    approve: bool
    reason: Text = ""


# --------------------------------------------------------------------------------------------
# Conversion: ids in the API become objects for the services


def _company_objects(company: Company, data: dict[str, Any]) -> dict[str, Any]:
    if "location" in data and data["location"] is not None:
        location = company.locations.filter(pk=data["location"]).first()
        if location is None:
            raise ValidationError({"location": [m.LOCATION_NOT_YOURS]})
        data["location"] = location
    if data.get("buddy") is not None:
        buddy = company.supervisors.filter(pk=data["buddy"]).first()
        if buddy is None:
            raise ValidationError({"buddy": [m.BUDDY_NOT_YOURS]})
        data["buddy"] = buddy
    if data.get("start_dates") is not None:
        data["start_dates"] = [d.isoformat() for d in data["start_dates"]]
    programmes = None
    if data.get("programmes") is not None:
        ids = list(dict.fromkeys(data.pop("programmes")))
        found = {p.pk: p for p in Programme.objects.filter(pk__in=ids, is_active=True)}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise ValidationError(
                {
                    "programmes": [
                        _("Unknown or closed programme: %(ids)s")
                        % {"ids": ", ".join(map(str, missing))}
                    ]
                }
            )
        programmes = [found[pk] for pk in ids]
    else:
        data.pop("programmes", None)
    return {**data, **({"programmes": programmes} if programmes is not None else {})}


def _editable(request: HttpRequest, pk: int) -> Placement:
    return selectors.placement_to_edit(user=request.user, pk=pk)


def _fresh(pk: int) -> Placement:
    return (
        Placement.objects.select_related(*selectors.PLACEMENT_JOINS)
        .prefetch_related(selectors.all_targets())
        .get(pk=pk)
    )


# --------------------------------------------------------------------------------------------
# Routing (W15)


@router.post("/placements/route", response=list[RouteOut], auth=None)
def route(request: HttpRequest, payload: RouteIn):
    """Which programmes does a placement text belong to? Ranked, with the words that matched.
    A text without a word (only punctuation, markup or numbers) is refused with a reason."""
    if not has_words(" ".join([payload.title, payload.description, *payload.activities])):
        raise ValidationError({"title": [m.ROUTE_WITHOUT_WORDS]})
    suggestions = get_router().route(
        title=payload.title,
        description=payload.description,
        activities=payload.activities,
        kind=payload.kind if payload.kind in ("mbo", "hbo") else None,
        limit=payload.limit,
    )
    ids = {pid for s in suggestions for pid in s.programme_ids}
    programmes = {
        p.pk: p for p in Programme.objects.filter(pk__in=ids).select_related("institution")
    }
    return [
        {
            "key": s.key,
            "name": s.name,
            "kind": s.kind,
            "level_label": s.level_label,
            "score": round(s.score, 4),
            "reasons": list(s.reasons),
            "matched_terms": list(s.matched_terms),
            "programmes": [
                {
                    "id": pid,
                    "institution": programmes[pid].institution.name,
                    "url": programmes[pid].get_absolute_url(),
                }
                for pid in s.programme_ids
                if pid in programmes
            ],
            "other_codes": [a.partition(":")[2] for a in s.aliases],
            "recognition": view.recognition,
            "ask": view.ask,
        }
        for s, view in zip(suggestions, advice.answer_suggestions(suggestions), strict=True)
    ]


# --------------------------------------------------------------------------------------------
# Public search and pages


class SearchQuery(Schema):
    q: str = ""
    programme: int | None = None
    level: int | None = None
    kind: str | None = None
    municipality: str | None = None
    postcode: str | None = None
    max_km: float | None = None
    min_allowance: Decimal | None = None
    hours_min: int | None = None
    hours_max: int | None = None
    start_from: dt.date | None = None
    start_until: dt.date | None = None
    side_job: bool | None = None
    duo: bool | None = None
    sort: str = "relevance"
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


@router.get("/placements", response={200: SearchOut, **ERRORS}, auth=None)
def search(request: HttpRequest, filters: Query[SearchQuery]):
    """Search published placements: full text in Dutch, filters, distance from a postcode."""
    result = placement_search(SearchParams(**filters.dict()))
    items = []
    for placement in result.items:
        placement.distance_km = result.distances_km.get(placement.pk)
        items.append(placement)
    return {
        "count": result.count,
        "count_exact": result.count_exact,
        "page": result.page,
        "pages": result.pages,
        "typo_corrected": result.typo_corrected,
        "items": items,
    }


@router.get("/placements/{placement_id}", response={200: PlacementOut, **ERRORS}, auth=None)
def get_placement(request: HttpRequest, placement_id: int):
    """A published placement for anyone; any status for its own business."""
    placement = selectors.placement_public(pk=placement_id)
    if placement is not None:
        return placement
    own = selectors.placement_for_editor(user=request.user, pk=placement_id)
    if own is None:
        raise Http404
    return own


# --------------------------------------------------------------------------------------------
# A business manages its placements


@router.post("/placements", response={201: PlacementOut, **ERRORS}, auth=AUTH)
def create(
    request: HttpRequest,
    payload: PlacementIn,
    company: int = Query(..., description="your company id"),
):
    company_obj = registry_selectors.company_to_edit(user=request.user, pk=company)
    data = _company_objects(company_obj, payload.dict())
    placement = services.placement_create(company=company_obj, by=request.user, **data)
    return Status(201, _fresh(placement.pk))


@router.patch("/placements/{placement_id}", response={200: PlacementOut, **ERRORS}, auth=AUTH)
def update(request: HttpRequest, placement_id: int, payload: PlacementPatch):
    placement = _editable(request, placement_id)
    data = payload.dict(exclude_unset=True)
    # null empties an optional text or list; a required field cannot be emptied.
    for name, empty in (("learning", ""), ("side_job_note", ""), ("languages", [])):
        if name in data and data[name] is None:
            data[name] = empty
    required = sorted(k for k, v in data.items() if v is None and k not in PATCH_NULLABLE)
    if required:
        raise ValidationError({k: [m.REQUIRED_NOT_NULL] for k in required})
    data = _company_objects(placement.company, data)
    services.placement_update(placement=placement, by=request.user, **data)
    return _fresh(placement.pk)


def _action(request: HttpRequest, placement_id: int, service) -> Placement:
    placement = _editable(request, placement_id)
    service(placement=placement, by=request.user)
    return _fresh(placement.pk)


@router.post("/placements/{placement_id}/submit", response={200: PlacementOut, **ERRORS}, auth=AUTH)
def submit(request: HttpRequest, placement_id: int):
    """Offer to the schools; refused (400, with the reasons) where the rules are not met."""
    return _action(request, placement_id, services.placement_submit)


@router.post(
    "/placements/{placement_id}/withdraw", response={200: PlacementOut, **ERRORS}, auth=AUTH
)
def withdraw(request: HttpRequest, placement_id: int):
    return _action(request, placement_id, services.placement_withdraw)


@router.post("/placements/{placement_id}/fill", response={200: PlacementOut, **ERRORS}, auth=AUTH)
def fill(request: HttpRequest, placement_id: int):
    return _action(request, placement_id, services.placement_mark_filled)


@router.post("/placements/{placement_id}/close", response={200: PlacementOut, **ERRORS}, auth=AUTH)
def close(request: HttpRequest, placement_id: int):
    return _action(request, placement_id, services.placement_close)


def _readable(request: HttpRequest, placement_id: int) -> Placement:
    """Eligibility and quality: for the business and for the schools it was offered to."""
    placement = get_object_or_404(
        Placement.objects.select_related(*selectors.PLACEMENT_JOINS), pk=placement_id
    )
    if not perms.can_review_placement(request.user, placement):
        raise Http404
    return placement


@router.post(
    "/placements/{placement_id}/eligibility", response={200: EligibilityOut, **ERRORS}, auth=AUTH
)
def eligibility_check(request: HttpRequest, placement_id: int):
    """The eligibility verdicts per programme (C2), evaluated now."""
    placement = _readable(request, placement_id)
    report = advice.for_placement(placement)
    return {
        "placement_id": placement.pk,
        "eligible_for": [pa.programme.pk for pa in report.programmes if pa.status != "not_ok"],
        "programmes": [
            {
                "programme_id": pa.programme.pk,
                "programme": pa.programme.name,
                "institution": pa.programme.institution.name,
                "status": pa.status,
                "verdicts": [v.as_dict() for v in pa.verdicts],
            }
            for pa in report.programmes
        ],
    }


@router.api_operation(
    ["GET", "POST"],
    "/placements/{placement_id}/quality",
    response={200: QualityOut, **ERRORS},
    auth=AUTH,
)
def quality(request: HttpRequest, placement_id: int):
    """The quality score with its hints (C3)."""
    placement = _readable(request, placement_id)
    report = advice.for_placement(placement).quality
    return {
        "placement_id": placement.pk,
        "score": report.score,
        "checks": [c.as_dict() for c in report.checks],
    }


# --------------------------------------------------------------------------------------------
# Schools decide per programme


class ReviewOut(Schema):
    id: int
    placement_id: int
    placement: str
    company: str
    programme_id: int
    programme: str
    decision: str
    reason: str
    quality_score: int

    @staticmethod
    def resolve_placement(obj: PlacementProgramme) -> str:
        return obj.placement.title

    @staticmethod
    def resolve_company(obj: PlacementProgramme) -> str:
        return obj.placement.company.name

    @staticmethod
    def resolve_programme(obj: PlacementProgramme) -> str:
        return obj.programme.name

    @staticmethod
    def resolve_quality_score(obj: PlacementProgramme) -> int:
        return obj.placement.quality_score


@router.get("/schools/{slug}/placements", response=list[ReviewOut], auth=AUTH)
@paginate(Pagination)
def review_queue(request: HttpRequest, slug: str, decision: str | None = None):
    institution = get_object_or_404(Institution, slug=slug)
    if not perms.can_edit_institution(request.user, institution):
        raise Http404
    return selectors.review_queue(user=request.user, institution=institution, decision=decision)


@router.post(
    "/placement-targets/{target_id}/decision", response={200: ReviewOut, **ERRORS}, auth=AUTH
)
def decide(request: HttpRequest, target_id: int, payload: DecisionIn):
    """Approve or reject for one programme; a rejection needs a reason the business sees."""
    target = (
        PlacementProgramme.objects.select_related("programme__institution", "placement__company")
        .filter(pk=target_id)
        .first()
    )
    if target is None or not services.can_decide(request.user, target):
        raise Http404
    return services.placement_decide(
        target=target, by=request.user, approve=payload.approve, reason=payload.reason
    )
