"""Load the public reference data and the four institutions. Safe to run again."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stagebrug.registry import reference


class Command(BaseCommand):
    help = (
        "Load postcodes, municipalities, SBI sectors, MBO qualifications, CROHO programmes and "
        "the four institutions with their programmes. Idempotent and all-or-nothing. Give "
        "--qualifications or --croho to import an official DUO/SBB export in the same layout "
        "as the shipped files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--qualifications", type=Path, help="crebo register CSV to import")
        parser.add_argument("--croho", type=Path, help="DUO 'Erkenningen ho' CSV to import")

    def handle(self, *args, qualifications=None, croho=None, **options):
        try:
            if qualifications or croho:
                with transaction.atomic():
                    counts = {}
                    if qualifications:
                        counts.update(reference.load_qualifications(qualifications))
                    if croho:
                        counts.update(reference.load_croho(croho))
                report = reference.LoadReport(counts)
            else:
                report = reference.load_all()
        except reference.ReferenceDataError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded ({report})."))
