"""Generate demo data for the Amsterdam region and print the demo logins."""

import time

from django.core.management.base import BaseCommand, CommandError

from stagebrug.accounts.models import User
from stagebrug.demo import companies as company_demo
from stagebrug.demo import internships as internship_demo
from stagebrug.demo import personas
from stagebrug.demo.personas import TEACHER_EMAIL
from stagebrug.demo.placements import generate_placements
from stagebrug.demo.rounds import COORDINATOR_EMAIL, demo_programme
from stagebrug.registry.models import Company


class Command(BaseCommand):
    help = (
        "Create plausible demo businesses (with locations, supervisors and SBB recognitions) "
        "and students, plus one demo login per role. Use large numbers for benchmarks, e.g. "
        "--companies 100000 --students 200000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=300)
        parser.add_argument("--students", type=int, default=400)
        parser.add_argument(
            "--placements",
            type=int,
            default=None,
            help="Published placements for the demo businesses (default: 1.5 per business).",
        )
        parser.add_argument(
            "--internships",
            type=int,
            default=60,
            help="Demo students placed at demo placements (not in the round demo's programme).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only add bulk demo rows when there are no demo businesses yet.",
        )

    def handle(
        self, *args, companies, students, placements, internships, seed, if_empty, **options
    ):
        placements = round(companies * 1.5) if placements is None else placements
        if min(companies, students, placements, internships) < 0:
            raise CommandError(
                "--companies, --students, --placements and --internships cannot be negative."
            )
        started = time.perf_counter()
        try:
            logins = personas.create_personas()
            has_demo = Company.objects.filter(kvk_number__startswith="9").exists()
            if not (if_empty and has_demo):
                report = company_demo.generate_companies(count=companies, seed=seed)
                n_students = company_demo.generate_students(count=students, seed=seed + 1)
                n_placements = (
                    generate_placements(count=placements, seed=seed + 2) if companies else 0
                )
                n_internships = internship_demo.generate_internships(
                    count=internships,
                    seed=seed + 3,
                    skip_programme_ids=frozenset({demo_programme().pk}),
                )
                internship_demo.assign_school_supervisors(
                    coordinator=User.objects.get(email=COORDINATOR_EMAIL),
                    teacher=User.objects.get(email=TEACHER_EMAIL),
                )
                self.stdout.write(
                    f"Created {report.companies} businesses, {report.locations} locations, "
                    f"{report.supervisors} supervisors, {report.recognitions} recognitions, "
                    f"{n_placements} placements, {n_students} students and "
                    f"{n_internships} internships in {time.perf_counter() - started:.1f} s."
                )
            else:
                self.stdout.write("Demo businesses exist already; nothing added.")
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"\nDemo logins (password for all: {company_demo.DEMO_PASSWORD})")
        )
        for role, email, where in logins:
            self.stdout.write(f"  {role:<20} {email:<46} {where}")
        self.stdout.write(
            "School staff and the operator set up two-step verification at their first login:\n"
            "have an authenticator app on your phone at hand (or type its key into one)."
        )
