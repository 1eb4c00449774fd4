"""Placement search: students find placements by what they will do (W16).

One selector, `placement_search(params)`, serves the public search page and
`GET /api/v1/placements`; `build_search_text(placement)` prepares a placement's text for it.
Both databases are supported with the same results:

* **Search rows.** `placements_search` holds one narrow row per *published* placement: the
  columns the filters and sorts read (kind, a level bitmask, hours, monthly allowance, start
  dates, side job, duo, coordinates, municipality, published_at). Triggers on
  `placements_placement` keep it in step on insert, update and delete, so no code path can
  forget it. A search reads these narrow rows and fetches only its page's placements.
* **Text.** `Placement.search_text` holds the placement's words analysed for Dutch by
  `core.text.index_terms` (accents folded, stop words removed, Snowball-Dutch stems with the routing
  data's corrections) in three lines: title, activities, the rest. Queries go through the
  same analyser, so "klanten" finds "klant" on both databases. All query words must match;
  the last one also as a prefix ("klant" finds "klantenservice").
  - SQLite: FTS5 (`placements_search_fts`, columns title/activities/body), ranked by
    `bm25()` weighting title 10, activities 4 and the rest 1.
  - PostgreSQL: `placements_search.terms` holds the ids of the placement's stems
    (`placements_search_terms`) under a GIN index; ranking reads a weighted tsvector
    (`placements_search_text`, 'simple' configuration because the text is stemmed already)
    with `ts_rank_cd`. See `_PG_VALUES` for why the vector is not on the search row.
* **Relevance** ranks the 1,000 newest matches and lists any older ones after them, newest
  first (see `_Sql`); counts stop at 1,000 ("1,000+"). Both bound the work for common words.
* **Typos.** When the words find nothing, each word is corrected to the nearest indexed stem
  and the search runs again with the same filters and ranking; `typo_corrected` is set.
  PostgreSQL uses `pg_trgm` similarity over the stems (trigram GIN index); SQLite reads
  FTS5's own vocabulary (`fts5vocab`) and compares with difflib.
* **Distance** from a 4-digit postcode's centroid: a bounding box on indexed latitude and
  longitude and the equirectangular distance in plain SQL arithmetic for `max_km`
  (cos(lat0) computed here); nearest-first order via a GiST index on PostgreSQL; exact km
  for the page computed in Python.

The query count is constant: at most a postcode, municipality and programme look-up, the
term ids (PostgreSQL), two or three searches, the page's rows and their approved programmes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from stagebrug.core.geo import bounding_box, haversine_km
from stagebrug.core.text import index_terms
from stagebrug.placements.models import (
    Kind,
    Placement,
    PlacementProgramme,
    ProgrammeDecision,
    Status,
)
from stagebrug.placements.selectors import approved_targets
from stagebrug.registry.models import Municipality, Postcode, Programme

# --------------------------------------------------------------------------------------------
# Messages (tests import these)

QUERY_TOO_LONG = _("Use at most %(max)d characters to search.")
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
# The text to index: `core.text.index_terms` (function words, single letters and numbers
# dropped; accents folded; Snowball-Dutch stems with the routing data's corrections, so
# "gerechten" stays apart from "rechten"). Index and query go through the same function: when
# it or its data files change, store a fresh `build_search_text` in every placement
# (`search_text_refresh`).


@lru_cache(maxsize=50_000)
def _analysed(text: str) -> str:
    return " ".join(index_terms(text))


def search_text_from_parts(
    *, title: str, activities: Iterable[str], other: Iterable[str], cached: bool = False
) -> str:
    """Compose `Placement.search_text` from the raw texts: three lines of stems.

    Line 1 is the title, line 2 the activities, line 3 everything else; the search table
    weights them in that order (W16: the title says what the internship is, the activities
    what the student will do). `cached=True` memoises each fragment, for bulk generators that
    reuse template sentences; the result is identical.
    """
    one = _analysed if cached else (lambda t: " ".join(index_terms(t)))
    lines = (
        one(title or ""),
        " ".join(filter(None, (one(a) for a in activities if a))),
        " ".join(filter(None, (one(t) for t in other if t))),
    )
    return "\n".join(lines)


def build_search_text(placement: Placement) -> str:
    """The text to index for one placement, pre-processed for Dutch.

    Call it whenever the placement, its approved programmes, its company name or its
    location change, and store the result in `placement.search_text`; the database
    triggers carry it into the search index. Reads the company, the location's postcode
    area and municipality, and the approved programmes (prefetched `approved_targets` are
    used when present).
    """
    targets = getattr(placement, "approved_targets", None)
    if targets is None:
        targets = (
            placement.targets.filter(decision=ProgrammeDecision.APPROVED).select_related(
                "programme"
            )
            if placement.pk
            else []
        )
    other: list[str] = [placement.description or "", placement.learning or ""]
    other += sorted(t.programme.name for t in targets)  # the same text whatever the order
    if placement.company_id:
        other.append(placement.company.name)
    if placement.location_id:
        location = placement.location
        other.append(location.city)
    if placement.municipality_id:
        other.append(placement.municipality.name)
    return search_text_from_parts(
        title=placement.title or "",
        activities=[str(a) for a in placement.activities or []],
        other=other,
    )


def search_text_refresh(*, batch: int = 1000, using: str = "default") -> int:
    """Store a fresh `build_search_text` in every placement whose text is out of date.

    For after a change to text.py or its data files. Writes only the rows that change; the
    triggers update the index. Returns the number of placements changed.
    """
    changed = 0
    queryset = (
        Placement.objects.using(using)
        .select_related("company", "location", "municipality")
        .prefetch_related(_approved_targets_for_text())
        .order_by("pk")
    )
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:batch])
        if not chunk:
            return changed
        stale = []
        for placement in chunk:
            text = build_search_text(placement)
            if text != placement.search_text:
                placement.search_text = text
                stale.append(placement)
        Placement.objects.using(using).bulk_update(stale, ["search_text"])
        changed += len(stale)
        last = chunk[-1].pk


def _approved_targets_for_text() -> Prefetch:
    return Prefetch(
        "targets",
        queryset=PlacementProgramme.objects.filter(
            decision=ProgrammeDecision.APPROVED
        ).select_related("programme"),
        to_attr="approved_targets",
    )


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
    terms = list(dict.fromkeys(index_terms(q)))[:MAX_QUERY_TERMS]
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


# --------------------------------------------------------------------------------------------
# SQL

# bm25 column weights: title, activities, other text (W16: what you will do comes first).
BM25_WEIGHTS = (10.0, 4.0, 1.0)
# ts_rank_cd weights for D, C, B, A; the title is A, the activities B, the rest D.
TS_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
NEWEST = "s.published_at DESC, s.placement_id DESC"
RANK_WINDOW = 1000
# The longitude scale of the distance index: cos(52.15°), the middle of the Netherlands
# (50.75°–53.55°). Ordering with it instead of cos(latitude of the postcode) puts a place due
# east at most 2.4% nearer or farther than one due north; only near-ties can swap.
KNN_COS = math.cos(math.radians(52.15))
_PG_POINT = f"point(s.longitude * {KNN_COS!r}, s.latitude)"
PREFIX_MIN = 3  # the last word matches as a prefix from this many letters
PREFIX_MAX_TERMS = 500  # ... unless it prefixes more stems than this (PostgreSQL)
# Counting stops here: "1,000+ placements" is as useful as "60,675" and costs a fraction.
# Equal to RANK_WINDOW, so a ranked page learns the (capped) count from its own window.
COUNT_CAP = RANK_WINDOW


@dataclass
class _Sql:
    """A FROM and WHERE with their parameters, an ORDER BY, and for text the ranking.

    Relevance ranks a window: the RANK_WINDOW newest matches, ordered by rank; the matches
    after them follow newest first. This is a total order (pagination never skips or repeats
    a placement) and it bounds the work: a word found in a third of 200,000 placements ranks
    1,000 documents, not 60,000. Fresh placements are the ones still open, so favouring them
    among equally good matches is what students want anyway.
    """

    source: str
    source_params: list[Any]
    where: list[str]
    where_params: list[Any]
    order: str = NEWEST
    order_params: list[Any] = field(default_factory=list)
    # Ranking: an extra column of the window's inner query (alias c outside), and the
    # outer ORDER BY over c.
    window_column: str = ""
    window_join: str = ""
    window_order: str = ""
    window_order_params: list[Any] = field(default_factory=list)
    # PostgreSQL distance sort: (metric SQL, its params, lat0, lon0); see `_knn_disc`.
    knn: tuple[str, list[Any], float, float] | None = None

    @property
    def _where(self) -> str:
        return " AND ".join(self.where) if self.where else "1 = 1"

    def count(self, cap: int) -> tuple[str, list[Any]]:
        """Count the matches, stopping at `cap` + 1."""
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {self.source} WHERE {self._where} LIMIT %s) m"
        return sql, [*self.source_params, *self.where_params, cap + 1]

    def page(self, limit: int, offset: int) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT s.placement_id FROM {self.source} WHERE {self._where} "
            f"ORDER BY {self.order} LIMIT %s OFFSET %s"
        )
        return sql, [*self.source_params, *self.where_params, *self.order_params, limit, offset]

    def ranked_page(self, limit: int, offset: int) -> tuple[str, list[Any]]:
        sql = (
            "SELECT c.placement_id, COUNT(*) OVER () FROM ("
            f"SELECT s.placement_id, s.published_at{self.window_column} "
            f"FROM {self.source} WHERE {self._where} ORDER BY {NEWEST} LIMIT %s"
            f") c {self.window_join} "
            f"ORDER BY {self.window_order}, c.published_at DESC, c.placement_id DESC "
            "LIMIT %s OFFSET %s"
        )
        params = [*self.source_params, *self.where_params, RANK_WINDOW]
        return sql, [*params, *self.window_order_params, limit, offset]


def _filters(r: _Resolved) -> tuple[list[str], list[Any]]:
    """WHERE clauses on the search table `s`, the same SQL on both databases."""
    p = r.params
    where: list[str] = []
    args: list[Any] = []
    if p.programme is not None:
        where.append(
            "EXISTS (SELECT 1 FROM placements_placementprogramme t WHERE "
            "t.placement_id = s.placement_id AND t.programme_id = %s AND t.decision = %s)"
        )
        args += [p.programme, ProgrammeDecision.APPROVED.value]
    if p.level is not None:
        where.append("(s.level_mask & %s) <> 0")
        args.append(1 << p.level)
    if p.kind:
        where.append("s.kind = %s")
        args.append(p.kind)
    if r.municipality_code:
        where.append("s.municipality_id = %s")
        args.append(r.municipality_code)
    if p.min_allowance is not None:
        where.append("s.monthly_allowance >= %s")
        args.append(Decimal(p.min_allowance))
    if p.hours_min is not None:
        where.append("s.hours_per_week >= %s")
        args.append(p.hours_min)
    if p.hours_max is not None:
        where.append("s.hours_per_week <= %s")
        args.append(p.hours_max)
    if p.start_from is not None:
        where.append("s.latest_start >= %s")
        args.append(p.start_from)
    if p.start_until is not None:
        where.append("s.earliest_start <= %s")
        args.append(p.start_until)
    if p.start_from is not None and p.start_until is not None:
        # The span overlaps the range; check that one actual start date falls inside it.
        where.append(_start_date_between(r.vendor))
        args += [p.start_from, p.start_until]
    if p.side_job is not None:
        where.append("s.side_job = %s")
        args.append(bool(p.side_job))
    if p.duo is not None:
        where.append("s.is_duo = %s")
        args.append(bool(p.duo))
    if r.origin is not None and p.max_km is not None:
        lat0, lon0 = r.origin
        south, north, west, east = bounding_box(r.origin, p.max_km)
        dlat = north - lat0
        where.append("s.latitude BETWEEN %s AND %s AND s.longitude BETWEEN %s AND %s")
        args += [south, north, west, east]
        sql, dist_args = _squared_degrees(lat0, lon0)
        where.append(f"{sql} <= %s")
        args += [*dist_args, dlat * dlat]
    return where, args


def _start_date_between(vendor: str) -> str:
    if vendor == "postgresql":
        return "EXISTS (SELECT 1 FROM unnest(s.start_dates) d WHERE d BETWEEN %s AND %s)"
    return "EXISTS (SELECT 1 FROM json_each(s.start_dates) d WHERE d.value BETWEEN %s AND %s)"


def _squared_degrees(lat0: float, lon0: float) -> tuple[str, list[float]]:
    """Equirectangular squared distance in degrees of latitude: arithmetic only, so it runs
    on SQLite without math functions and lets PostgreSQL skip trigonometry per row."""
    k = math.cos(math.radians(lat0))
    sql = "((s.latitude - %s) * (s.latitude - %s) + (s.longitude - %s) * (s.longitude - %s) * %s)"
    return sql, [lat0, lat0, lon0, lon0, k * k]


def _sqlite_match(terms: Sequence[str]) -> str:
    """FTS5 query: all terms, the last also as a prefix (Dutch compounds and typing as you
    go: "klant" finds "klantenservice"). Terms are word characters only, so quoting is
    safe."""
    parts = [f'"{t}"' for t in terms[:-1]]
    last = terms[-1]
    parts.append(f'"{last}"*' if len(last) >= PREFIX_MIN else f'"{last}"')
    return " ".join(parts)


def _pg_tsquery(terms: Sequence[str]) -> str:
    """The same query as a tsquery, for ranking with ts_rank_cd."""
    parts = [f"'{t}'" for t in terms[:-1]]
    last = terms[-1]
    parts.append(f"'{last}':*" if len(last) >= PREFIX_MIN else f"'{last}'")
    return " & ".join(parts)


def _text_sql(r: _Resolved, terms: Sequence[str], vendor: str, cursor: Any) -> _Sql | None:
    """The matching and ranking SQL for these stems; None when they cannot match."""
    where, args = _filters(r)
    if vendor == "postgresql":
        ids = _pg_term_ids(cursor, terms)
        if ids is None:
            return None
        exact, prefixed = ids
        match, match_args = [], []
        if exact:
            match.append("s.terms @> %s::integer[]")
            match_args.append(exact)
        if prefixed:
            match.append("s.terms && %s::integer[]")
            match_args.append(prefixed)
        tsquery = _pg_tsquery(terms)
        return _Sql(
            source="placements_search s",
            source_params=[],
            where=[*match, *where],
            where_params=[*match_args, *args],
            # The window carries ids only; its vectors are read back by key.
            window_join="JOIN placements_search_text d ON d.placement_id = c.placement_id",
            window_order=f"ts_rank_cd('{TS_WEIGHTS}', d.document, to_tsquery('simple', %s), 1) DESC",
            window_order_params=[tsquery],
        )
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    # CROSS JOIN keeps the full-text table as the outer loop: SQLite would otherwise be free
    # to scan the filtered rows and run the full-text query once per row.
    return _Sql(
        source=(
            "placements_search_fts CROSS JOIN placements_search s "
            "ON s.placement_id = placements_search_fts.rowid"
        ),
        source_params=[],
        where=["placements_search_fts MATCH %s", *where],
        where_params=[_sqlite_match(terms), *args],
        window_column=f", bm25(placements_search_fts, {weights}) AS score",
        window_order="c.score",
    )


def _browse_sql(r: _Resolved) -> _Sql:
    where, args = _filters(r)
    return _Sql(source="placements_search s", source_params=[], where=where, where_params=args)


def _apply_sort(sql: _Sql, r: _Resolved, vendor: str) -> _Sql:
    """Sorts other than relevance replace the ranking by a plain ORDER BY."""
    sort = r.params.sort
    if sort == "relevance" and sql.window_order:
        return sql
    sql.window_column = sql.window_join = sql.window_order = ""
    sql.window_order_params = []
    if sort == "allowance":
        sql.order = f"s.monthly_allowance DESC, {NEWEST}"
    elif sort == "distance" and r.origin is not None:
        # Both databases order by the same metric: degrees with longitude scaled by
        # KNN_COS, which PostgreSQL's GiST index can walk nearest-first. The max_km
        # filter above uses cos(latitude of the postcode); the page shows exact km.
        lat0, lon0 = r.origin
        if vendor == "postgresql":
            sql.knn = (f"{_PG_POINT} <-> point(%s, %s)", [lon0 * KNN_COS, lat0], lat0, lon0)
            sql.order = f"{_PG_POINT} <-> point(%s, %s), {NEWEST}"
            sql.order_params = [lon0 * KNN_COS, lat0]
        else:
            k2 = KNN_COS * KNN_COS
            dist = "((s.latitude - %s) * (s.latitude - %s) + (s.longitude - %s) * (s.longitude - %s) * %s)"
            sql.order = f"(s.latitude IS NULL), {dist}, {NEWEST}"
            sql.order_params = [lat0, lat0, lon0, lon0, k2]
    return sql


def _sqlite_corrected_terms(cursor: Any, terms: Sequence[str]) -> list[str] | None:
    """Replace each term the index does not know by the nearest indexed term with the same
    first two letters (difflib ratio ≥ 0.75, then the most frequent). One query over FTS5's
    own vocabulary. None when nothing could be corrected."""
    ranges = [(t[:2], t[:2] + "\uffff") for t in terms]
    clauses = " OR ".join("(term >= %s AND term < %s)" for _ in ranges)
    cursor.execute(
        f"SELECT term, doc FROM placements_search_vocab WHERE {clauses}",
        [x for pair in ranges for x in pair],
    )
    known = dict(cursor.fetchall())
    corrected: list[str] = []
    changed = False
    for term in terms:
        if term in known:
            corrected.append(term)
            continue
        best = None
        for candidate, docs in known.items():
            if candidate[:2] != term[:2] or abs(len(candidate) - len(term)) > 3:
                continue
            ratio = difflib.SequenceMatcher(None, term, candidate).ratio()
            if ratio >= 0.75 and (best is None or (ratio, docs) > best[:2]):
                best = (ratio, docs, candidate)
        if best is None:
            return None
        corrected.append(best[2])
        changed = True
    return corrected if changed else None


def _pg_term_ids(cursor: Any, terms: Sequence[str]) -> tuple[list[int], list[int]] | None:
    """Ids of the exact stems and of the stems the last one prefixes (one query).

    None when an exact stem is unknown or nothing starts with the prefix: no placement can
    match, and the caller tries typo correction.
    """
    exact = list(terms if len(terms[-1]) < PREFIX_MIN else terms[:-1])
    prefix = terms[-1] if len(terms[-1]) >= PREFIX_MIN else None
    cursor.execute(
        "SELECT term, id FROM placements_search_terms WHERE term = ANY(%s) OR term LIKE %s",
        [exact, f"{prefix}%" if prefix else ""],
    )
    found: dict[str, int] = {}
    prefixed: list[int] = []
    rows = cursor.fetchall()
    for term, pk in rows:
        if term in exact:
            found[term] = pk
        if prefix and term.startswith(prefix):
            prefixed.append(pk)
    if len(found) < len(exact) or (prefix and not prefixed):
        return None
    if len(prefixed) > PREFIX_MAX_TERMS:  # a very short stem: match it exactly instead
        whole = [pk for term, pk in rows if term == prefix]
        if not whole:
            return None
        return sorted([*found.values(), *whole]), []
    return sorted(found.values()), sorted(prefixed)


def _pg_corrected_terms(cursor: Any, terms: Sequence[str]) -> list[str] | None:
    """Replace each stem by the most similar known stem (pg_trgm similarity over the
    trigram-indexed stem list, the `%` operator's threshold 0.3); a known stem stays.
    One query. None when nothing changed."""
    cursor.execute(
        "SELECT q.term, best.term FROM unnest(%s::text[]) WITH ORDINALITY AS q(term, n) "
        "LEFT JOIN LATERAL (SELECT t.term FROM placements_search_terms t "
        "WHERE t.term %% q.term ORDER BY similarity(t.term, q.term) DESC, t.term LIMIT 1) best "
        "ON true ORDER BY q.n",
        [list(terms)],
    )
    corrected = list(dict.fromkeys(best or term for term, best in cursor.fetchall()))
    return corrected if corrected != list(terms) else None


RESULT_JOINS = ("company", "company__sector", "location", "municipality")


def placement_search(params: SearchParams, *, using: str = "default") -> SearchResult:
    """Search published placements (W16): Dutch full text, filters, sort and one page.

    Raises ValidationError keyed by parameter name for bad input. Without words the sort
    "relevance" means newest first; with words it ranks as `_Sql` explains, ties going to
    the newest. When the words find nothing, each word is corrected to the nearest indexed
    word and the search runs again; then `typo_corrected` is True. Each item carries
    `approved_targets` (programmes) and, with a postcode, `distance_km`; `distances_km` maps
    placement id → km as well.
    """
    vendor = connections[using].vendor
    r = _resolve(params, vendor)
    p = r.params
    offset = (p.page - 1) * p.page_size
    typo_corrected = False
    with connections[using].cursor() as cursor:
        if r.terms:
            ids, count, exact = _run_text(cursor, r, r.terms, vendor, offset)
            if count == 0:
                if vendor == "postgresql":
                    corrected = _pg_corrected_terms(cursor, r.terms)
                else:
                    corrected = _sqlite_corrected_terms(cursor, r.terms)
                if corrected:
                    ids, count, exact = _run_text(cursor, r, corrected, vendor, offset)
                    typo_corrected = count > 0
        else:
            sql = _apply_sort(_browse_sql(r), r, vendor)
            ids, count, exact = _run(cursor, sql, p, offset)

    items: list[Placement] = []
    if ids:
        rows = (
            Placement.objects.using(using)
            .filter(pk__in=ids, status=Status.PUBLISHED)
            .select_related(*RESULT_JOINS)
            .prefetch_related(approved_targets())
            .order_by()
            .in_bulk()
        )
        items = [rows[i] for i in ids if i in rows]
    distances: dict[int, float] = {}
    if r.origin is not None:
        for item in items:
            if item.latitude is not None and item.longitude is not None:
                km = round(haversine_km(r.origin, (item.latitude, item.longitude)), 1)
                distances[item.pk] = km
                item.distance_km = km  # type: ignore[attr-defined]
    return SearchResult(
        items=items,
        count=count,
        count_exact=exact,
        page=p.page,
        page_size=p.page_size,
        distances_km=distances,
        typo_corrected=typo_corrected,
    )


def _run_text(
    cursor: Any, r: _Resolved, terms: Sequence[str], vendor: str, offset: int
) -> tuple[list[int], int, bool]:
    sql = _text_sql(r, terms, vendor, cursor)
    if sql is None:
        return [], 0, True
    return _run(cursor, _apply_sort(sql, r, vendor), r.params, offset)


def _run(cursor: Any, sql: _Sql, p: SearchParams, offset: int) -> tuple[list[int], int, bool]:
    """The page's ids, the number of matches and whether that number is exact.

    One id more than the page is read, to know whether there is a next page. The count is
    free when this is the last page; otherwise matches are counted up to COUNT_CAP.
    """
    wanted = p.page_size + 1
    window_size: int | None = None
    if sql.window_order:
        ids: list[int] = []
        in_window = max(0, min(wanted, RANK_WINDOW - offset))
        if in_window:
            cursor.execute(*sql.ranked_page(in_window, offset))
            rows = cursor.fetchall()
            ids = [row[0] for row in rows]
            window_size = int(rows[0][1]) if rows else None
        if len(ids) == in_window and len(ids) < wanted:  # the page runs past the window
            cursor.execute(*sql.page(wanted - len(ids), offset + len(ids)))
            ids += [row[0] for row in cursor.fetchall()]
    else:
        cursor.execute(*_knn_disc(cursor, sql, offset + wanted).page(wanted, offset))
        ids = [row[0] for row in cursor.fetchall()]
    more = len(ids) > p.page_size
    ids = ids[: p.page_size]
    if window_size is not None:  # a window smaller than RANK_WINDOW holds every match
        if window_size < RANK_WINDOW:
            return ids, window_size, True
        return ids, max(COUNT_CAP, offset + len(ids) + int(more)), False
    if not more and (ids or offset == 0):
        return ids, offset + len(ids), True
    cursor.execute(*sql.count(COUNT_CAP))
    counted = int(cursor.fetchone()[0])
    if counted <= COUNT_CAP:
        return ids, counted, True
    return ids, max(COUNT_CAP, offset + len(ids) + int(more)), False


def _knn_disc(cursor: Any, sql: _Sql, needed: int) -> _Sql:
    """Restrict a nearest-first query to the disc that holds its first `needed` matches.

    PostgreSQL walks a GiST index nearest-first only when the distance is the sole sort
    key, but a stable page order needs the tie-breakers (many placements share one postcode
    centroid). So: find the distance of the `needed`-th nearest match with the index, then
    sort just the matches within that distance with the tie-breakers (one more query).
    """
    if sql.knn is None:
        return sql
    metric, metric_params, lat0, lon0 = sql.knn
    cursor.execute(
        f"SELECT {metric} FROM {sql.source} WHERE {sql._where} ORDER BY {metric} LIMIT 1 OFFSET %s",
        [*metric_params, *sql.source_params, *sql.where_params, *metric_params, needed - 1],
    )
    row = cursor.fetchone()
    if row is None or row[0] is None:
        return sql  # fewer matches than needed: the plain sort is small
    radius = float(row[0])
    disc = [
        "s.latitude BETWEEN %s AND %s",
        "s.longitude BETWEEN %s AND %s",
        f"{metric} <= %s",
    ]
    disc_params = [
        lat0 - radius,
        lat0 + radius,
        lon0 - radius / KNN_COS,
        lon0 + radius / KNN_COS,
        *metric_params,
        radius,
    ]
    return _Sql(
        source=sql.source,
        source_params=sql.source_params,
        where=[*sql.where, *disc],
        where_params=[*sql.where_params, *disc_params],
        order=sql.order,
        order_params=sql.order_params,
    )


# --------------------------------------------------------------------------------------------
# Schema: the search table, its text index and the triggers that keep them in step.
# Installed by migration 0003_search; `ensure_search_schema` restores what a later
# migration on SQLite drops (SQLite rebuilds a table to alter it, and drops its triggers).

SEARCH_COLUMNS = (
    "placement_id",
    "published_at",
    "kind",
    "level_mask",
    "hours_per_week",
    "monthly_allowance",
    "earliest_start",
    "latest_start",
    "start_dates",
    "side_job",
    "is_duo",
    "latitude",
    "longitude",
    "municipality_id",
)

_SQLITE_TABLES = [
    """
    CREATE TABLE IF NOT EXISTS placements_search (
        placement_id integer NOT NULL PRIMARY KEY,
        published_at datetime NULL,
        kind varchar(20) NOT NULL,
        level_mask integer NOT NULL,
        hours_per_week integer NOT NULL,
        monthly_allowance decimal NOT NULL,
        earliest_start date NULL,
        latest_start date NULL,
        start_dates text NOT NULL,
        side_job bool NOT NULL,
        is_duo bool NOT NULL,
        latitude real NULL,
        longitude real NULL,
        municipality_id varchar(4) NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS placements_search_newest "
    "ON placements_search (published_at, placement_id)",
    "CREATE INDEX IF NOT EXISTS placements_search_latlon "
    "ON placements_search (latitude, longitude, published_at)",
    "CREATE INDEX IF NOT EXISTS placements_search_allowance "
    "ON placements_search (monthly_allowance, published_at, placement_id)",
    "CREATE INDEX IF NOT EXISTS placements_search_municipality "
    "ON placements_search (municipality_id, published_at)",
    # Own-content FTS5 table: deletes go by rowid, so the index cannot drift from the
    # placements the way a contentless table would if a delete ever missed.
    "CREATE VIRTUAL TABLE IF NOT EXISTS placements_search_fts USING fts5("
    "title, activities, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS placements_search_vocab "
    "USING fts5vocab(placements_search_fts, 'row')",
]


def _sqlite_line(expr: str, n: int) -> str:
    """SQL for line n (0-based) of a newline-separated text."""
    rest = f"{expr} || char(10)"
    for _line in range(n):
        rest = f"substr({rest}, instr({rest}, char(10)) + 1)"
    return f"substr({rest}, 1, instr({rest}, char(10)) - 1)"


def _sqlite_values(row: str) -> str:
    return ", ".join(
        [
            f"{row}.id",
            f"{row}.published_at",
            f"{row}.kind",
            f"(SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each({row}.levels))",
            f"{row}.hours_per_week",
            f"{row}.monthly_allowance",
            f"(SELECT min(value) FROM json_each({row}.start_dates))",
            f"(SELECT max(value) FROM json_each({row}.start_dates))",
            f"{row}.start_dates",
            f"{row}.side_job",
            f"{row}.is_duo",
            f"{row}.latitude",
            f"{row}.longitude",
            f"{row}.municipality_id",
        ]
    )


def _sqlite_fts_values(row: str) -> str:
    text = f"{row}.search_text"
    return f"{row}.id, {_sqlite_line(text, 0)}, {_sqlite_line(text, 1)}, {_sqlite_line(text, 2)}"


_SQLITE_COLUMNS = ", ".join(SEARCH_COLUMNS)
_SQLITE_TRIGGERS = {
    "placements_search_insert": f"""
        CREATE TRIGGER IF NOT EXISTS placements_search_insert
        AFTER INSERT ON placements_placement WHEN NEW.status = 'published'
        BEGIN
            INSERT OR REPLACE INTO placements_search ({_SQLITE_COLUMNS})
                VALUES ({_sqlite_values("NEW")});
            DELETE FROM placements_search_fts WHERE rowid = NEW.id;
            INSERT INTO placements_search_fts (rowid, title, activities, body)
                VALUES ({_sqlite_fts_values("NEW")});
        END
    """,
    "placements_search_update": f"""
        CREATE TRIGGER IF NOT EXISTS placements_search_update
        AFTER UPDATE ON placements_placement
        BEGIN
            DELETE FROM placements_search WHERE placement_id = OLD.id AND (
                NEW.status <> 'published' OR NEW.id <> OLD.id);
            INSERT OR REPLACE INTO placements_search ({_SQLITE_COLUMNS})
                SELECT {_sqlite_values("NEW")} WHERE NEW.status = 'published';
            DELETE FROM placements_search_fts WHERE rowid = OLD.id AND (
                NEW.status <> 'published' OR OLD.status <> 'published'
                OR NEW.search_text IS NOT OLD.search_text OR NEW.id <> OLD.id);
            INSERT INTO placements_search_fts (rowid, title, activities, body)
                SELECT {_sqlite_fts_values("NEW")} WHERE NEW.status = 'published' AND (
                    OLD.status <> 'published' OR NEW.search_text IS NOT OLD.search_text
                    OR NEW.id <> OLD.id);
        END
    """,
    "placements_search_delete": """
        CREATE TRIGGER IF NOT EXISTS placements_search_delete
        AFTER DELETE ON placements_placement WHEN OLD.status = 'published'
        BEGIN
            DELETE FROM placements_search WHERE placement_id = OLD.id;
            DELETE FROM placements_search_fts WHERE rowid = OLD.id;
        END
    """,
}

# PostgreSQL. Matching reads `placements_search.terms`, the ids of the placement's stems in
# `placements_search_terms`, through a GIN index (`terms @> exact ids AND terms && prefix
# ids`); ranking reads the weighted tsvector in `placements_search_text`, for the ranked
# window only. Why not a tsvector on the search row: measured at 200,000 placements, the
# vector (~700 bytes) made each row ~800 bytes, the table 160 MB, more than the server's
# shared_buffers, and "klanten helpen" (60,000 matches) took 150 ms in heap visits alone.
# With 4-byte term ids the row is ~330 bytes and the same query visits a third of the pages.
_PG_VALUES = """
    NEW.id,
    NEW.published_at,
    NEW.kind,
    (SELECT coalesce(bit_or(1 << x::int), 0) FROM jsonb_array_elements_text(NEW.levels) x),
    NEW.hours_per_week,
    NEW.monthly_allowance,
    (SELECT min(x::date) FROM jsonb_array_elements_text(NEW.start_dates) x),
    (SELECT max(x::date) FROM jsonb_array_elements_text(NEW.start_dates) x),
    ARRAY(SELECT x::date FROM jsonb_array_elements_text(NEW.start_dates) x),
    NEW.side_job,
    NEW.is_duo,
    NEW.latitude,
    NEW.longitude,
    NEW.municipality_id
"""
# The text configuration is 'simple': search_text is already folded, stop-word filtered and
# Snowball-Dutch stemmed by `core.text.index_terms`, the same code that analyses queries on both
# databases; the 'dutch' configuration would stem the stems again.
_PG_DOCUMENT = r"""
    setweight(to_tsvector('simple', split_part(NEW.search_text, E'\n', 1)), 'A')
    || setweight(to_tsvector('simple', split_part(NEW.search_text, E'\n', 2)), 'B')
    || to_tsvector('simple', split_part(NEW.search_text, E'\n', 3))
"""
_PG_COLUMNS = ", ".join((*SEARCH_COLUMNS, "terms"))
_PG_UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*SEARCH_COLUMNS[1:], "terms"))
_PG_STEMS = (
    r"ARRAY(SELECT DISTINCT x FROM regexp_split_to_table(NEW.search_text, '\s+') x WHERE x <> '')"
)

_PG_SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE TABLE IF NOT EXISTS placements_search_terms (
        id serial NOT NULL PRIMARY KEY,
        term text NOT NULL UNIQUE
    )
    """,
    # Prefix look-ups (LIKE 'klant%') in any database collation.
    "CREATE INDEX IF NOT EXISTS placements_search_terms_prefix "
    "ON placements_search_terms (term text_pattern_ops)",
    # Typo correction: the nearest known stem by trigram similarity.
    "CREATE INDEX IF NOT EXISTS placements_search_terms_trigram "
    "ON placements_search_terms USING gin (term gin_trgm_ops)",
    """
    CREATE TABLE IF NOT EXISTS placements_search (
        placement_id bigint NOT NULL PRIMARY KEY,
        published_at timestamp with time zone NULL,
        kind varchar(20) NOT NULL,
        level_mask integer NOT NULL,
        hours_per_week smallint NOT NULL,
        monthly_allowance numeric(8, 2) NOT NULL,
        earliest_start date NULL,
        latest_start date NULL,
        start_dates date[] NOT NULL,
        side_job boolean NOT NULL,
        is_duo boolean NOT NULL,
        latitude double precision NULL,
        longitude double precision NULL,
        municipality_id varchar(4) NULL,
        terms integer[] NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS placements_search_text (
        placement_id bigint NOT NULL PRIMARY KEY,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS placements_search_match ON placements_search USING gin (terms)",
    "CREATE INDEX IF NOT EXISTS placements_search_newest "
    "ON placements_search (published_at DESC, placement_id DESC)",
    "CREATE INDEX IF NOT EXISTS placements_search_latlon "
    "ON placements_search (latitude, longitude) INCLUDE (published_at, placement_id)",
    f"CREATE INDEX IF NOT EXISTS placements_search_nearest "
    f"ON placements_search USING gist (({_PG_POINT.replace('s.', '')}))",
    # Searches are short; on a small server parallel workers cost more than they save.
    "ALTER TABLE placements_search SET (parallel_workers = 0)",
    "ALTER TABLE placements_search_text SET (parallel_workers = 0)",
    "CREATE INDEX IF NOT EXISTS placements_search_allowance "
    "ON placements_search (monthly_allowance DESC, published_at DESC, placement_id DESC)",
    "CREATE INDEX IF NOT EXISTS placements_search_municipality "
    "ON placements_search (municipality_id, published_at DESC)",
    f"""
    CREATE OR REPLACE FUNCTION placements_search_sync() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        stems text[];
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM placements_search WHERE placement_id = OLD.id;
            DELETE FROM placements_search_text WHERE placement_id = OLD.id;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND (NEW.id <> OLD.id OR NEW.status <> 'published') THEN
            DELETE FROM placements_search WHERE placement_id = OLD.id;
            DELETE FROM placements_search_text WHERE placement_id = OLD.id;
        END IF;
        IF NEW.status <> 'published' THEN
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND NEW.id = OLD.id
            AND (NEW.published_at, NEW.kind, NEW.levels, NEW.hours_per_week,
                 NEW.monthly_allowance, NEW.start_dates, NEW.side_job, NEW.is_duo,
                 NEW.latitude, NEW.longitude, NEW.municipality_id, NEW.search_text)
            IS NOT DISTINCT FROM
                (OLD.published_at, OLD.kind, OLD.levels, OLD.hours_per_week,
                 OLD.monthly_allowance, OLD.start_dates, OLD.side_job, OLD.is_duo,
                 OLD.latitude, OLD.longitude, OLD.municipality_id, OLD.search_text)
        THEN
            RETURN NULL;  -- nothing the search reads has changed
        END IF;
        stems := {_PG_STEMS};
        -- New stems only (a conflict from a concurrent insert is fine).
        INSERT INTO placements_search_terms (term)
            SELECT x FROM unnest(stems) x
            WHERE NOT EXISTS (SELECT 1 FROM placements_search_terms t WHERE t.term = x)
            ON CONFLICT DO NOTHING;
        INSERT INTO placements_search ({_PG_COLUMNS})
            VALUES ({_PG_VALUES}, ARRAY(
                SELECT id FROM placements_search_terms WHERE term = ANY(stems) ORDER BY id))
            ON CONFLICT (placement_id) DO UPDATE SET {_PG_UPDATES};
        INSERT INTO placements_search_text (placement_id, document)
            VALUES (NEW.id, {_PG_DOCUMENT})
            ON CONFLICT (placement_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END
    $$
    """,
    # TRUNCATE (Django's flush between transactional tests) fires no row triggers.
    """
    CREATE OR REPLACE FUNCTION placements_search_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE placements_search, placements_search_text;
        RETURN NULL;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS placements_search_sync ON placements_placement",
    "CREATE TRIGGER placements_search_sync AFTER INSERT OR UPDATE OR DELETE "
    "ON placements_placement FOR EACH ROW EXECUTE FUNCTION placements_search_sync()",
    "DROP TRIGGER IF EXISTS placements_search_truncate ON placements_placement",
    "CREATE TRIGGER placements_search_truncate AFTER TRUNCATE "
    "ON placements_placement FOR EACH STATEMENT EXECUTE FUNCTION placements_search_truncate()",
]

_PG_DROP = [
    "DROP TRIGGER IF EXISTS placements_search_sync ON placements_placement",
    "DROP TRIGGER IF EXISTS placements_search_truncate ON placements_placement",
    "DROP FUNCTION IF EXISTS placements_search_sync()",
    "DROP FUNCTION IF EXISTS placements_search_truncate()",
    "DROP TABLE IF EXISTS placements_search",
    "DROP TABLE IF EXISTS placements_search_text",
    "DROP TABLE IF EXISTS placements_search_terms",
]
_SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS placements_search_vocab",
    "DROP TABLE IF EXISTS placements_search_fts",
    "DROP TABLE IF EXISTS placements_search",
]


def _execute_all(connection: Any, statements: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_search_schema(connection: Any) -> None:
    """Create the search table, its text index and triggers, and fill them (idempotent)."""
    if connection.vendor == "postgresql":
        _execute_all(connection, _PG_SCHEMA)
    elif connection.vendor == "sqlite":
        _execute_all(connection, [*_SQLITE_TABLES, *_SQLITE_TRIGGERS.values()])
    else:  # pragma: no cover - settings allow only these two
        raise NotImplementedError(connection.vendor)
    search_index_rebuild(connection=connection)


def uninstall_search_schema(connection: Any) -> None:
    _execute_all(connection, _PG_DROP if connection.vendor == "postgresql" else _SQLITE_DROP)


def search_index_rebuild(*, connection: Any = None, using: str = "default") -> int:
    """Refill the search tables and text index from the published placements.

    For after a bulk change that bypassed the triggers, or a change to the analyser (then
    first store a fresh `build_search_text` in every placement). Returns the row count.
    """
    connection = connection or connections[using]
    if connection.vendor == "postgresql":
        # The trigger's own expressions, read from the table instead of NEW, set-based.
        values = _PG_VALUES.replace("NEW.", "p.")
        document = _PG_DOCUMENT.replace("NEW.", "p.")
        split = r"regexp_split_to_table(p.search_text, '\s+') x"
        statements = [
            "TRUNCATE placements_search, placements_search_text",
            "INSERT INTO placements_search_terms (term) "
            f"SELECT DISTINCT x FROM placements_placement p, {split} "
            "WHERE p.status = 'published' AND x <> '' ON CONFLICT DO NOTHING",
            f"INSERT INTO placements_search ({_PG_COLUMNS}) SELECT {values}, ARRAY("
            f"SELECT DISTINCT t.id FROM {split} JOIN placements_search_terms t ON t.term = x "
            "ORDER BY t.id) FROM placements_placement p WHERE p.status = 'published'",
            "INSERT INTO placements_search_text (placement_id, document) "
            f"SELECT p.id, {document} FROM placements_placement p WHERE p.status = 'published'",
        ]
    else:
        statements = [
            "DELETE FROM placements_search",
            "DELETE FROM placements_search_fts",
            f"INSERT INTO placements_search ({_SQLITE_COLUMNS}) "
            f"SELECT {_sqlite_values('p')} FROM placements_placement p "
            "WHERE p.status = 'published'",
            "INSERT INTO placements_search_fts (rowid, title, activities, body) "
            f"SELECT {_sqlite_fts_values('p')} FROM placements_placement p "
            "WHERE p.status = 'published'",
        ]
    _execute_all(connection, statements)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM placements_search")
        return int(cursor.fetchone()[0])


def ensure_search_schema(sender: Any = None, *, using: str = "default", **kwargs: Any) -> bool:
    """Restore the search triggers if a migration dropped them, and then rebuild the index.

    On SQLite, altering `placements_placement` in a later migration rebuilds the table and
    drops its triggers. Connect this to `post_migrate` (in PlacementsConfig.ready) so the
    triggers come back at the end of every `migrate`; it costs one query when all is well.
    Returns True when it had to repair.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT to_regclass('placements_search') IS NOT NULL, COUNT(t.tgname) "
                "FROM pg_trigger t WHERE t.tgrelid = to_regclass('placements_placement') "
                "AND t.tgname IN ('placements_search_sync', 'placements_search_truncate')"
            )
            has_table, triggers = cursor.fetchone()
            healthy = bool(has_table) and triggers == 2
        else:
            cursor.execute(
                "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'placements_placement' AND name IN (%s, %s, %s)), "
                "(SELECT COUNT(*) FROM sqlite_master WHERE name = 'placements_search_fts')",
                list(_SQLITE_TRIGGERS),
            )
            triggers, has_fts = cursor.fetchone()
            healthy = triggers == len(_SQLITE_TRIGGERS) and has_fts == 1
    if healthy:
        return False
    applied = MigrationRecorder(connection).applied_migrations()
    if ("placements", "0003_search") not in applied:
        return False  # migrated back before the search index: leave it so
    with transaction.atomic(using=using):
        install_search_schema(connection)
    return True


__all__ = [
    "SearchParams",
    "SearchResult",
    "build_search_text",
    "ensure_search_schema",
    "install_search_schema",
    "placement_search",
    "search_index_rebuild",
    "search_text_from_parts",
    "search_text_refresh",
    "uninstall_search_schema",
]
