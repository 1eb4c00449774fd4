"""Agreements: drafting, the PDF, and the agreement page's SQL, on SQLite and PostgreSQL.

    .venv/bin/python bench/agreements.py                 # both databases
    .venv/bin/python bench/agreements.py --internships 100 --pdfs 20 --skip-sqlite

For each database a child process builds a fresh data set (as bench/recommend.py does): demo
businesses, placements and students, then --internships internships through the real service
(`internships.services.internship_confirm`, which drafts each agreement through its hook). Set-up
time is printed apart. Then it measures

* drafting: `agreements.services.agreements_draft` for each internship again (its agreement
  removed first, in a transaction rolled back afterwards), per internship;
* the PDF of a signed version (`agreements.pdf.render_pdf`, WeasyPrint) for --pdfs agreements
  whose sections are filled in and signed by the three parties (written straight to the
  database in the set-up: the services' own costs are not what this measures), Dutch;
* the agreement page (`GET /stagiairs/<id>/overeenkomst/` as the operator, who sees it as a
  coordinator does, through Django's
  test client, no network): its SQL query count and time with 1 version and with 10 versions
  (amendments), which must be the same count.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._databases import (  # noqa: E402
    SetUp,
    add_database_arguments,
    logged_in,
    percentiles,
    run_on_both,
)

PG_DATABASE = "stagebrug_bench_agreements"


def worker(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagebrug.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from stagebrug.accounts.models import User
    from stagebrug.agreements import rules, services
    from stagebrug.agreements.models import Agreement, Signature, Version
    from stagebrug.agreements.pdf import render_pdf
    from stagebrug.demo import internships as internship_demo
    from stagebrug.demo.companies import generate_companies, generate_students
    from stagebrug.demo.personas import create_personas
    from stagebrug.demo.placements import generate_placements
    from stagebrug.internships.models import Internship
    from stagebrug.registry.reference import load_all

    setup = SetUp()
    step = setup.step

    step("migrate and reference data", lambda: (call_command("migrate", verbosity=0), load_all()))
    step("demo logins", create_personas)
    step("companies", lambda: generate_companies(count=args.internships * 2, seed=31))
    step("placements", lambda: generate_placements(count=args.internships * 3, seed=32))
    step("students", lambda: generate_students(count=args.internships * 4, seed=33))
    made = step(
        f"{args.internships} internships (with their drafts)",
        lambda: internship_demo.generate_internships(count=args.internships, seed=34),
    )

    internships = list(
        Internship.objects.select_related("placement", "programme").order_by("pk")[
            : args.internships
        ]
    )
    drafting = []
    with transaction.atomic():
        Agreement.objects.filter(internship__in=internships).delete()
        for internship in internships:
            began = time.perf_counter()
            services.agreements_draft(internships=[internship])
            drafting.append((time.perf_counter() - began) * 1000)
        transaction.set_rollback(True)

    # Signed versions for the PDFs: every section marked done, three signatures.
    now = timezone.now()
    # Agreements nobody has signed yet (the demo logins include a running internship whose
    # agreement is signed already).
    chosen = list(
        Agreement.objects.filter(internship__in=internships)
        .exclude(versions__signatures__isnull=False)
        .distinct()
        .order_by("pk")[: args.pdfs]
    )
    for agreement in chosen:
        version = agreement.versions.get(number=1)
        content = dict(version.content)
        for key, entry in content.items():
            if key != "parties":
                content[key] = {**entry, "saved_at": now.isoformat(), "saved_by": None}
        content["workplace_rules"] = {
            "data": {"sick_and_late": "Bel de werkbegeleider vóór 8:00."},
            "saved_at": now.isoformat(),
            "saved_by": None,
        }
        version.content = content
        version.content_hash = rules.content_hash(content)
        version.required_parties = rules.required_parties(minor=False)
        version.state = Version.State.SIGNED
        version.sent_at = version.signed_at = now
        version.save()
        for party in version.required_parties:
            Signature.objects.create(
                version=version,
                party=party,
                name=f"Ondertekenaar {party}",
                method=Signature.Method.SESSION,
                content_hash=version.content_hash,
            )
        agreement.status = "signed"
        agreement.save(update_fields=["status"])
    render_pdf(chosen[0], chosen[0].versions.get(number=1))  # fonts, caches
    pdf_times, sizes = [], []
    for agreement in chosen:
        version = agreement.versions.get(number=1)
        began = time.perf_counter()
        pdf = render_pdf(agreement, version, language="nl")
        pdf_times.append((time.perf_counter() - began) * 1000)
        sizes.append(len(pdf))

    # The page with 1 and with 10 versions.
    # The platform operator (a demo login) sees every school's agreements, as a coordinator does.
    coordinator = User.objects.get(email="operator@stagebrug.example")
    client = Client(SERVER_NAME="localhost")
    logged_in(client, coordinator)

    def page(agreement) -> tuple[int, list[float]]:
        url = f"/stagiairs/{agreement.internship_id}/overeenkomst/"
        first = client.get(url)
        assert first.status_code == 200, first.status_code
        queries: list[str] = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        return len(queries), times

    one_sql, one_times = page(chosen[1])
    many = chosen[2]
    for _ in range(9):
        services.agreement_amend(agreement=many, by=coordinator)
        draft = services.open_version(many)
        signed = many.versions.filter(state=Version.State.SIGNED).first()
        signed.state = Version.State.SUPERSEDED
        signed.save(update_fields=["state"])
        draft.content_hash = rules.content_hash(draft.content)
        draft.required_parties = signed.required_parties
        draft.state = Version.State.SIGNED
        draft.save()
        for party in draft.required_parties:
            Signature.objects.create(
                version=draft,
                party=party,
                name=f"Ondertekenaar {party}",
                method=Signature.Method.SESSION,
                content_hash=draft.content_hash,
            )
        many.status = "signed"
        many.save(update_fields=["status"])
    ten_sql, ten_times = page(many)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "setup": setup,
                "internships": made,
                "drafting": percentiles(drafting),
                "pdf": {**percentiles(pdf_times), "kb": sum(sizes) / len(sizes) / 1024},
                "page_1": {**percentiles(one_times), "sql": one_sql},
                "page_10": {
                    **percentiles(ten_times),
                    "sql": ten_sql,
                    "versions": many.versions.count(),
                },
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--internships", type=int, default=300)
    parser.add_argument("--pdfs", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=30)
    add_database_arguments(parser, PG_DATABASE)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    began = time.perf_counter()
    load = os.getloadavg()[0]
    child_args = []
    for name in ("internships", "pdfs", "repeat"):
        child_args += [f"--{name}", str(getattr(args, name))]
    runs = run_on_both(
        args, script=__file__, name="agreements", pg_database=PG_DATABASE, child_args=child_args
    )
    for vendor, run in runs.items():
        setup = ", ".join(f"{k} {v:.1f} s" for k, v in run["setup"].items())
        print(f"# {vendor}: {run['internships']} internships; set-up (not timed below): {setup}")
        d, p, one, ten = run["drafting"], run["pdf"], run["page_1"], run["page_10"]
        print(f"  drafting an agreement        p50 {d['p50']:7.1f} ms  p95 {d['p95']:7.1f} ms")
        print(
            f"  PDF of a signed version      p50 {p['p50']:7.1f} ms  p95 {p['p95']:7.1f} ms"
            f"  ({p['kb']:.0f} kB)"
        )
        print(
            f"  agreement page, 1 version    p50 {one['p50']:7.1f} ms  p95 {one['p95']:7.1f} ms"
            f"  {one['sql']} SQL"
        )
        print(
            f"  agreement page, {ten['versions']} versions  p50 {ten['p50']:7.1f} ms  "
            f"p95 {ten['p95']:7.1f} ms  {ten['sql']} SQL"
            f"  (ratio of SQL {ten['sql'] / one['sql']:.2f})"
        )
    print(
        f"# total {time.perf_counter() - began:.0f} s; load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
