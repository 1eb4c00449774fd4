"""The search itself: SQL over the search tables for both databases, ranking, typo
correction, distance, and `placement_search`, the one selector the page and the API call."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connections

from stagebrug.core.geo import bounding_box, haversine_km, longitude_scale
from stagebrug.placements.models import Placement, ProgrammeDecision, Status
from stagebrug.placements.search.params import (
    SearchParams,
    SearchResult,
    _resolve,
    _Resolved,
)
from stagebrug.placements.search.schema import KNN_COS, PG_POINT
from stagebrug.placements.selectors import approved_targets

# --------------------------------------------------------------------------------------------
# SQL

# bm25 column weights: title, activities, other text (W16: what you will do comes first).
BM25_WEIGHTS = (10.0, 4.0, 1.0)
# ts_rank_cd weights for D, C, B, A; the title is A, the activities B, the rest D.
TS_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
NEWEST = "s.published_at DESC, s.placement_id DESC"
RANK_WINDOW = 1000
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
    else:
        # W3: a placement paused for every programme it was approved for (its company's
        # recognition ended, its only qualified supervisor left) is offered to nobody.
        where.append(
            "EXISTS (SELECT 1 FROM placements_placementprogramme t WHERE "
            "t.placement_id = s.placement_id AND t.decision = %s)"
        )
        args.append(ProgrammeDecision.APPROVED.value)
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
    on SQLite without math functions and lets PostgreSQL skip trigonometry per row. The
    scale is `core.geo`'s, as everywhere distances are computed."""
    k = longitude_scale(lat0)
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
            sql.knn = (f"{PG_POINT} <-> point(%s, %s)", [lon0 * KNN_COS, lat0], lat0, lon0)
            sql.order = f"{PG_POINT} <-> point(%s, %s), {NEWEST}"
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
