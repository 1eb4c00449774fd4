"""Registry list pages and API lists at 1,000 and at 100,000 companies, in one run.

    .venv/bin/python bench/registry.py                 # SQLite file under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/registry.py
    .venv/bin/python bench/registry.py --companies 20000 --small 500 --repeat 10

For each request it prints the median and 95th percentile time (in-process Django test client,
so without network) and the number of SQL queries, first with the small data set and then with
the large one, and the ratio large/small. A ratio near 1 means the page does not get slower as
the registry grows; the query count must be the same in both columns.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        db = ROOT / "var" / "bench" / "registry.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagebrug.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)


REQUESTS = [
    ("page: companies, first page", "/bedrijven/"),
    ("page: companies, page 20", "/bedrijven/?page=20"),
    ("page: companies, search 'lunchroom'", "/bedrijven/?q=lunchroom"),
    ("page: companies in Zaanstad", "/bedrijven/?municipality=Zaanstad"),
    ("page: programmes, search 'marketing'", "/opleidingen/?q=marketing"),
    ("api: /companies?limit=100", "/api/v1/companies?limit=100"),
    ("api: /companies?offset=10000&limit=100", "/api/v1/companies?offset=10000&limit=100"),
    ("api: /companies?q=software", "/api/v1/companies?q=software&limit=25"),
    ("api: /programmes?limit=100", "/api/v1/programmes?limit=100"),
    ("api: /qualifications?q=kok", "/api/v1/qualifications?q=kok"),
]


def measure(repeat: int) -> dict[str, tuple[float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out = {}
    for name, url in REQUESTS:
        client.get(url)  # warm caches
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        out[name] = (statistics.median(times), p95, len(queries))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    setup(args.database_url)
    from django.conf import settings

    from stagebrug.demo import companies as demo

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    started = time.perf_counter()
    demo.generate_companies(count=args.small, seed=11)
    small = measure(args.repeat)
    generated = time.perf_counter()
    demo.generate_companies(count=args.companies - args.small, seed=12)
    print(
        f"# {engine}: generated {args.companies:,} companies "
        f"({time.perf_counter() - generated:.0f} s for the last {args.companies - args.small:,})"
    )
    large = measure(args.repeat)
    print(f"# {args.repeat} requests each; times in ms (in-process, no network)")
    cols = f"{'p50':>9} {'p95':>7} {'q':>3}"
    header = f"{'request (small | large)':<42} {cols} | {cols} | {'p95 ratio':>9}"
    print(header)
    print("-" * len(header))
    for name, _url in REQUESTS:
        s50, s95, sq = small[name]
        l50, l95, lq = large[name]
        small_cols = f"{s50:9.1f} {s95:7.1f} {sq:3d}"
        large_cols = f"{l50:9.1f} {l95:7.1f} {lq:3d}"
        print(f"{name:<42} {small_cols} | {large_cols} | {l95 / s95:9.2f}")
    print(f"# total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
