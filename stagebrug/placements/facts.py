"""Turn database rows into the plain facts the eligibility and quality rules read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stagebrug.placements.eligibility import (
    CompanyFacts,
    PlacementFacts,
    ProgrammeFacts,
    RecognitionFacts,
    Requirement,
    SupervisorFacts,
)
from stagebrug.placements.models import Kind, Placement
from stagebrug.registry.models import Company, Programme, Recognition, Requirements


def recognition_facts(r: Recognition) -> RecognitionFacts:
    """A recognition with its qualification (select it along)."""
    return RecognitionFacts(
        crebo=r.qualification_id,
        dossier_crebo=r.qualification.dossier_crebo,
        level=r.level,
        valid_from=r.valid_from,
        valid_until=r.valid_until,
        name=r.qualification.name,
    )


def company_facts(company: Company) -> CompanyFacts:
    """Two queries: recognitions with their qualification, and supervisors."""
    recognitions = tuple(
        recognition_facts(r) for r in company.recognitions.select_related("qualification")
    )
    supervisors = tuple(
        SupervisorFacts(
            id=s.pk,
            name=s.name,
            education_level=s.education_level,
            education_sector=s.education_sector,
        )
        for s in company.supervisors.all()
    )
    return CompanyFacts(
        employee_count=company.employee_count, recognitions=recognitions, supervisors=supervisors
    )


def requirement_facts(req: Requirements | None) -> Requirement:
    if req is None:
        return Requirement()
    return Requirement(
        min_employees=req.min_employees,
        supervisor_min_level=req.supervisor_min_level,
        supervisor_same_sector=req.supervisor_same_sector,
        min_supervision_hours_per_week=req.min_supervision_hours_per_week,
        hours_per_week_min=req.hours_per_week_min,
        hours_per_week_max=req.hours_per_week_max,
        duration_weeks_min=req.duration_weeks_min,
        duration_weeks_max=req.duration_weeks_max,
        start_months=tuple(req.start_months or ()),
    )


def programme_facts(programme: Programme) -> ProgrammeFacts:
    """Expects `qualification` and `requirements` to be select_related."""
    q = programme.qualification
    return ProgrammeFacts(
        id=programme.pk,
        name=programme.name,
        kind=programme.kind,
        level=programme.level,
        sector=programme.sector,
        crebo=q.crebo if q else "",
        dossier_crebo=q.dossier_crebo if q else "",
        requirement=requirement_facts(getattr(programme, "requirements", None)),
    )


def programmes_with_facts(ids: Iterable[int]) -> list[Programme]:
    return list(
        Programme.objects.select_related("institution", "qualification", "requirements").filter(
            pk__in=list(ids)
        )
    )


def parse_dates(values: Iterable[Any]) -> tuple[dt.date, ...]:
    """Dates, or their ISO text, sorted and without repeats; what is not a date is left out."""
    out = []
    for value in values or ():
        if isinstance(value, dt.date):
            out.append(value)
        else:
            try:
                out.append(dt.date.fromisoformat(str(value)))
            except ValueError:
                continue
    return tuple(sorted(set(out)))


def placement_facts(data: Placement | dict[str, Any]) -> PlacementFacts:
    """From a saved placement, or from a form's (possibly incomplete) data while typing."""
    get = (lambda k: getattr(data, k, None)) if isinstance(data, Placement) else data.get
    kind = get("kind") or Kind.MBO_BOL
    if isinstance(data, Placement):
        buddy_id = data.buddy_id
    else:
        buddy = data.get("buddy")
        buddy_id = getattr(buddy, "pk", buddy) or None
    supervision = get("supervision_hours_per_week")
    return PlacementFacts(
        kind=Kind.school_kind(kind),
        levels=tuple(int(lv) for lv in (get("levels") or ())),
        hours_per_week=get("hours_per_week"),
        duration_weeks=get("duration_weeks"),
        start_dates=parse_dates(get("start_dates") or ()),
        supervision_hours_per_week=Decimal(supervision) if supervision is not None else None,
        buddy_id=buddy_id,
        is_duo=bool(get("is_duo")),
        today=timezone.localdate(),
    )
