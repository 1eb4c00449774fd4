"""An upper bound of the fit score in SQL, so that recommendations read the placements in
reach best possible score first and stop early (C5; W2, W16).

`score_bound(student, weights)` is an expression at or above `eligible_score` for every
placement row of a student's reach, whatever the row:

* activities (W16): the student's terms the placement's stored terms hold
  (`Placement.fit_keys`, one LIKE per term), exactly as the score counts them; a placement
  whose terms were never stored counts as matching them all;
* programme and level, hours, allowance and the duo weight: computed as `score.py` does;
* distance: the fraction at a lower bound of the true distance (the equirectangular distance
  SQL computes differs from the haversine by less than half a percent within 120 km in the
  Netherlands; `DISTANCE_SLACK` allows twice that);
* start: full, or the unknown fraction when the student gave no date (the first start after a
  date needs the whole list of dates).

Plus half a point for the score's rounding. No per-row function calls and no text analysis:
the terms were analysed when the placement was written.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db.models import Case, Expression, ExpressionWrapper, F, FloatField, Value, When
from django.db.models.functions import Greatest, Least, Sqrt

from stagebrug.applications.recommendations.facts import (
    ACTIVITIES,
    ALLOWANCE,
    DISTANCE,
    DUO,
    GRADUATION_KIND,
    HOURS,
    PROGRAMME_LEVEL,
    START,
    StudentFacts,
)
from stagebrug.applications.recommendations.weights import FitWeights
from stagebrug.core.text.terms import KEYS_SEPARATOR

# The equirectangular km of `core.geo.squared_km` divided by this is at most the haversine km.
DISTANCE_SLACK = 1.01


def score_bound(student: StudentFacts, w: FitWeights) -> ExpressionWrapper:
    """See the module. Annotate rows that have `km2` (`core.geo.squared_km` from the
    student's home) when the student's home is known."""
    unknown = w.unknown_fraction
    earned: list = []
    total = 0.0
    for weight, code in w.active:
        if code == DUO:
            continue  # counted for duo placements only: added below
        total += weight
        part = _part(code, student, w)
        earned.append(Value(weight * unknown) if part is None else part * Value(float(weight)))
    duo = float(w.weight(DUO))
    is_duo = Case(When(is_duo=True, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    numerator = functools.reduce(lambda a, b: a + b, earned, Value(0.0)) + is_duo * Value(duo)
    denominator = Value(total) + is_duo * Value(duo)
    return ExpressionWrapper(
        Value(100.0) * numerator / Greatest(denominator, Value(1e-9)) + Value(0.5),
        output_field=FloatField(),
    )


def _part(code: str, s: StudentFacts, w: FitWeights):
    """One component's fraction (or a bound of it) as an SQL expression; None when it is the
    unknown fraction for every row, because the student did not say."""
    one = Value(1.0)
    if code == ACTIVITIES:
        if not s.activity_keys:
            return None
        full = float(min(w.activities_full_at, len(s.activity_keys)))
        return Least(one, KeyHits(sorted(s.activity_keys), full) / Value(full))
    if code == PROGRAMME_LEVEL:
        early = w.graduation_early_fraction if s.year < w.graduation_min_year else 1.0
        return Case(
            When(kind=GRADUATION_KIND, then=Value(float(early))),
            default=one,
            output_field=FloatField(),
        )
    if code == DISTANCE:
        if s.home is None:
            return None
        top = float(s.max_travel_km)
        full = top * w.distance_full_within_share
        if top <= full:
            return one
        km = Sqrt(F("km2")) / Value(DISTANCE_SLACK)
        slope = (1.0 - w.distance_fraction_at_max) / (top - full)
        return Greatest(
            Value(float(w.distance_fraction_at_max)),
            Least(one, one - (km - Value(full)) * Value(slope)),
        )
    if code == HOURS:
        if s.hours_per_week is None:
            return None
        diff = F("hours_per_week") - Value(s.hours_per_week)
        return Case(
            When(hours_per_week__isnull=True, then=Value(float(w.unknown_fraction))),
            When(
                hours_per_week__lte=s.hours_per_week + w.hours_margin,
                hours_per_week__gte=s.hours_per_week - w.hours_margin,
                then=one,
            ),
            When(
                hours_per_week__gt=s.hours_per_week,
                then=Greatest(
                    Value(0.0),
                    one - (diff - Value(w.hours_margin)) / Value(float(w.hours_over_tolerance)),
                ),
            ),
            default=Greatest(
                Value(0.0),
                one - (-diff - Value(w.hours_margin)) / Value(float(w.hours_under_tolerance)),
            ),
            output_field=FloatField(),
        )
    if code == START:
        return None if s.available_from is None else one
    if code == ALLOWANCE:
        need = s.allowance_needed
        if need is None:
            return None
        if need <= 0:
            return one
        return Least(one, F("allowance") / Value(float(need)))
    raise ValueError(f"no bound for the fit component {code!r}")


class KeyHits(Expression):
    """How many of `keys` the stored terms (`Placement.fit_keys`) hold; `full` for a row
    whose terms were never stored. One expression compiled once, one LIKE per key."""

    output_field = FloatField()

    def __init__(self, keys: Sequence[str], full: float, column: str = "fit_keys") -> None:
        super().__init__(output_field=FloatField())
        self.keys = [k for k in keys if k and KEYS_SEPARATOR not in k]
        self.full = float(full)
        self.column = F(column)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        parts, params = [], []
        for key in self.keys:
            parts.append(f"(CASE WHEN {column} LIKE %s ESCAPE '\\' THEN 1.0 ELSE 0.0 END)")
            params += [*column_params, f"%{KEYS_SEPARATOR}{_escape_like(key)}{KEYS_SEPARATOR}%"]
        hits = " + ".join(parts) or "0.0"
        sql = f"(CASE WHEN {column} = '' THEN %s ELSE ({hits}) END)"
        return sql, [*column_params, self.full, *params]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
