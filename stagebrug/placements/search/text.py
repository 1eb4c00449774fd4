"""The text a placement is found by: `Placement.search_text`, three lines of stems (title,
activities, the rest), which the search tables index."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Prefetch

from stagebrug.core.text import index_terms
from stagebrug.core.text.terms import fit_fields
from stagebrug.placements.models import Placement, PlacementProgramme, ProgrammeDecision

# --------------------------------------------------------------------------------------------
# The text to index: `core.text.index_terms` (function words, single letters and numbers
# dropped; accents folded; Snowball-Dutch stems with the routing data's corrections, so
# "gerechten" stays apart from "rechten"). Index and query go through the same function: when
# it or its data files change, store a fresh `build_search_text` in every placement
# (`search_text_refresh`).


@lru_cache(maxsize=50_000)
def _analysed(text: str) -> str:
    return " ".join(index_terms(text))


def search_text_from_parts(
    *, title: str, activities: Iterable[str], other: Iterable[str], cached: bool = False
) -> str:
    """Compose `Placement.search_text` from the raw texts: three lines of stems.

    Line 1 is the title, line 2 the activities, line 3 everything else; the search table
    weights them in that order (W16: the title says what the internship is, the activities
    what the student will do). `cached=True` memoises each fragment, for bulk generators that
    reuse template sentences; the result is identical.
    """
    one = _analysed if cached else (lambda t: " ".join(index_terms(t)))
    lines = (
        one(title or ""),
        " ".join(filter(None, (one(a) for a in activities if a))),
        " ".join(filter(None, (one(t) for t in other if t))),
    )
    return "\n".join(lines)


def build_search_text(placement: Placement) -> str:
    """The text to index for one placement, pre-processed for Dutch.

    Call it whenever the placement, its approved programmes, its company name or its
    location change, and store the result in `placement.search_text`; the database
    triggers carry it into the search index. Reads the company, the location's postcode
    area and municipality, and the approved programmes (prefetched `approved_targets` are
    used when present).
    """
    targets = getattr(placement, "approved_targets", None)
    if targets is None:
        targets = (
            placement.targets.filter(decision=ProgrammeDecision.APPROVED).select_related(
                "programme"
            )
            if placement.pk
            else []
        )
    other: list[str] = [placement.description or "", placement.learning or ""]
    other += sorted(t.programme.name for t in targets)  # the same text whatever the order
    if placement.company_id:
        other.append(placement.company.name)
    if placement.location_id:
        location = placement.location
        other.append(location.city)
    if placement.municipality_id:
        other.append(placement.municipality.name)
    return search_text_from_parts(
        title=placement.title or "",
        activities=[str(a) for a in placement.activities or []],
        other=other,
    )


def search_text_refresh(*, batch: int = 1000, using: str = "default") -> int:
    """Store a fresh `build_search_text` and fit terms in every placement whose text or
    terms are out of date.

    For after a change to text.py or its data files (the synonyms change the terms, not the
    stems). Writes only the rows that change; the triggers update the index. Returns the
    number of placements changed.
    """
    changed = 0
    queryset = (
        Placement.objects.using(using)
        .select_related("company", "location", "municipality")
        .prefetch_related(_approved_targets_for_text())
        .order_by("pk")
    )
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:batch])
        if not chunk:
            return changed
        stale = []
        for placement in chunk:
            text = build_search_text(placement)
            terms = fit_fields(text)
            if text != placement.search_text or terms["fit_keys"] != placement.fit_keys:
                placement.search_text = text
                placement.fit_keys, placement.fit_mask = terms["fit_keys"], terms["fit_mask"]
                stale.append(placement)
        Placement.objects.using(using).bulk_update(stale, ["search_text", "fit_keys", "fit_mask"])
        changed += len(stale)
        last = chunk[-1].pk


def _approved_targets_for_text() -> Prefetch:
    return Prefetch(
        "targets",
        queryset=PlacementProgramme.objects.filter(
            decision=ProgrammeDecision.APPROVED
        ).select_related("programme"),
        to_attr="approved_targets",
    )
