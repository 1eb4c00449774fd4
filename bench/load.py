"""The site under load: gunicorn as deployed (deploy/gunicorn.conf.py, production settings) on
PostgreSQL with national-scale data, driven by wrk over 127.0.0.1 only.

    .venv/bin/python bench/load.py                     # build the data (200,000 placements), run
    .venv/bin/python bench/load.py --keep              # ... and keep the database
    .venv/bin/python bench/load.py --reuse             # run against the kept database
    .venv/bin/python bench/load.py --placements 20000 --companies 2000 --duration 10

Needs `wrk` (Debian: `apt-get install wrk`). The data set is built in the database
`stagebrug_bench_load` on the server of --pg-url (removed afterwards unless --keep), with the
registry's and the placements' demo generators, as bench/search.py does. Then gunicorn starts
with DEBUG=false on 127.0.0.1 (the request says it came over HTTPS through the balancer, as
X-Forwarded-Proto does in production), and wrk runs each page for --duration seconds with
--connections connections after a warm-up: `/healthz` (the bare floor: one SELECT 1), the
search page with a typical query, a placement's page, and the API call that runs the same
search. It does that twice, with the public page cache on (as deployed: PAGE_CACHE_SECONDS=60,
stagebrug.core.pagecache; wrk sends no session cookie, as a visitor who is not logged in) and
off (every page rendered), and prints requests per second, p50 and p99 latency, each page's
throughput as a share of /healthz's, and the on/off ratio. The targets (issue 11): the search page and a placement page at least 30%
of /healthz's throughput, p99 at most 150 ms at 16 connections; the script exits with status 1
when one is missed (with the cache on).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_DATABASE = "stagebrug_bench_load"
SHARE_TARGET = 0.30
P99_TARGET_MS = 150.0
SEARCH = "kok"


def build(args: argparse.Namespace) -> None:
    """Child process: fill the database of DATABASE_URL; print one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagebrug.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from stagebrug.demo.companies import generate_companies
    from stagebrug.demo.placements import generate_placements
    from stagebrug.registry.reference import load_all

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_all()
    generate_companies(count=args.companies, seed=21)
    made = generate_placements(count=args.placements, seed=22)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(json.dumps({"placements": made, "seconds": time.perf_counter() - started}))


def placement_id(database_url: str) -> int:
    """A published placement that the search finds (its page is the one loaded)."""
    code = (
        "import django, os, json; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'stagebrug.settings'); django.setup(); "
        "from stagebrug.placements.models import Placement; "
        "print(Placement.objects.filter(status='published').order_by('pk').values_list('pk', flat=True)[1000])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def wrk(url: str, *, connections: int, duration: int) -> dict[str, float]:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency"]
    command += ["-H", "X-Forwarded-Proto: https", "-H", "Accept-Language: nl", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50%"),
        "p99": latency("99%"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {url}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--placements", type=int, default=200_000)
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: its default)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the kept database")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        return build(args)
    if shutil.which("wrk") is None:
        raise SystemExit("bench/load.py needs wrk: apt-get install wrk")

    import psycopg

    server = args.pg_url.rsplit("/", 1)[0]
    database_url = f"{server}/{PG_DATABASE}"
    with psycopg.connect(args.pg_url, autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
        ).fetchone()
        if not (args.reuse and exists):
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            admin.execute(f"CREATE DATABASE {PG_DATABASE}")
            print(f"Building {args.placements:,} placements of {args.companies:,} businesses ...")
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--build",
                    "--placements",
                    str(args.placements),
                    "--companies",
                    str(args.companies),
                ],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": database_url},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            built = json.loads(out.strip().splitlines()[-1])
            print(f"  {built['placements']:,} placements in {built['seconds']:.0f} s")

    work = Path(tempfile.mkdtemp(prefix="stagebrug-load-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "load-benchmark-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{args.port}",
        "SITE_URL": f"https://127.0.0.1:{args.port}",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(work / "static"),
        "STAGEBRUG_VAR_DIR": str(work / "var"),
        "RATELIMIT_ENABLE": "false",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_ACCESS_LOG": str(work / "access.log"),
        "GUNICORN_LOG_LEVEL": "warning",
    }
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    pk = placement_id(database_url)
    base = f"http://127.0.0.1:{args.port}"
    pages = [
        ("/healthz", "/healthz"),
        ("search page", f"/stages/?q={SEARCH}"),
        ("placement page", f"/stages/{pk}/"),
        ("search API (same search)", f"/api/v1/placements?q={SEARCH}"),
    ]
    runs = {}
    try:
        for label, cache_seconds in (("page cache on", "60"), ("page cache off", "0")):
            print(f"gunicorn, {label}:", flush=True)
            runs[label] = measure({**env, "PAGE_CACHE_SECONDS": cache_seconds}, base, pages, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep:
            with psycopg.connect(args.pg_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
    missed = []
    for label, results in runs.items():
        missed += report(label, results, pages, args, check=label == "page cache on")
    on, off = runs["page cache on"], runs["page cache off"]
    for page in ("search page", "placement page"):
        print(f"{page}: cache on / off throughput ×{on[page]['rps'] / off[page]['rps']:.1f}")
    for line in missed:
        print("MISSED", line)
    sys.exit(1 if missed else 0)


def measure(env: dict[str, str], base: str, pages, args) -> dict[str, dict[str, float]]:
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "stagebrug.wsgi",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for(f"{base}/livez")
        results = {}
        for label, path in pages:
            wrk(base + path, connections=args.connections, duration=3)  # warm-up
            results[label] = wrk(base + path, connections=args.connections, duration=args.duration)
            r = results[label]
            print(
                f"  {label:<26} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f} ms  "
                f"p99 {r['p99']:6.1f} ms  non-2xx {r['non_2xx']}",
                flush=True,
            )
        return results
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=60)


def report(name: str, results, pages, args, *, check: bool) -> list[str]:
    floor = results["/healthz"]["rps"]
    print(f"\n{name}: {args.connections} connections, {args.duration} s per page")
    print(f"{'page':<26} {'req/s':>8} {'share of /healthz':>18} {'p50 ms':>8} {'p99 ms':>8}")
    missed = []
    for label, _path in pages:
        r = results[label]
        share = r["rps"] / floor
        print(f"{label:<26} {r['rps']:8.1f} {share:17.1%} {r['p50']:8.1f} {r['p99']:8.1f}")
        if r["non_2xx"]:
            missed.append(f"{name}, {label}: {r['non_2xx']} responses were not 2xx/3xx")
        if check and label in ("search page", "placement page"):
            if share < SHARE_TARGET:
                missed.append(f"{label}: {share:.1%} of /healthz (target {SHARE_TARGET:.0%})")
            if r["p99"] > P99_TARGET_MS:
                missed.append(f"{label}: p99 {r['p99']:.1f} ms (target {P99_TARGET_MS:.0f})")
    return missed


if __name__ == "__main__":
    main()
