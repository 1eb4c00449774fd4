"""Placement search at national scale: 200,000 published placements, SQLite and PostgreSQL.

    .venv/bin/python bench/search.py                       # both databases, 200,000 placements
    .venv/bin/python bench/search.py --placements 20000 --repeat 10 --skip-sqlite
    .venv/bin/python bench/search.py --pg-url postgres://postgres@db.example:5432/postgres

For each database it builds a fresh data set in a child process (SQLite: a file under
var/bench/; PostgreSQL: the database `stagebrug_bench`, created by this script on the server
of --pg-url; both removed afterwards unless --keep), with the registry's demo generator
(--companies businesses) and the placements demo generator, then vacuums and analyses. That set-up is timed and printed
apart. Then it runs typical student searches through `placement_search` (in-process, no
network, the page's rows and programmes included) --repeat times each after a warm-up, and
prints p50 and p95 per query per database, the PostgreSQL/SQLite ratio of the p95s and the
number of SQL queries. The target (issue 3): PostgreSQL p95 at most 50 ms per query; the
script exits with status 1 when a query misses it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._databases import add_database_arguments, percentiles, run_on_both  # noqa: E402

PG_DATABASE = "stagebrug_bench"
PG_TARGET_MS = 50.0

# (label, SearchParams fields; dates as ISO strings)
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("text: social media", {"q": "social media"}),
    ("text: kok", {"q": "kok"}),
    ("text: klanten helpen", {"q": "klanten helpen"}),
    (
        "text+filters: kok, MBO 2, Amsterdam, >=100/month, from Feb 2027",
        {
            "q": "kok",
            "level": 2,
            "municipality": "Amsterdam",
            "min_allowance": "100",
            "start_from": "2027-02-01",
        },
    ),
    (
        "text+filters: marketing, MBO 4, Haarlemmermeer, from Aug 2027",
        {
            "q": "marketing",
            "level": 4,
            "municipality": "Haarlemmermeer",
            "start_from": "2027-08-01",
        },
    ),
    (
        "text+filters: software, HBO, >=400, 32-40 h, Sep 2027, duo off",
        {
            "q": "software",
            "level": 5,
            "min_allowance": "400",
            "hours_min": 32,
            "hours_max": 40,
            "start_from": "2027-09-01",
            "start_until": "2027-09-30",
            "duo": False,
        },
    ),
    (
        "distance: 1012 within 25 km, nearest first",
        {"postcode": "1012", "max_km": 25, "sort": "distance"},
    ),
    (
        "text+distance: klanten helpen, 1501 within 10 km, nearest",
        {"q": "klanten helpen", "postcode": "1501", "max_km": 10, "sort": "distance"},
    ),
    ("typo: marketting", {"q": "marketting"}),
    ("typo: klantenservise", {"q": "klantenservise"}),
    ("browse: newest first", {}),
    ("browse: side job, highest allowance", {"side_job": True, "sort": "allowance"}),
    ("text: kok, page 10", {"q": "kok", "page": 10}),
]


# --------------------------------------------------------------------------------------------
# Child process: one database


def _params(fields: dict[str, Any]) -> Any:
    import datetime as dt
    from decimal import Decimal

    from stagebrug.placements.search import SearchParams

    values = dict(fields)
    for name in ("start_from", "start_until"):
        if name in values:
            values[name] = dt.date.fromisoformat(values[name])
    if "min_allowance" in values:
        values["min_allowance"] = Decimal(values["min_allowance"])
    return SearchParams(**values)


def worker(args: argparse.Namespace) -> None:
    """Build the data set in the database of DATABASE_URL, measure, print one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagebrug.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stagebrug.demo.companies import generate_companies
    from stagebrug.demo.placements import generate_placements
    from stagebrug.placements.search import placement_search
    from stagebrug.registry.reference import load_all

    def log(message: str) -> None:
        print(f"[{connection.vendor}] {message}", file=sys.stderr, flush=True)

    setup: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_all()
    setup["migrate and reference data"] = time.perf_counter() - started
    log(f"migrated and loaded reference data in {setup['migrate and reference data']:.0f} s")

    started = time.perf_counter()
    generate_companies(count=args.companies, seed=21)
    setup[f"{args.companies:,} companies"] = time.perf_counter() - started
    log(f"generated {args.companies:,} companies in {setup[f'{args.companies:,} companies']:.0f} s")

    started = time.perf_counter()
    made = generate_placements(count=args.placements, seed=22)
    setup[f"{made:,} placements"] = time.perf_counter() - started
    log(f"generated {made:,} placements in {setup[f'{made:,} placements']:.0f} s")

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum does after a bulk load: statistics and the visibility map.
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
    setup["vacuum/analyze"] = time.perf_counter() - started

    results = []
    for label, fields in QUERIES:
        params = _params(fields)
        for _ in range(3):  # warm caches and plans
            result = placement_search(params)
        with CaptureQueriesContext(connection) as queries:
            placement_search(params)
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            result = placement_search(params)
            times.append((time.perf_counter() - began) * 1000)
        results.append(
            {
                "query": label,
                **percentiles(times),
                "count": result.count,
                "exact": result.count_exact,
                "items": len(result.items),
                "typo": result.typo_corrected,
                "sql": len(queries),
            }
        )
        log(f"{label}: p95 {results[-1]['p95']:.1f} ms")
    print(json.dumps({"vendor": connection.vendor, "setup": setup, "results": results}))


# --------------------------------------------------------------------------------------------
# Parent process: both databases, one table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--placements", type=int, default=200_000)
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    add_database_arguments(parser, PG_DATABASE)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    began = time.perf_counter()
    child_args = ["--placements", str(args.placements), "--companies", str(args.companies)]
    child_args += ["--repeat", str(args.repeat)]
    runs = run_on_both(
        args, script=__file__, name="search", pg_database=PG_DATABASE, child_args=child_args
    )
    _report(runs, args)
    print(f"# total {time.perf_counter() - began:.0f} s")
    pg = runs.get("postgresql")
    if pg and any(r["p95"] > PG_TARGET_MS for r in pg["results"]):
        sys.exit(1)


def _report(runs: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"# placement_search with {args.placements:,} published placements at "
        f"{args.companies:,} companies; {args.repeat} runs per query after 3 warm-up runs; "
        "times in ms, in-process (no network), including the page's rows and programmes"
    )
    for vendor, run in runs.items():
        setup = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in run["setup"].items())
        print(f"# {vendor} set-up (not timed below): {setup}")
    sqlite = {r["query"]: r for r in runs.get("sqlite", {}).get("results", [])}
    pg = {r["query"]: r for r in runs.get("postgresql", {}).get("results", [])}
    header = (
        f"{'query':<62} {'SQLite p50':>10} {'p95':>7} | {'PG p50':>7} {'p95':>7} | "
        f"{'PG/SQLite':>9} | {'matches':>8} {'SQL':>3} {'typo':>4}"
    )
    print(header)
    print("-" * len(header))
    for label, _fields in QUERIES:
        s, p = sqlite.get(label), pg.get(label)
        s_cols = f"{s['p50']:10.1f} {s['p95']:7.1f}" if s else f"{'-':>10} {'-':>7}"
        p_cols = f"{p['p50']:7.1f} {p['p95']:7.1f}" if p else f"{'-':>7} {'-':>7}"
        ratio = f"{p['p95'] / s['p95']:9.2f}" if s and p else f"{'-':>9}"
        any_run = p or s
        if any_run is None:
            continue
        count = f"{any_run['count']:,}{'' if any_run['exact'] else '+'}"
        typo = "yes" if any_run["typo"] else ""
        print(
            f"{label:<62} {s_cols} | {p_cols} | {ratio} | {count:>8} {any_run['sql']:3d} {typo:>4}"
        )
    if pg:
        worst = max(pg.values(), key=lambda r: r["p95"])
        verdict = "met" if worst["p95"] <= PG_TARGET_MS else "MISSED"
        print(
            f"# PostgreSQL target p95 <= {PG_TARGET_MS:.0f} ms per query: {verdict} "
            f"(worst: {worst['query']}, {worst['p95']:.1f} ms)"
        )


if __name__ == "__main__":
    main()
