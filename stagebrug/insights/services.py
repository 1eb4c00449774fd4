"""Writing the figures: the one service that recomputes every fact from the live data."""

from __future__ import annotations

import datetime as dt
import time

from django.db import IntegrityError, transaction
from django.utils import timezone

from stagebrug.insights import refresh
from stagebrug.insights.models import Fact, Refresh

#: A run that finds figures younger than this does nothing (a second worker, a retry).
FRESH_FOR = dt.timedelta(minutes=10)
SINGLETON = 1


def _claim() -> Refresh | None:
    """Lock the one `Refresh` row (pk 1) for this transaction, or None when another worker
    holds it (PostgreSQL: SKIP LOCKED). On SQLite a write transaction already excludes every
    other writer, so a second worker waits for the first to finish and then finds fresh
    figures. The row is made by the migration; should it be gone, the first run makes it
    (a second run making it at that moment waits for the first, then finds it)."""
    state = Refresh.objects.select_for_update(skip_locked=True).filter(pk=SINGLETON).first()
    if state is not None:
        return state
    if Refresh.objects.filter(pk=SINGLETON).exists():
        return None  # it is there, and locked
    try:
        with transaction.atomic():
            Refresh.objects.create(pk=SINGLETON)
    except IntegrityError:
        pass
    return Refresh.objects.select_for_update(skip_locked=True).filter(pk=SINGLETON).first()


def figures_refresh(*, now: dt.datetime | None = None, force: bool = False) -> dict:
    """Recompute every insight figure from the live data, all at once: the pages go on
    reading the previous figures until the new ones are committed.

    Idempotent (the same data gives the same figures) and safe with two workers: the run
    holds the lock on the `Refresh` row; a run that cannot get it, or that finds figures
    younger than `FRESH_FOR` (unless `force`), does nothing. Returns what it did.
    """
    now = now or timezone.now()
    with transaction.atomic():
        state = _claim()
        if state is None:
            return {"status": "busy"}
        if not force and state.refreshed_at and now - state.refreshed_at < FRESH_FOR:
            return {"status": "fresh", "refreshed_at": state.refreshed_at}
        began = time.perf_counter()
        state.started_at = timezone.now()
        counts, seconds = refresh.write_facts(today=timezone.localdate(now))
        state.refreshed_at = now
        state.seconds = round(time.perf_counter() - began, 3)
        state.facts = sum(counts.values())
        state.school_years = sorted(
            Fact.objects.order_by().values_list("school_year", flat=True).distinct(),
            reverse=True,
        )
        state.save()
    return {
        "status": "refreshed",
        "facts": state.facts,
        "seconds": state.seconds,
        "written": counts,
        "steps_s": seconds,
    }
