"""Writing the facts: the sources grouped into temporary tables and summed into facts with
INSERT ... SELECT, the coarser grains, the SBI sections."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection
from django.db.models import (
    QuerySet,
)

from stagebrug.insights import rules
from stagebrug.insights.models import Fact, Grain, SectorSection
from stagebrug.insights.refresh.measures import (
    ALLOWANCE,
    ALLOWANCE_EUR,
    ATTENDED,
    COLUMNS,
    DIMENSIONS,
    LOOKING,
    PLACED,
    PLACES,
    REGISTERED,
    STOPPED,
    TAKEN,
    TEMP,
    TTF,
    TTF_DAYS,
    UNPLACED,
)
from stagebrug.insights.refresh.sources import (
    DAYS,
    evaluations,
    events,
    internships,
    registrations,
    searches_sql,
    sources_sql,
    supply,
    ttf_band_sql,
)
from stagebrug.placements.models import (
    AllowanceGuidance,
)
from stagebrug.registry.models import SectorCode

# --------------------------------------------------------------------------------------------
# Writing


def _execute(sql: str, params: list | tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _temp(name: str, qs: QuerySet | tuple[str, list]) -> None:
    sql, params = qs if isinstance(qs, tuple) else qs.query.sql_with_params()
    _execute(f"DROP TABLE IF EXISTS {name}")
    _execute(f"CREATE TEMPORARY TABLE {name} AS {sql}", params)


def _drop_temps() -> None:
    for name in TEMP.values():
        _execute(f"DROP TABLE IF EXISTS {name}")


def _insert(select: str, params: list | tuple = ()) -> int:
    table = Fact._meta.db_table
    return _execute(f"INSERT INTO {table} ({', '.join(COLUMNS)}) {select}", params)


def _insert_grouped(qs: QuerySet) -> int:
    """A source already grouped to (year, measure, key, dimensions) with `f_value`."""
    sql, params = qs.query.sql_with_params()
    return _insert(
        f"SELECT {Grain.FINEST}, q.f_school_year, q.f_measure, q.f_key, "
        + ", ".join(f"q.{d}" for d in DIMENSIONS)
        + f", q.f_value FROM ({sql}) q WHERE q.f_value <> 0",
        params,
    )


def _insert_sum(
    temp: str, measure: str, value: str, *, key: str | None = None, where: str = ""
) -> int:
    """Sum one column of a temporary table into facts of `measure` (keyed by a column)."""
    dims = ", ".join(DIMENSIONS)
    key_sql = key or "''"
    group = f"f_school_year, {dims}" + (f", {key}" if key else "")
    return _insert(
        f"SELECT {Grain.FINEST}, f_school_year, %s, {key_sql}, {dims}, SUM({value}) "
        f"FROM {temp} {('WHERE ' + where) if where else ''} "
        f"GROUP BY {group} HAVING SUM({value}) <> 0",
        [measure],
    )


def _months_table() -> str:
    """The twelve months of a school year as rows (i, k): 0/'00' … 11/'11'."""
    return " UNION ALL ".join(f"SELECT {i} AS i, '{i:02d}' AS k" for i in range(12))


def write_facts(*, today: dt.date) -> tuple[dict[str, int], dict[str, float]]:
    """Replace every fact with what the live data says now. Runs inside the caller's
    transaction, so readers see the old facts until it commits. Returns the facts written
    and the seconds taken, per step."""
    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}

    def step(name: str, action) -> None:
        began = time.perf_counter()
        counts[name] = action()
        seconds[name] = round(time.perf_counter() - began, 3)

    def clear() -> int:
        if SectorSection.objects.count() != SectorCode.objects.count():
            sections_rebuild()
        Fact.objects.all().delete()
        return 0

    if connection.vendor == "postgresql":
        # Group in memory: the sources are grouped by many columns at national scale. No
        # JIT: compiling these long CASE expressions costs more than it saves.
        _execute("SET LOCAL work_mem = '256MB'")
        _execute("SET LOCAL jit = off")
    step("clear", clear)
    guidance = list(AllowanceGuidance.objects.all())
    step("supply", lambda: _write_supply(guidance))
    step("searches", lambda: _write_searches(today))
    step("internships", _write_internships)
    step("evaluations", lambda: _insert_grouped(evaluations()))
    step("events", _write_events)
    _drop_temps()
    step("coarser grains", roll_up)
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner at once, not when autovacuum comes by.
        step("analyse", lambda: _execute(f"ANALYZE {Fact._meta.db_table}"))
    return counts, seconds


def _write_supply(guidance: list[AllowanceGuidance]) -> int:
    s = TEMP["supply"]
    _temp(s, supply(guidance))
    return (
        _insert_sum(s, PLACES, "f_places")
        + _insert_sum(s, TAKEN, "f_taken")
        + _insert_sum(s, ALLOWANCE, "f_n", key="f_band")
        + _insert_sum(s, ALLOWANCE_EUR, "ROUND(f_eur)")
    )


def _write_searches(today: dt.date) -> int:
    _temp(TEMP["sources"], sources_sql())
    _temp(TEMP["searches"], searches_sql())
    s = TEMP["searches"]
    current = rules.school_year_of(today)
    passed = rules.months_passed(current, today)
    dims = ", ".join(f"q.{d}" for d in DIMENSIONS)
    return _insert_sum(s, LOOKING, "f_n") + _insert(
        f"SELECT {Grain.FINEST}, q.f_school_year, %s, m.k, {dims}, SUM(q.f_n) "
        f"FROM {s} q JOIN ({_months_table()}) m ON m.i >= q.f_s AND m.i < q.f_p "
        "WHERE q.f_school_year < %s OR (q.f_school_year = %s AND m.i < %s) "
        f"GROUP BY q.f_school_year, m.k, {dims}",
        [UNPLACED, current, current, passed],
    )


def _write_internships() -> int:
    s = TEMP["internships"]
    _temp(s, internships())
    return (
        _insert_sum(s, PLACED, "1")
        + _insert_sum(s, STOPPED, "1", key="f_reason", where="f_reason <> ''")
        + _insert_sum(s, TTF, "1", key=ttf_band_sql(DAYS), where="f_days IS NOT NULL")
        + _insert_sum(s, TTF_DAYS, DAYS, where="f_days IS NOT NULL")
    )


def _write_events() -> int:
    written = _insert_grouped(events())
    s = TEMP["registrations"]
    _temp(s, registrations())
    return (
        written
        + _insert_sum(s, REGISTERED, "f_registered", key="f_key")
        + _insert_sum(s, ATTENDED, "f_attended", key="f_key")
    )


#: Each coarser grain, and the finer one it is summed from (the smallest that will do).
ROLL_UP_FROM = (
    (Grain.PROGRAMME, Grain.FINEST),
    (Grain.MUNICIPALITY, Grain.FINEST),
    (Grain.SECTOR, Grain.FINEST),
    (0, Grain.SECTOR),
)


def roll_up() -> int:
    """The coarser grains (`Grain.ALL`), each a finer one summed over the dimensions it leaves
    out (empty in those columns)."""
    table = Fact._meta.db_table
    written = 0
    for grain, finer in ROLL_UP_FROM:
        programme = "programme_id" if grain & Grain.PROGRAMME else "NULL"
        sector = "sector_id" if grain & Grain.SECTOR else "NULL"
        municipality = "municipality_id" if grain & Grain.MUNICIPALITY else "NULL"
        kept = [c for c in (programme, sector, municipality) if c != "NULL"]
        group = ", ".join(["school_year", "measure", "key", "institution_id", "level", *kept])
        written += _insert(
            f"SELECT {grain}, school_year, measure, key, institution_id, {programme}, level, "
            f"{sector}, {municipality}, SUM(value) FROM {table} WHERE grain = %s GROUP BY {group}",
            [finer],
        )
    return written


def sections_rebuild() -> int:
    """Map every SBI code to its section (the letter at the top of its tree)."""
    tree = {
        code: (parent, level)
        for code, parent, level in SectorCode.objects.values_list("code", "parent_id", "level")
    }

    def section(code: str) -> str:
        seen = 0
        while code in tree and tree[code][1] != "sectie" and tree[code][0] and seen < 10:
            code, seen = tree[code][0], seen + 1
        return code

    SectorSection.objects.all().delete()
    SectorSection.objects.bulk_create(
        (SectorSection(sector_id=code, section=section(code)) for code in tree), batch_size=2000
    )
    if connection.vendor == "postgresql":
        _execute(f"ANALYZE {SectorSection._meta.db_table}")
    return len(tree)
