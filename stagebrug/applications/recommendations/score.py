"""The fit score itself: each component's fraction, the eligibility gate, the number and the
explained result. Pure arithmetic over `facts`; sentences come from `reasons`."""

from __future__ import annotations

import math
from typing import Any

from stagebrug.applications.recommendations.facts import (
    ACTIVITIES,
    ALLOWANCE,
    DISTANCE,
    DUO,
    DUO_NO_SEAT,
    GRADUATION_KIND,
    HOURS,
    LEVEL_OUTSIDE,
    NOT_OFFERED,
    PROGRAMME_LEVEL,
    START,
    Audience,
    FitResult,
    PlacementFitFacts,
    Reason,
    StudentFacts,
)
from stagebrug.applications.recommendations.reasons import TEXTS, gate_text
from stagebrug.applications.recommendations.weights import FitWeights, load_weights
from stagebrug.core.geo import haversine_km

NOT_APPLICABLE = None
_Part = tuple[float | None, Any]


def _activities(s: StudentFacts, p: PlacementFitFacts, w: FitWeights) -> _Part:
    wanted = s.activity_keys
    if not wanted:
        return None, ()
    matched = wanted & p.activity_keys
    fraction = min(1.0, len(matched) / min(w.activities_full_at, len(wanted)))
    return fraction, matched


def _programme_level(s: StudentFacts, p: PlacementFitFacts, w: FitWeights) -> _Part:
    if p.kind == GRADUATION_KIND and s.year < w.graduation_min_year:
        return w.graduation_early_fraction, int(w.graduation_min_year)
    return 1.0, None


def distance_fraction(km: float, max_km: float, w: FitWeights) -> float:
    """1 close by, falling linearly to `distance_fraction_at_max` at the student's maximum,
    0 beyond it. Never rises with distance (a hypothesis test pins this)."""
    if km > max_km:
        return 0.0
    full = max_km * w.distance_full_within_share
    if km <= full:
        return 1.0
    return 1.0 - (1.0 - w.distance_fraction_at_max) * (km - full) / (max_km - full)


def _distance(s: StudentFacts, p: PlacementFitFacts, w: FitWeights) -> _Part:
    if s.home is None or p.location is None:
        return None, None
    km = haversine_km(s.home, p.location)
    return distance_fraction(km, s.max_travel_km, w), km


def _hours(s: StudentFacts, p: PlacementFitFacts, w: FitWeights) -> _Part:
    if s.hours_per_week is None or p.hours_per_week is None:
        return None, 0
    diff = p.hours_per_week - s.hours_per_week
    if abs(diff) <= w.hours_margin:
        return 1.0, diff
    if diff > 0:
        return max(0.0, 1.0 - (diff - w.hours_margin) / w.hours_over_tolerance), diff
    return max(0.0, 1.0 - (-diff - w.hours_margin) / w.hours_under_tolerance), diff


def _start(s: StudentFacts, p: PlacementFitFacts, w: FitWeights) -> _Part:
    if s.available_from is None or not p.start_dates:
        return None, None
    later = [d for d in p.start_dates if d >= s.available_from]
    if not later:
        return 0.0, p.start_dates[-1]
    first = later[0]
    wait = (first - s.available_from).days
    if wait <= w.start_full_within_days:
        return 1.0, first
    if wait >= w.start_late_after_days:
        return w.start_late_fraction, first
    share = (wait - w.start_full_within_days) / (w.start_late_after_days - w.start_full_within_days)
    return 1.0 - (1.0 - w.start_late_fraction) * share, first


def _allowance(s: StudentFacts, p: PlacementFitFacts, w: FitWeights) -> _Part:
    need = s.allowance_needed
    if need is None:
        return None, None
    if need <= 0 or p.monthly_allowance >= need:
        return 1.0, None
    return max(0.0, p.monthly_allowance / need), None


def _duo(s: StudentFacts, p: PlacementFitFacts, w: FitWeights) -> _Part | None:
    if not p.is_duo:
        return NOT_APPLICABLE
    return (1.0 if s.kind in p.seat_kinds else 0.0), None


_COMPUTE = {
    ACTIVITIES: _activities,
    PROGRAMME_LEVEL: _programme_level,
    DISTANCE: _distance,
    HOURS: _hours,
    START: _start,
    ALLOWANCE: _allowance,
    DUO: _duo,
}


def gate(s: StudentFacts, p: PlacementFitFacts) -> tuple[str, ...]:
    """The eligibility rules the pair fails (empty when eligible)."""
    failed = []
    if s.programme_id not in p.approved_programme_ids:
        failed.append(NOT_OFFERED)
    if s.level not in p.levels:
        failed.append(LEVEL_OUTSIDE)
    if p.is_duo and s.kind not in p.seat_kinds:
        failed.append(DUO_NO_SEAT)
    return tuple(failed)


def fit_score(s: StudentFacts, p: PlacementFitFacts, *, weights: FitWeights | None = None) -> int:
    """The score alone, the same number `fit()` gives, without building sentences: 0 when the
    pair is not eligible, else 1–100."""
    if gate(s, p):
        return 0
    return eligible_score(s, p, weights or load_weights())


def eligible_score(s: StudentFacts, p: PlacementFitFacts, w: FitWeights) -> int:
    """`fit_score` for a pair already known to pass the gate (the hot loop of
    recommendations: it runs for up to a thousand candidates per request)."""
    total = earned = 0.0
    unknown = w.unknown_fraction
    for weight, code in w.active:
        part = _COMPUTE[code](s, p, w)
        if part is NOT_APPLICABLE:
            continue
        fraction = part[0]
        total += weight
        earned += weight * (unknown if fraction is None else fraction)
    if total <= 0:
        return 100
    # At least 1 once eligible, so that 0 always means "not eligible" (matching rounds
    # treat 0 as not acceptable).
    return max(1, min(100, math.floor(100.0 * earned / total + 0.5)))


def fit(
    s: StudentFacts,
    p: PlacementFitFacts,
    *,
    weights: FitWeights | None = None,
    audience: Audience = "student",
) -> FitResult:
    """The score with its reasons, written for the student or for the business."""
    w = weights or load_weights()
    km = haversine_km(s.home, p.location) if s.home and p.location else None
    failed = gate(s, p)
    if failed:
        reasons = tuple(
            Reason(code, 0.0, 0.0, gate_text(code, s, p, audience), False) for code in failed
        )
        return FitResult(0, False, reasons, km)
    reasons_list = []
    for code, compute in _COMPUTE.items():
        weight = w.components[code]
        if not weight:
            continue  # switched off in the weights file: neither counted nor shown
        part = compute(s, p, w)
        if part is NOT_APPLICABLE:
            continue
        fraction, detail = part
        used = w.unknown_fraction if fraction is None else fraction
        good = fraction is not None and fraction >= w.good_from_fraction
        if code == ACTIVITIES and fraction:
            good = True  # any shared activity is good news, and the sentence names it
        text = TEXTS[code](s, p, fraction, detail, audience)
        reasons_list.append(Reason(code, round(weight * used, 1), weight, text, good))
    return FitResult(eligible_score(s, p, w), True, tuple(reasons_list), km)
