"""The plain data the fit score reads and returns, and its reason codes: frozen dataclasses,
no ORM."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from stagebrug.registry.levels import HBO_LEVEL

Audience = Literal["student", "business"]

GRADUATION_KIND = "hbo_graduation"

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
