"""Fit facts from the database, in bulk and with a constant number of queries: from model
instances, or from plain column values for reads with `values()`."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from stagebrug.applications.recommendations.facts import PlacementFitFacts, StudentFacts
from stagebrug.core.text.terms import placement_keys, student_terms
from stagebrug.placements.facts import parse_dates

if TYPE_CHECKING:
    from stagebrug.applications.models import StudentProfile
    from stagebrug.placements.models import Placement


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


@functools.lru_cache(maxsize=4096)
def levels_from_json(text: str | None) -> frozenset[int]:
    """Levels from their JSON text ("[2, 5]"), parsed once per distinct value: bulk reads
    cast the JSON column to text, because there are few distinct values and many rows."""
    return frozenset(int(lv) for lv in json.loads(text or "[]") or ())


@functools.lru_cache(maxsize=4096)
def dates_from_json(text: str | None) -> tuple[dt.date, ...]:
    """Sorted start dates from their JSON text, parsed once per distinct value."""
    return parse_dates(json.loads(text or "[]") or ())


def student_facts_from_values(
    *,
    student_id: int,
    profile_id: int,
    programme_id: int,
    programme_name: str,
    programme_kind: str,
    level: int,
    year: int,
    latitude: float | None,
    longitude: float | None,
    max_travel_km: int,
    hours_per_week: int | None,
    available_from: dt.date | None,
    allowance_needed: Decimal | float | None,
    wanted_activities: str,
    activity_tags: Sequence[str] | None,
) -> StudentFacts:
    """StudentFacts from plain column values (for bulk reads with `values()`); `level` is
    the programme's (`Programme.level`)."""
    return StudentFacts(
        student_id=student_id,
        profile_id=profile_id,
        programme_id=programme_id,
        programme_name=programme_name,
        kind=programme_kind,
        level=level,
        year=year or 1,
        home=(latitude, longitude) if latitude is not None and longitude is not None else None,
        max_travel_km=max_travel_km or 0,
        hours_per_week=hours_per_week,
        available_from=available_from,
        allowance_needed=_float(allowance_needed),
        activity_terms=student_terms(wanted_activities or "", activity_tags or ()),
    )


def student_facts(profiles: Iterable[StudentProfile]) -> list[StudentFacts]:
    """Facts for each profile, in order. At most two queries whatever the number of profiles:
    programmes and home postcodes that were not select_related are fetched in bulk."""
    from stagebrug.registry.models import Postcode, Programme

    profiles = list(profiles)
    need_programmes = {
        p.programme_id for p in profiles if not p._state.fields_cache.get("programme")
    }
    need_postcodes = {
        p.home_pc4_id
        for p in profiles
        if p.home_pc4_id and not p._state.fields_cache.get("home_pc4")
    }
    programmes = Programme.objects.in_bulk(need_programmes) if need_programmes else {}
    postcodes = Postcode.objects.in_bulk(need_postcodes) if need_postcodes else {}
    out = []
    for profile in profiles:
        programme = profile._state.fields_cache.get("programme") or programmes[profile.programme_id]
        home = None
        if profile.home_pc4_id:
            home = profile._state.fields_cache.get("home_pc4") or postcodes.get(profile.home_pc4_id)
        out.append(
            student_facts_from_values(
                student_id=profile.user_id,
                profile_id=profile.pk,
                programme_id=programme.pk,
                programme_name=programme.name,
                programme_kind=programme.kind,
                level=programme.level,
                year=profile.year,
                latitude=home.latitude if home else None,
                longitude=home.longitude if home else None,
                max_travel_km=profile.max_travel_km,
                hours_per_week=profile.hours_per_week,
                available_from=profile.available_from,
                allowance_needed=profile.allowance_needed,
                wanted_activities=profile.wanted_activities,
                activity_tags=profile.activity_tags,
            )
        )
    return out


def placement_fit_facts_from_values(
    *,
    placement_id: int,
    kind: str,
    levels: Iterable[int] | None,
    approved_programme_ids: Iterable[int],
    is_duo: bool,
    hours_per_week: int | None,
    start_dates: Iterable[Any] | None,
    monthly_allowance: Decimal | float | None,
    latitude: float | None,
    longitude: float | None,
    search_text: str = "",
    title: str = "",
    activities: Iterable[str] | None = (),
    fit_keys: str = "",
) -> PlacementFitFacts:
    """PlacementFitFacts from plain column values (for bulk reads with `values()`)."""
    activities = tuple(str(a) for a in activities or ())
    return PlacementFitFacts(
        placement_id=placement_id,
        kind=kind,
        levels=frozenset(int(lv) for lv in levels or ()),
        approved_programme_ids=frozenset(approved_programme_ids),
        is_duo=bool(is_duo),
        hours_per_week=hours_per_week,
        start_dates=parse_dates(start_dates or ()),
        monthly_allowance=_float(monthly_allowance) or 0.0,
        location=(latitude, longitude) if latitude is not None and longitude is not None else None,
        activity_keys=placement_keys(
            fit_keys=fit_keys, search_text=search_text, title=title, activities=activities
        ),
        title=title,
        activities=activities,
    )


def placement_fit_facts(placements: Iterable[Placement]) -> list[PlacementFitFacts]:
    """Facts for each placement, in order. One query for the approved programmes of all of
    them, none when `approved_targets` was prefetched (`placements.selectors`)."""
    from stagebrug.placements.models import PlacementProgramme, ProgrammeDecision

    placements = list(placements)
    approved: dict[int, set[int]] = {}
    missing = []
    for placement in placements:
        targets = getattr(placement, "approved_targets", None)
        if targets is not None:
            approved[placement.pk] = {t.programme_id for t in targets}
        else:
            missing.append(placement.pk)
    if missing:
        rows = PlacementProgramme.objects.filter(
            placement_id__in=missing, decision=ProgrammeDecision.APPROVED
        ).values_list("placement_id", "programme_id")
        for placement_id, programme_id in rows:
            approved.setdefault(placement_id, set()).add(programme_id)
    return [placement_fit_facts_of(p, approved.get(p.pk, ())) for p in placements]


def placement_fit_facts_of(
    placement: Placement, approved_programme_ids: Iterable[int]
) -> PlacementFitFacts:
    """The facts of one placement instance, with the programmes it is approved for."""
    return placement_fit_facts_from_values(
        placement_id=placement.pk,
        kind=placement.kind,
        levels=placement.levels,
        approved_programme_ids=approved_programme_ids,
        is_duo=placement.is_duo,
        hours_per_week=placement.hours_per_week,
        start_dates=placement.start_dates,
        monthly_allowance=placement.monthly_allowance,
        latitude=placement.latitude,
        longitude=placement.longitude,
        search_text=placement.search_text,
        fit_keys=placement.fit_keys,
        title=placement.title,
        activities=placement.activities,
    )
