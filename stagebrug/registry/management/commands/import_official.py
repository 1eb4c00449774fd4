"""Import DUO's programme lists per institution and SBB's recognised companies."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stagebrug.registry import official


class Command(BaseCommand):
    help = (
        "Import the official files: --programmes, DUO's list of programmes per institution "
        "(BRIN and crebo, or institution code and CROHO), and --recognitions, SBB's register "
        "of recognised companies (KvK number, leerbedrijf ID, crebo, start and end date). "
        "All-or-nothing: a bad line stops the import, names the line and writes nothing. "
        "The same file twice changes nothing. Rows for schools or companies not on Stagebrug "
        "are counted and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programmes", type=Path, help="DUO programmes per institution")
        parser.add_argument("--recognitions", type=Path, help="SBB recognised companies")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the files and report; write nothing."
        )

    def handle(self, *args, programmes=None, recognitions=None, dry_run=False, **options):
        if not programmes and not recognitions:
            raise CommandError("Give --programmes FILE, --recognitions FILE or both.")
        try:
            with transaction.atomic():
                reports = []
                if programmes:
                    reports.append(
                        ("Programmes", official.import_programmes(programmes, dry_run=dry_run))
                    )
                if recognitions:
                    reports.append(
                        (
                            "Recognitions",
                            official.import_recognitions(recognitions, dry_run=dry_run),
                        )
                    )
        except official.ImportFileError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from None
        for name, report in reports:
            self.stdout.write(f"{name}: {report}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))
