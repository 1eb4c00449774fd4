"""Prepare a demo matching round for the coordinator persona, ready to run."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from stagebrug.demo import rounds as demo
from stagebrug.matching.models import Round


class Command(BaseCommand):
    help = (
        "Create demo students of a ROC van Amsterdam programme (Kok by default) with profiles, "
        "enough approved placements, and a closed matching round with everyone's rankings, so "
        "coordinator@rocva.example can run, review and publish it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=200)
        parser.add_argument(
            "--programme", default=None, help="crebo (ROC van Amsterdam) or programme id"
        )
        parser.add_argument("--max-choices", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--open",
            action="store_true",
            help="Leave the round open for rankings instead of closing it.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the programme has a matching round already.",
        )

    def handle(self, *args, students, programme, max_choices, seed, open, if_empty, **options):
        if students < 1:
            raise CommandError("--students must be at least 1.")
        try:
            chosen = demo.demo_programme(programme)
        except Exception as exc:
            raise CommandError(str(exc)) from None
        if if_empty and Round.objects.filter(programme=chosen).exists():
            self.stdout.write(f"{chosen.name} has a matching round already; nothing added.")
            return
        started = time.perf_counter()
        try:
            made = demo.prepare_round_demo(
                students=students,
                programme=chosen,
                seed=seed,
                close=not open,
                max_choices=max_choices,
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        round = made.round
        self.stdout.write(
            f"Round “{round.name}” (id {round.pk}) for {chosen.name}, {chosen.institution.name}: "
            f"{round.students.count()} students ({made.students_created} new), "
            f"{round.seats.count()} placements with "
            f"{sum(round.seats.values_list('capacity', flat=True))} seats "
            f"({made.placements_created} new placements, {made.companies_created} new "
            f"businesses), {round.choices.values('student').distinct().count()} rankings; "
            f"status {round.status}; {time.perf_counter() - started:.1f} s."
        )
        self.stdout.write(
            f"Log in as {demo.COORDINATOR_EMAIL} and open /scholen/{round.institution.slug}"
            f"/rondes/{round.pk}/ to run it."
        )
