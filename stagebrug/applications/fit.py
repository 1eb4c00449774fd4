"""The fit score: how well a student and a placement fit, and why (C5; W2, W14, W16, W21).

One module serves three readers: a student's recommendations, a business's view of the
students who fit its placement, and the default ranking of candidates in a matching round
("let the fit score rank the candidates"). They must agree, so there is one score.

The core is pure: plain frozen dataclasses in (`StudentFacts`, `PlacementFitFacts`), a
`FitResult` out, no ORM. `student_facts()` and `placement_fit_facts()` at the bottom build the
facts from the database in bulk, with a constant number of queries.

How the score is made (the weights and thresholds are data, `data/fit/weights.json`):

* **Eligibility is a hard gate.** The student's programme must be an approved target of the
  placement (the school approved it for that programme, C2), the student's level must be one
  of the placement's levels (W4), and a duo placement must have a seat for the student's kind
  of education (W21). Otherwise the score is 0 and the reasons say which rule failed.
* **Components** each give a fraction 0–1: activities (W16: students choose by what they will
  do), programme and level, travel distance, hours per week, start date, allowance against
  need (W5, W22), and duo fit (duo placements only). The score is the weighted mean × 100.
  What a side leaves unsaid scores `unknown_fraction`, and the reason says what to fill in.
* **Reasons** are sentences a person understands, activities first (W16), written for the
  student ("12 km van huis (je wilt max. 20 km)") or for the business ("Woont 12 km verderop").
  A business never sees the student's postcode, only the distance.

`fit_score()` computes the number alone, without building sentences: recommendations score
up to a thousand candidates per request and explain only the ones they show. `fit()` returns
the same score (it asks `eligible_score` for it) with its reasons; a test pins that they agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from stagebrug.core import text as textlib
from stagebrug.core.geo import haversine_km
from stagebrug.placements.facts import parse_dates
from stagebrug.registry.levels import HBO_LEVEL, level_label

if TYPE_CHECKING:
    from stagebrug.applications.models import StudentProfile
    from stagebrug.placements.models import Placement

Audience = Literal["student", "business"]

GRADUATION_KIND = "hbo_graduation"
WEIGHTS_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "fit" / "weights.json"

# Reason codes (tests and templates read these).
NOT_OFFERED = "not_offered"
LEVEL_OUTSIDE = "level_outside"
DUO_NO_SEAT = "duo_no_seat"
ACTIVITIES = "activities"
PROGRAMME_LEVEL = "programme_level"
DISTANCE = "distance"
HOURS = "hours"
START = "start"
ALLOWANCE = "allowance"
DUO = "duo"

# The order reasons are shown in: what the student will do first (W16).
COMPONENTS = (ACTIVITIES, PROGRAMME_LEVEL, DISTANCE, HOURS, START, ALLOWANCE, DUO)
SETTINGS = {
    # key: (lowest allowed, highest allowed); None = no bound
    "unknown_fraction": (0.0, 1.0),
    "activities_full_at": (1.0, None),
    "distance_full_within_share": (0.0, 1.0),
    "distance_fraction_at_max": (0.0, 1.0),
    "hours_margin": (0.0, None),
    "hours_over_tolerance": (1e-9, None),
    "hours_under_tolerance": (1e-9, None),
    "start_full_within_days": (0.0, None),
    "start_late_after_days": (1e-9, None),
    "start_late_fraction": (0.0, 1.0),
    "graduation_min_year": (1.0, 6.0),
    "graduation_early_fraction": (0.0, 1.0),
    "good_from_fraction": (0.0, 1.0),
}


# --------------------------------------------------------------------------------------------
# Weights: data, validated once


class FitWeightsError(ValueError):
    """The weights file cannot be used. The message names the file and the bad key."""


@dataclass(frozen=True)
class FitWeights:
    """The weight of each component and the thresholds the components use."""

    components: Mapping[str, float]
    unknown_fraction: float = 0.5
    activities_full_at: float = 3
    distance_full_within_share: float = 0.25
    distance_fraction_at_max: float = 0.25
    hours_margin: float = 4
    hours_over_tolerance: float = 8
    hours_under_tolerance: float = 16
    start_full_within_days: float = 92
    start_late_after_days: float = 365
    start_late_fraction: float = 0.5
    graduation_min_year: float = 3
    graduation_early_fraction: float = 0.5
    good_from_fraction: float = 0.8

    def weight(self, code: str) -> float:
        return self.components.get(code, 0.0)

    @functools.cached_property
    def active(self) -> tuple[tuple[float, Any], ...]:
        """(weight, compute) of the components with a weight, in display order."""
        return tuple(
            (self.components[code], _COMPUTE[code])
            for code in COMPONENTS
            if self.components.get(code)
        )

    def replace(self, *, components: Mapping[str, float] | None = None, **values: float):
        """A copy with some weights or settings changed (for experiments and tests)."""
        merged = dict(self.components)
        merged.update(components or {})
        data = {k: getattr(self, k) for k in SETTINGS}
        data.update(values)
        return parse_weights(
            {"components": {k: {"weight": v} for k, v in merged.items()}, "settings": data},
            source="replace()",
        )


def _number(value: Any, key: str, source: str, low: float | None, high: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FitWeightsError(f"{source}: {key} must be a number, not {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            bounds = "more than 0" if low is not None and 0 < low < 1e-6 else f"at least {low:g}"
        else:
            bounds = f"from {low:g} to {high:g}"
        raise FitWeightsError(f"{source}: {key} must be {bounds}, not {value!r}")
    return float(value)


def parse_weights(data: Any, *, source: str = "weights") -> FitWeights:
    """Validate the parsed JSON of a weights file; every error names the key it is about."""
    if not isinstance(data, dict):
        raise FitWeightsError(f"{source}: expected an object with 'components' and 'settings'")
    unknown = sorted(set(data) - {"about", "components", "settings"})
    if unknown:
        raise FitWeightsError(f"{source}: unknown key {unknown[0]!r}")
    components = data.get("components")
    if not isinstance(components, dict):
        raise FitWeightsError(f"{source}: 'components' must be an object")
    weights: dict[str, float] = {}
    for code, spec in components.items():
        if code not in COMPONENTS:
            raise FitWeightsError(
                f"{source}: unknown component 'components.{code}' (known: {', '.join(COMPONENTS)})"
            )
        if not isinstance(spec, dict) or "weight" not in spec:
            raise FitWeightsError(f"{source}: 'components.{code}' needs a 'weight'")
        extra = sorted(set(spec) - {"weight", "why"})
        if extra:
            raise FitWeightsError(f"{source}: unknown key 'components.{code}.{extra[0]}'")
        weights[code] = _number(spec["weight"], f"components.{code}.weight", source, 0.0, None)
    missing = [code for code in COMPONENTS if code not in weights]
    if missing:
        raise FitWeightsError(f"{source}: missing component 'components.{missing[0]}'")
    if not any(weights.values()):
        raise FitWeightsError(f"{source}: at least one component needs a weight above 0")
    values = data.get("settings", {})
    if not isinstance(values, dict):
        raise FitWeightsError(f"{source}: 'settings' must be an object")
    parsed: dict[str, float] = {}
    for key, value in values.items():
        if key not in SETTINGS:
            raise FitWeightsError(f"{source}: unknown setting 'settings.{key}'")
        low, high = SETTINGS[key]
        parsed[key] = _number(value, f"settings.{key}", source, low, high)
    result = FitWeights(components=weights, **parsed)
    if result.start_late_after_days <= result.start_full_within_days:
        raise FitWeightsError(
            f"{source}: settings.start_late_after_days must be more than "
            "settings.start_full_within_days"
        )
    return result


@functools.cache
def load_weights(path: Path | str | None = None) -> FitWeights:
    """The weights of `path` (default: settings.FIT_WEIGHTS_FILE or data/fit/weights.json),
    read and validated once per process."""
    path = Path(path or getattr(settings, "FIT_WEIGHTS_FILE", None) or WEIGHTS_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FitWeightsError(f"{path}: file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FitWeightsError(f"{path.name}: not valid JSON ({exc})") from None
    return parse_weights(data, source=path.name)


# --------------------------------------------------------------------------------------------
# Facts: plain data


@dataclass(frozen=True, slots=True)
class StudentFacts:
    """What the fit score reads of a student's profile."""

    student_id: int  # the user id (matching rounds and applications refer to users)
    profile_id: int
    programme_id: int
    programme_name: str
    kind: str  # "mbo" | "hbo"
    level: int  # MBO 1–4, HBO = 5
    year: int = 1
    home: tuple[float, float] | None = None  # the home PC4's centroid (latitude, longitude)
    max_travel_km: float = 20
    hours_per_week: int | None = None
    available_from: dt.date | None = None
    allowance_needed: float | None = None  # euro per month
    activity_terms: tuple[tuple[str, str], ...] = ()  # (key, label as the student wrote it)
    activity_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived once: the score reads it for every candidate.
        object.__setattr__(
            self, "activity_keys", frozenset(key for key, _label in self.activity_terms)
        )


@dataclass(frozen=True, slots=True)
class PlacementFitFacts:
    """What the fit score reads of a placement."""

    placement_id: int
    kind: str  # Placement.kind: mbo_bol, mbo_bbl, hbo_placement, hbo_graduation
    levels: frozenset[int]
    approved_programme_ids: frozenset[int]
    is_duo: bool = False
    hours_per_week: int | None = None
    start_dates: tuple[dt.date, ...] = ()  # sorted
    monthly_allowance: float = 0.0
    location: tuple[float, float] | None = None
    activity_keys: frozenset[str] = frozenset()  # terms of the title and the activities
    title: str = ""
    activities: tuple[str, ...] = ()

    @property
    def seat_kinds(self) -> frozenset[str]:
        """The kinds of education with a seat: MBO for levels 1–4, HBO for level 5 (W21)."""
        kinds = set()
        if any(lv < HBO_LEVEL for lv in self.levels):
            kinds.add("mbo")
        if HBO_LEVEL in self.levels:
            kinds.add("hbo")
        return frozenset(kinds)


@dataclass(frozen=True, slots=True)
class Reason:
    """One sentence of the explanation, with the points it earned out of its weight."""

    code: str
    points: float
    weight: float
    text: str
    good: bool


@dataclass(frozen=True, slots=True)
class FitResult:
    score: int  # 0–100
    eligible: bool
    reasons: tuple[Reason, ...]
    distance_km: float | None = None


# --------------------------------------------------------------------------------------------
# Dutch terms: the same analysis the search index stores (`Placement.search_text`), plus the
# synonym concepts of the routing data, so "Instagram" and "social media" meet.


@functools.cache
def _noise_stems() -> frozenset[str]:
    """Stems of the routing stop words: words every placement uses ("stage", "werken",
    "helpen", "maken") say nothing about what the student will do."""
    return frozenset(textlib.stem(w) for w in textlib.stopwords())


@functools.cache
def _phrase_index() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """Synonym phrases by their first stem, longest first, with their concept keys.

    The same greedy longest-match as `text.apply_synonyms`, but one dictionary probe per
    position instead of one per possible span: scoring reads a thousand activity lines per
    request (a test pins that both give the same concepts).
    """
    table = textlib.synonyms()
    grouped: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, concepts in table.phrases.items():
        keys = tuple(textlib.CONCEPT_PREFIX + c for c in concepts)
        grouped.setdefault(phrase[0], []).append((phrase, keys))
    return {
        first: tuple(sorted(options, key=lambda item: -len(item[0])))
        for first, options in grouped.items()
    }


def _terms_from_stems(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(key, label) per term: synonym phrases become their concept ("=social media"), other
    stems stay; noise stems are dropped; each key once, in text order."""
    index = _phrase_index()
    noise = _noise_stems()
    stems = [stem for stem, _word in pairs]
    out: dict[str, str] = {}
    i, n = 0, len(stems)
    while i < n:
        stem = stems[i]
        for phrase, keys in index.get(stem, ()):
            span = len(phrase)
            if span == 1 or (i + span <= n and tuple(stems[i : i + span]) == phrase):
                # Labelled with the words as written ("instagram"), which a person recognises
                # as their own; the concept only decides what matches.
                label = " ".join(dict.fromkeys(word for _stem, word in pairs[i : i + span]))
                for key in keys:
                    out.setdefault(key, label)
                i += span
                break
        else:
            if stem not in noise and len(stem) > 1:
                out.setdefault(stem, pairs[i][1])
            i += 1
    return list(out.items())


@functools.lru_cache(maxsize=50_000)
def text_terms(text: str) -> tuple[tuple[str, str], ...]:
    """The terms of one text (an activity, a title, a student's wish), with labels."""
    return tuple(_terms_from_stems(textlib.index_words(text)))


def student_terms(wanted: str, tags: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """The student's wanted activities as terms: tags first (they chose them), then the text."""
    out: dict[str, str] = {}
    for piece in [*(str(t) for t in tags or () if str(t).strip()), wanted or ""]:
        for key, label in text_terms(piece):
            out.setdefault(key, label)
    return tuple(out.items())


def _add_keys_of_stems(stems: Sequence[str], keys: set[str]) -> None:
    """Add the keys of a sequence of stems; the same result as `_terms_from_stems` without
    the labels, lean because it runs per candidate."""
    index = _phrase_index()
    noise = _noise_stems()
    i, n = 0, len(stems)
    while i < n:
        stem = stems[i]
        options = index.get(stem)
        if options is not None:
            for phrase, concept_keys in options:
                span = len(phrase)
                if span == 1 or (i + span <= n and tuple(stems[i : i + span]) == phrase):
                    keys.update(concept_keys)
                    i += span
                    break
            else:
                if stem not in noise and len(stem) > 1:
                    keys.add(stem)
                i += 1
            continue
        if stem not in noise and len(stem) > 1:
            keys.add(stem)
        i += 1


@functools.lru_cache(maxsize=20_000)
def _keys_of_search_text(search_text: str) -> frozenset[str]:
    # Lines 1 and 2 (title, activities) each on their own: a phrase never spans two lines.
    keys: set[str] = set()
    for line in search_text.split("\n", 2)[:2]:
        _add_keys_of_stems(line.split(), keys)
    return frozenset(keys)


def placement_keys(
    *, search_text: str = "", title: str = "", activities: Iterable[str] = ()
) -> frozenset[str]:
    """The terms of a placement's title and activities.

    Reads the stems the search index already stores (`search_text` lines 1 and 2, written by
    the services on every change), so scoring a thousand candidates analyses no text; falls
    back to analysing title and activities when the stored text is missing.
    """
    if search_text:
        return _keys_of_search_text(search_text)
    keys: set[str] = {key for key, _l in text_terms(title or "")}
    for activity in activities or ():
        keys.update(key for key, _l in text_terms(str(activity)))
    return frozenset(keys)


# --------------------------------------------------------------------------------------------
# Components: each returns (fraction or None when unknown, detail for the sentence), or
# NOT_APPLICABLE. Pure arithmetic, no text.

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
    for weight, compute in w.active:
        part = compute(s, p, w)
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
            Reason(code, 0.0, 0.0, _gate_text(code, s, p, audience), False) for code in failed
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
        text = _TEXTS[code](s, p, fraction, detail, audience)
        reasons_list.append(Reason(code, round(weight * used, 1), weight, text, good))
    return FitResult(eligible_score(s, p, w), True, tuple(reasons_list), km)


# --------------------------------------------------------------------------------------------
# Sentences (only built for what is shown)


def _km(km: float) -> str:
    return number_format(round(km, 1) if km < 10 else round(km), 1 if km < 10 else 0)


def _euro(amount: float) -> str:
    return number_format(round(amount), 0, force_grouping=True)


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _gate_text(code: str, s: StudentFacts, p: PlacementFitFacts, audience: Audience) -> str:
    levels = ", ".join(level_label(lv) for lv in sorted(p.levels)) or "—"
    kind = s.kind.upper()
    if code == NOT_OFFERED:
        if audience == "business":
            return _("Studies %(programme)s, a programme your placement is not offered to.") % {
                "programme": s.programme_name
            }
        return _("This placement is not offered to your programme %(programme)s.") % {
            "programme": s.programme_name
        }
    if code == LEVEL_OUTSIDE:
        if audience == "business":
            return _("Studies at %(level)s; your placement is for %(levels)s.") % {
                "level": level_label(s.level),
                "levels": levels,
            }
        return _("This placement is for %(levels)s; you study at %(level)s.") % {
            "level": level_label(s.level),
            "levels": levels,
        }
    if audience == "business":
        return _("Your duo placement has no %(kind)s seat.") % {"kind": kind}
    return _("This duo placement has no %(kind)s seat.") % {"kind": kind}


def _best_activities(matched: frozenset[str], p: PlacementFitFacts) -> list[str]:
    """At most two activities, as the business wrote them, that cover the most matched terms
    (greedy: the best one, then the one that adds the most)."""
    remaining = set(matched)
    chosen: list[str] = []
    while remaining and len(chosen) < 2:
        best, best_count = None, 0
        for activity in p.activities:
            if activity in chosen:
                continue
            count = sum(1 for key, _l in text_terms(activity) if key in remaining)
            if count > best_count:
                best, best_count = activity, count
        if best is None:
            break
        chosen.append(best)
        remaining -= {key for key, _l in text_terms(best)}
    return chosen


def _activities_text(s, p, fraction, matched, audience: Audience) -> str:
    if fraction is None:
        if audience == "business":
            return _("Has not said yet what they want to do.")
        return _("Tell us in your profile what you want to do, so we can match the activities.")
    labels = [label for key, label in s.activity_terms if key in matched][:3]
    if not labels:
        wanted = ", ".join(label for _k, label in s.activity_terms[:3])
        if audience == "business":
            return _("Wants to do %(wanted)s, which is not among your activities.") % {
                "wanted": wanted
            }
        return _("What you want to do (%(wanted)s) is not among this placement's activities.") % {
            "wanted": wanted
        }
    wanted = ", ".join(labels)
    found = _best_activities(matched, p)
    if not found:
        if audience == "business":
            return _("Wants to do %(wanted)s; your title says ‘%(title)s’.") % {
                "wanted": wanted,
                "title": _quote(p.title),
            }
        return _("You want to do %(wanted)s; the title says ‘%(title)s’.") % {
            "wanted": wanted,
            "title": _quote(p.title),
        }
    values = {"wanted": wanted, "activity": _quote(found[0])}
    if len(found) > 1:
        values["other"] = _quote(found[1])
        if audience == "business":
            return _(
                "Wants to do %(wanted)s; your placement has ‘%(activity)s’ and ‘%(other)s’."
            ) % (values)
        return (
            _("You want to do %(wanted)s; this placement has ‘%(activity)s’ and ‘%(other)s’.")
            % values
        )
    if audience == "business":
        return _("Wants to do %(wanted)s; your placement has ‘%(activity)s’.") % values
    return _("You want to do %(wanted)s; this placement has ‘%(activity)s’.") % values


def _programme_level_text(s, p, fraction, detail, audience: Audience) -> str:
    values = {"programme": s.programme_name, "level": level_label(s.level)}
    if detail is not None:  # graduation research before the usual study year
        values = {"year": s.year, "min": detail}
        if audience == "business":
            return (
                _("In study year %(year)s; graduation research usually starts in year %(min)s.")
                % values
            )
        return (
            _(
                "This is graduation research, usually from study year %(min)s; you are in year %(year)s."
            )
            % values
        )
    if audience == "business":
        return _("Studies %(programme)s (%(level)s), a programme your placement is offered to.") % (
            values
        )
    return _("Offered to your programme %(programme)s, at your level (%(level)s).") % values


def _distance_text(s, p, fraction, km, audience: Audience) -> str:
    if fraction is None:
        if p.location is None:
            return _("We do not know where this placement is.")
        if audience == "business":
            return _("Has not said where they live.")
        return _("Add your home postcode to your profile to see the distance.")
    values = {"km": _km(km), "max": _km(s.max_travel_km)}
    if km > s.max_travel_km:
        values["km"] = number_format(round(km, 1), 1)  # "20.4", never "20 … max. 20"
        if audience == "business":
            return _("Lives %(km)s km away, further than the %(max)s km they want to travel.") % (
                values
            )
        return _("%(km)s km from home: further than your max. %(max)s km.") % values
    if audience == "business":
        return _("Lives %(km)s km away (travels up to %(max)s km).") % values
    return _("%(km)s km from home (you want max. %(max)s km).") % values


def _hours_text(s, p, fraction, diff, audience: Audience) -> str:
    if fraction is None:
        if audience == "business":
            return _("Has not said how many hours a week they want to work.")
        return _("Add how many hours a week you want to work.")
    values = {"hours": p.hours_per_week, "wanted": s.hours_per_week}
    if audience == "business":
        return _("Wants %(wanted)s hours a week; your placement has %(hours)s.") % values
    if fraction >= 1.0:
        return _("%(hours)s hours a week; you want %(wanted)s.") % values
    if diff > 0:
        return _("%(hours)s hours a week: more than the %(wanted)s you want.") % values
    return _("%(hours)s hours a week: fewer than the %(wanted)s you want.") % values


def _start_text(s, p, fraction, day, audience: Audience) -> str:
    if fraction is None:
        if not p.start_dates:
            return _("The start date is not known yet.")
        if audience == "business":
            return _("Has not said from when they are available.")
        return _("Add from when you are available.")
    values = {"date": _day(day), "from": _day(s.available_from)}
    if fraction == 0.0:
        if audience == "business":
            return _("Available from %(from)s, after your last start date (%(date)s).") % values
        return _("Starts on %(date)s at the latest, before you are available (%(from)s).") % (
            values
        )
    if audience == "business":
        return _("Available from %(from)s; your placement starts on %(date)s.") % values
    if fraction >= 1.0:
        return _("Starts on %(date)s; you are available from %(from)s.") % values
    return _("Starts on %(date)s, a while after you are available (%(from)s).") % values


def _allowance_text(s, p, fraction, detail, audience: Audience) -> str:
    if fraction is None:
        if audience == "business":
            return _("Has not said what allowance they need.")
        return _("Add the allowance you need per month to compare.")
    values = {"amount": _euro(p.monthly_allowance), "need": _euro(s.allowance_needed or 0)}
    if (s.allowance_needed or 0) <= 0:
        if audience == "business":
            return _("Needs no allowance.")
        return _("You need no allowance; this placement pays € %(amount)s a month.") % values
    if audience == "business":
        return _("Needs € %(need)s a month; you offer € %(amount)s.") % values
    if fraction >= 1.0:
        return _("€ %(amount)s a month (you need € %(need)s).") % values
    return _("€ %(amount)s a month; you need € %(need)s.") % values


def _duo_text(s, p, fraction, detail, audience: Audience) -> str:
    if audience == "business":
        return _("Would take the %(kind)s seat of your duo placement (W21).") % {
            "kind": s.kind.upper()
        }
    if s.kind == "mbo":
        return _(
            "A duo placement: you take the MBO seat, with the practical work, next to an HBO student."
        )
    return _(
        "A duo placement: you take the HBO seat, with the theoretical and strategic work, next to an MBO student."
    )


_TEXTS = {
    ACTIVITIES: _activities_text,
    PROGRAMME_LEVEL: _programme_level_text,
    DISTANCE: _distance_text,
    HOURS: _hours_text,
    START: _start_text,
    ALLOWANCE: _allowance_text,
    DUO: _duo_text,
}


# --------------------------------------------------------------------------------------------
# Facts from the database, in bulk


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
        activity_keys=placement_keys(search_text=search_text, title=title, activities=activities),
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
    return [
        placement_fit_facts_from_values(
            placement_id=placement.pk,
            kind=placement.kind,
            levels=placement.levels,
            approved_programme_ids=approved.get(placement.pk, ()),
            is_duo=placement.is_duo,
            hours_per_week=placement.hours_per_week,
            start_dates=placement.start_dates,
            monthly_allowance=placement.monthly_allowance,
            latitude=placement.latitude,
            longitude=placement.longitude,
            search_text=placement.search_text,
            title=placement.title,
            activities=placement.activities,
        )
        for placement in placements
    ]


__all__ = [
    "ACTIVITIES",
    "ALLOWANCE",
    "COMPONENTS",
    "DISTANCE",
    "DUO",
    "DUO_NO_SEAT",
    "HOURS",
    "LEVEL_OUTSIDE",
    "NOT_OFFERED",
    "PROGRAMME_LEVEL",
    "START",
    "FitResult",
    "FitWeights",
    "FitWeightsError",
    "PlacementFitFacts",
    "Reason",
    "StudentFacts",
    "dates_from_json",
    "distance_fraction",
    "eligible_score",
    "fit",
    "fit_score",
    "gate",
    "levels_from_json",
    "load_weights",
    "parse_weights",
    "placement_fit_facts",
    "placement_fit_facts_from_values",
    "placement_keys",
    "student_facts",
    "student_facts_from_values",
    "student_terms",
    "text_terms",
]
