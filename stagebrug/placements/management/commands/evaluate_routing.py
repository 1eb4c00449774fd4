"""Report how well programme routing (W15) finds the right programmes, against a baseline."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stagebrug.core.text import TextDataError
from stagebrug.placements import routing


class Command(BaseCommand):
    help = (
        "Route every labelled placement text of the evaluation set and print top-1 and top-3 "
        "accuracy and the mean time per text, for the router and for a keyword baseline "
        "(word overlap with the programme name). Top-1: the first suggestion is a correct "
        "programme; top-3: a correct programme is among the first three."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            default=str(routing.REGISTER_EVALUATION_FILE.relative_to(settings.BASE_DIR)),
            help="JSON lines with title, description, activities and labels "
            "(default: %(default)s).",
        )
        parser.add_argument(
            "--split",
            choices=["first", "second", "all"],
            default="all",
            help="first: the first half of the file (used while tuning); second: the other "
            "half (held out); all: everything (default).",
        )
        parser.add_argument(
            "--scope",
            choices=list(routing.SCOPES),
            default="register",
            help="register: route to every qualification of the MBO register and every CROHO "
            "programme (default; what businesses get); loaded: only to the programmes "
            "schools have loaded (the scope evaluation.jsonl and evaluation_blind.jsonl were "
            "labelled for).",
        )
        parser.add_argument(
            "--show-errors",
            action="store_true",
            help="List the texts whose first suggestion is wrong, with the router's top 3.",
        )

    def handle(
        self, *args, file: str, split: str, scope: str, show_errors: bool, **options
    ) -> None:
        path = Path(file)
        if not path.is_absolute():
            path = settings.BASE_DIR / path
        try:
            profiles = routing.profiles_from_db(scope)
            if not profiles:
                raise CommandError(
                    "There are no programmes to route to; load them first with "
                    "`manage.py load_reference_data`."
                )
            items = routing.load_evaluation_set(path, known_keys=routing.known_keys(profiles))
            router = routing.Router(profiles)
        except (routing.EvaluationFileError, TextDataError) as exc:
            raise CommandError(str(exc)) from None
        chosen = routing.split_items(items, split)
        if not chosen:
            raise CommandError(f"The {split} half of {path.name} is empty.")
        term_files = [routing.PROGRAMME_TERMS_FILE]
        if scope == "register":
            term_files.append(routing.REGISTER_TERMS_FILE)
        for key in routing.unknown_term_keys(profiles, *term_files):
            self.stderr.write(f"Warning: a term file names {key}, which is no programme.")

        results = [
            routing.evaluate(router, chosen, name="Router (BM25F, Dutch)"),
            routing.evaluate(routing.KeywordBaseline(profiles), chosen, name="Keyword baseline"),
        ]
        self.stdout.write(
            f"Routing evaluation: {path.name}, split {split}: {len(chosen)} texts, "
            f"{len(profiles)} programmes ({scope})"
        )
        self.stdout.write(f"{'':<24}{'top-1':>8}{'top-3':>8}{'ms/text':>10}")
        for result in results:
            self.stdout.write(
                f"{result.name:<24}{result.top1:>8.1%}{result.top3:>8.1%}{result.mean_ms:>10.2f}"
            )
        router_result, baseline = results
        self.stdout.write(
            f"Router minus baseline: top-1 {100 * (router_result.top1 - baseline.top1):+.1f} "
            f"points, top-3 {100 * (router_result.top3 - baseline.top3):+.1f} points"
        )
        if show_errors:
            names = {p.key: f"{p.name}, {p.level_label}" for p in profiles}
            self.stdout.write(f"\nRouter top-1 misses ({len(router_result.misses)}):")
            for item, top in router_result.misses:
                self.stdout.write(f"  line {item.line}: {item.title}")
                self.stdout.write(f"    expected: {', '.join(item.labels)}")
                got = ", ".join(f"{k} ({names.get(k, '?')})" for k in top) or "nothing"
                self.stdout.write(f"    got:      {got}")
