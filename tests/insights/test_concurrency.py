"""Two workers refreshing at the same moment: one computes, the other leaves it (PostgreSQL:
it finds the row locked; SQLite: it waits for the first and finds fresh figures). Never
twice the facts."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from stagebrug.insights.models import Fact, Refresh
from stagebrug.insights.services import figures_refresh

pytestmark = pytest.mark.django_db(transaction=True)


def _run(results: list, barrier: threading.Barrier) -> None:
    try:
        barrier.wait()
        results.append(figures_refresh()["status"])
    except Exception as exc:  # shown by the assertion below
        results.append(repr(exc))
    finally:
        connections.close_all()


def test_two_workers_at_once_compute_the_figures_once(internship):
    results: list[str] = []
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_run, args=(results, barrier)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) in (["busy", "refreshed"], ["fresh", "refreshed"])
    once = sorted(Fact.objects.values_list("grain", "measure", "key", "programme_id", "value"))
    figures_refresh(force=True)
    assert (
        sorted(Fact.objects.values_list("grain", "measure", "key", "programme_id", "value")) == once
    )
    assert Refresh.objects.count() == 1


@pytest.mark.postgres
def test_a_worker_that_finds_the_refresh_locked_leaves_it(internship):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: a second worker waits instead")
    Refresh.objects.get_or_create(pk=1)
    locked, release = threading.Event(), threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                Refresh.objects.select_for_update().get()
                locked.set()
                release.wait(20)
        finally:
            connections.close_all()

    holder = threading.Thread(target=first)
    holder.start()
    try:
        assert locked.wait(20)
        assert figures_refresh(force=True) == {"status": "busy"}
        assert not Fact.objects.exists()
    finally:
        release.set()
        holder.join()
    assert figures_refresh(force=True)["status"] == "refreshed"
