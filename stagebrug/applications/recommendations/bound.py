"""An upper bound of the fit score in SQL, so that recommendations read the placements in
reach best possible score first and stop early (C5; W2, W16).

`score_bound(student, weights)` is an expression over rows of `placements_reach` (see
`placements.reach`) at or above `eligible_score` of every one of them:

* activities (W16): how many of the student's terms the placement's stored terms hold
  (`KeyHits`), exactly as the score counts them; a placement whose terms were never stored
  counts as holding them all;
* programme and level, hours, allowance and the duo weight: computed as `score.py` does;
* distance: the fraction at a lower bound of the true distance (the equirectangular distance
  SQL computes differs from the haversine by less than half a percent within 120 km in the
  Netherlands; `DISTANCE_SLACK` allows twice that);
* start: from the first and last start date (`_start`): exact where those two decide it, full
  where only the whole list of dates would.

Plus half a point for the score's rounding. No text is analysed per request: the terms were
analysed when the placement was written.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections.abc import Sequence

from django.db.models import (
    Case,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Value,
    When,
)
from django.db.models.functions import Cast, Greatest, Least, Sqrt

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
from stagebrug.core.text.terms import KEYS_SEPARATOR, key_bit
from stagebrug.placements.reach import INTARRAY

# The equirectangular km of `core.geo.squared_km` divided by this is at most the haversine km.
DISTANCE_SLACK = 1.01
# Bands of the wait for a first start date between "soon" and "late" (see `_start`).
START_BANDS = 12


def _f(number: float) -> Cast:
    """A constant of the floating-point type: PostgreSQL reads a bare 35.0 as numeric, whose
    arithmetic costs several times more per row."""
    return Cast(Value(float(number)), output_field=FloatField())


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
        earned.append(_f(weight * unknown) if part is None else part * _f(weight))
    duo = float(w.weight(DUO))
    is_duo = Case(When(is_duo=True, then=_f(1.0)), default=_f(0.0), output_field=FloatField())
    numerator = functools.reduce(lambda a, b: a + b, earned, _f(0.0)) + is_duo * _f(duo)
    denominator = _f(total) + is_duo * _f(duo)
    return ExpressionWrapper(
        _f(100.0) * numerator / Greatest(denominator, _f(1e-9)) + _f(0.5),
        output_field=FloatField(),
    )


def _part(code: str, s: StudentFacts, w: FitWeights):
    """One component's fraction (or a bound of it) as an SQL expression; None when it is the
    unknown fraction for every row, because the student did not say."""
    one = _f(1.0)
    if code == ACTIVITIES:
        if not s.activity_keys:
            return None
        full = float(min(w.activities_full_at, len(s.activity_keys)))
        return Least(one, KeyHits(sorted(s.activity_keys), full) / _f(full))
    if code == PROGRAMME_LEVEL:
        early = w.graduation_early_fraction if s.year < w.graduation_min_year else 1.0
        return Case(
            When(kind=GRADUATION_KIND, then=_f(early)),
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
        km = Sqrt(F("km2")) / _f(DISTANCE_SLACK)
        slope = (1.0 - w.distance_fraction_at_max) / (top - full)
        return Greatest(
            _f(w.distance_fraction_at_max),
            Least(one, one - (km - _f(full)) * _f(slope)),
        )
    if code == HOURS:
        if s.hours_per_week is None:
            return None
        diff = F("hours_per_week") - Value(s.hours_per_week)
        return Case(
            When(hours_per_week__isnull=True, then=_f(w.unknown_fraction)),
            When(
                hours_per_week__lte=s.hours_per_week + w.hours_margin,
                hours_per_week__gte=s.hours_per_week - w.hours_margin,
                then=one,
            ),
            When(
                hours_per_week__gt=s.hours_per_week,
                then=Greatest(
                    _f(0.0),
                    one - (diff - _f(w.hours_margin)) / _f(w.hours_over_tolerance),
                ),
            ),
            default=Greatest(
                _f(0.0),
                one - (-diff - _f(w.hours_margin)) / _f(w.hours_under_tolerance),
            ),
            output_field=FloatField(),
        )
    if code == START:
        return None if s.available_from is None else _start(s.available_from, w)
    if code == ALLOWANCE:
        need = s.allowance_needed
        if need is None:
            return None
        if need <= 0:
            return one
        return Least(one, F("allowance") / _f(need))
    raise ValueError(f"no bound for the fit component {code!r}")


def _start(available: dt.date, w: FitWeights) -> Case:
    """The start fraction from the first and last start date (`earliest_start`,
    `latest_start`): exact when no date is left after `available` (0), when there are no
    dates (unknown) or when the first is after it (a function of the wait, at the inner edge
    of its band of `START_BANDS`); 1 when some date after it exists but not which."""
    full_days, late_days = w.start_full_within_days, w.start_late_after_days
    edges = [full_days + (late_days - full_days) * i / START_BANDS for i in range(START_BANDS)]
    whens = [
        When(earliest_start__isnull=True, then=_f(w.unknown_fraction)),
        When(latest_start__lt=available, then=_f(0.0)),
        When(earliest_start__lt=available, then=_f(1.0)),
        When(earliest_start__lte=available + dt.timedelta(days=full_days), then=_f(1.0)),
    ]
    for inner, outer in itertools.pairwise([*edges, late_days]):
        share = (inner - full_days) / (late_days - full_days)
        whens.append(
            When(
                earliest_start__lt=available + dt.timedelta(days=math.ceil(outer)),
                then=_f(1.0 - (1.0 - w.start_late_fraction) * share),
            )
        )
    return Case(*whens, default=_f(w.start_late_fraction), output_field=FloatField())


class KeyHits(Expression):
    """How many of `keys` the stored terms of a `placements_reach` row hold; `full` for a row
    whose terms were never stored. PostgreSQL intersects term ids (see `placements.reach`);
    SQLite tests each key's bit in `fit_mask`, then searches the terms for it."""

    output_field = IntegerField()

    def __init__(self, keys: Sequence[str], full: int) -> None:
        super().__init__(output_field=IntegerField())
        self.keys = [k for k in keys if k and KEYS_SEPARATOR not in k]
        self.full = int(full)
        self.column, self.mask, self.ids = F("fit_keys"), F("fit_mask"), F("fit_ids")

    def get_source_expressions(self):
        return [self.column, self.mask, self.ids]

    def set_source_expressions(self, exprs):
        self.column, self.mask, self.ids = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            # The row's term ids intersected with the student's (an InitPlan: once per query).
            ids, ids_params = compiler.compile(self.ids)
            sql = (
                f"(CASE WHEN {column} = '' THEN %s ELSE {INTARRAY}.icount({ids} "
                f"OPERATOR({INTARRAY}.&) ARRAY(SELECT id FROM placements_fit_terms "
                "WHERE term = ANY(%s))) END)"
            )
            return sql, [*column_params, self.full, *ids_params, list(self.keys)]
        # The key's bit in `fit_mask` first: most rows lack it, and the search is skipped;
        # then a plain substring search (a LIKE '%|key|%' costs several times more per row).
        mask, mask_params = compiler.compile(self.mask)
        parts, params = [], []
        for key in self.keys:
            parts.append(
                f"(CASE WHEN ({mask} & %s) = 0 THEN 0 WHEN instr({column}, %s) > 0 THEN 1 "
                "ELSE 0 END)"
            )
            params += [*mask_params, 1 << key_bit(key), *column_params]
            params.append(f"{KEYS_SEPARATOR}{key}{KEYS_SEPARATOR}")
        hits = " + ".join(parts) or "0"
        sql = f"(CASE WHEN {column} = '' THEN %s ELSE ({hits}) END)"
        return sql, [*column_params, self.full, *params]  # whole numbers: integer arithmetic
