"""Store fresh search text and fit terms in every placement, after a change to the text
analysis or its data files (`data/routing/`: stop words, stem corrections, synonyms)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from stagebrug.placements.reach import reach_rebuild
from stagebrug.placements.search import search_text_refresh


class Command(BaseCommand):
    help = (
        "Analyse every placement's text again and store its search text and fit terms where "
        "they changed (the search index and the recommendations' table follow by trigger). "
        "Run it after changing the files under data/routing/. Safe to run twice."
    )

    def handle(self, *args, **options) -> None:
        changed = search_text_refresh()
        rows = reach_rebuild()
        self.stdout.write(
            f"{changed} placement(s) had new search text or fit terms; "
            f"{rows} row(s) in placements_reach."
        )
