"""What a search asks for and what it answers: the parameters, their checks (one
ValidationError naming every bad field) and the result page."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stagebrug.core.text import has_letters, index_terms, plain_text
from stagebrug.placements.models import Kind, Placement
from stagebrug.registry.models import Municipality, Postcode, Programme

# --------------------------------------------------------------------------------------------
# Messages (tests import these)

QUERY_TOO_LONG = _("Use at most %(max)d characters to search.")
QUERY_WITHOUT_WORDS = _(
    "Search with words, for example kok or bakkerij: only punctuation or code finds nothing."
)
PROGRAMME_UNKNOWN = _("This programme does not exist.")
LEVEL_INVALID = _("Choose a level from MBO 1 to MBO 4, or HBO.")
KIND_UNKNOWN = _("Choose a kind of placement from the list.")
MUNICIPALITY_UNKNOWN = _("We do not know a municipality by this name or code.")
POSTCODE_INVALID = _("Enter a Dutch postcode, for example 1012 or 1012 AB.")
POSTCODE_UNKNOWN = _("We do not know this postcode.")
POSTCODE_NEEDED_FOR_DISTANCE = _("Enter your postcode to search by distance.")
DISTANCE_OUT_OF_RANGE = _("Choose a distance from 1 to %(max)d km.")
NOT_NEGATIVE = _("Enter zero or more.")
HOURS_OUT_OF_RANGE = _("Enter a number of hours from 0 to 60.")
HOURS_MIN_ABOVE_MAX = _("The minimum hours cannot be more than the maximum.")
START_RANGE_ORDER = _("The first start date cannot be after the last.")
SORT_UNKNOWN = _("Sort by relevance, distance, newest or allowance.")
PAGE_INVALID = _("Choose page 1 or later.")
PAGE_SIZE_INVALID = _("Choose from 1 to %(max)d results per page.")

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
MAX_KM = 300
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000  # deeper pages answer nothing useful and only cost the database
SORTS = ("relevance", "distance", "newest", "allowance")


# --------------------------------------------------------------------------------------------
# Parameters and result


@dataclass
class SearchParams:
    """What a student asks for. All filters are optional and combine with AND."""

    q: str = ""
    programme: int | None = None
    level: int | None = None
    kind: str | None = None
    municipality: str | None = None  # CBS code ("0363") or name ("Amsterdam")
    postcode: str | None = None  # "1012" or "1012 AB": distance from the PC4 centroid
    max_km: float | None = None
    min_allowance: Decimal | None = None  # per month
    hours_min: int | None = None
    hours_max: int | None = None
    start_from: dt.date | None = None  # some start date on or after this day
    start_until: dt.date | None = None  # some start date on or before this day
    side_job: bool | None = None
    duo: bool | None = None
    sort: str = "relevance"  # relevance | distance | newest | allowance
    page: int = 1
    page_size: int = 20


@dataclass
class SearchResult:
    """One page of placements, in order, with what the page needs to show and navigate."""

    items: list[Placement]
    count: int  # exact when count_exact, else a lower bound ("1,000+")
    page: int
    page_size: int
    count_exact: bool = True
    distances_km: dict[int, float] = field(default_factory=dict)
    typo_corrected: bool = False

    @property
    def pages(self) -> int:
        """Pages known to exist (with an inexact count: so far, at least)."""
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def start_index(self) -> int:
        """1-based position of the first item on this page (0 when there are none)."""
        return (self.page - 1) * self.page_size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.page - 1) * self.page_size + len(self.items)


@dataclass
class _Resolved:
    """Parameters checked and looked up: what the SQL needs."""

    params: SearchParams
    terms: list[str]  # stems of the query's content words
    vendor: str = "sqlite"
    municipality_code: str | None = None
    origin: tuple[float, float] | None = None  # latitude, longitude of the postcode


_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")


def _resolve(params: SearchParams, vendor: str) -> _Resolved:
    """Check the parameters; raise one ValidationError naming every bad field."""
    errors: dict[str, list[ValidationError]] = {}

    def bad(name: str, message: Any, **kw: Any) -> None:
        errors.setdefault(name, []).append(ValidationError(message, params=kw or None))

    q = params.q or ""
    if len(q) > MAX_QUERY_CHARS:
        bad("q", QUERY_TOO_LONG, max=MAX_QUERY_CHARS)
    terms = list(dict.fromkeys(index_terms(plain_text(q))))[:MAX_QUERY_TERMS]
    if q.strip() and not has_letters(q):  # never every placement for punctuation or markup
        bad("q", QUERY_WITHOUT_WORDS)
    resolved = _Resolved(params=params, terms=terms, vendor=vendor)

    if params.level is not None and params.level not in (1, 2, 3, 4, 5):
        bad("level", LEVEL_INVALID)
    if params.kind and params.kind not in Kind.values:
        bad("kind", KIND_UNKNOWN)
    if params.sort not in SORTS:
        bad("sort", SORT_UNKNOWN)
    if params.page is None or not 1 <= params.page <= MAX_PAGE:
        bad("page", PAGE_INVALID)
    if params.page_size is None or not 1 <= params.page_size <= MAX_PAGE_SIZE:
        bad("page_size", PAGE_SIZE_INVALID, max=MAX_PAGE_SIZE)
    if params.min_allowance is not None and params.min_allowance < 0:
        bad("min_allowance", NOT_NEGATIVE)
    for name in ("hours_min", "hours_max"):
        value = getattr(params, name)
        if value is not None and not 0 <= value <= 60:
            bad(name, NOT_NEGATIVE if value < 0 else HOURS_OUT_OF_RANGE)
    if (
        params.hours_min is not None
        and params.hours_max is not None
        and params.hours_min > params.hours_max
        and "hours_max" not in errors
    ):
        bad("hours_max", HOURS_MIN_ABOVE_MAX)
    if params.start_from and params.start_until and params.start_from > params.start_until:
        bad("start_until", START_RANGE_ORDER)
    if params.max_km is not None and not 1 <= params.max_km <= MAX_KM:
        bad("max_km", DISTANCE_OUT_OF_RANGE, max=MAX_KM)

    wants_distance = params.sort == "distance" or params.max_km is not None
    postcode = (params.postcode or "").strip()
    if postcode:
        match = _POSTCODE.match(postcode)
        if not match:
            bad("postcode", POSTCODE_INVALID)
        else:
            area = (
                Postcode.objects.filter(code=match.group(1), latitude__isnull=False)
                .values_list("latitude", "longitude")
                .first()
            )
            if area is None:
                bad("postcode", POSTCODE_UNKNOWN)
            else:
                resolved.origin = (float(area[0]), float(area[1]))
    elif wants_distance:
        bad("postcode", POSTCODE_NEEDED_FOR_DISTANCE)

    municipality = (params.municipality or "").strip()
    if municipality:
        code = (
            Municipality.objects.filter(Q(code=municipality) | Q(name__iexact=municipality))
            .values_list("code", flat=True)
            .first()
        )
        if code is None:
            bad("municipality", MUNICIPALITY_UNKNOWN)
        resolved.municipality_code = code
    if params.programme is not None and not Programme.objects.filter(pk=params.programme).exists():
        bad("programme", PROGRAMME_UNKNOWN)
    if errors:
        raise ValidationError(errors)
    return resolved
