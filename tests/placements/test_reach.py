"""`placements_reach`: one row per approved programme of each published placement, written by
triggers whatever changes the placement or its targets (recommendations read it, C5)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from stagebrug.core.text.terms import fit_fields, keys_from_column
from stagebrug.placements import reach
from stagebrug.placements.models import (
    Placement,
    PlacementProgramme,
    PlacementReach,
    ProgrammeDecision,
    Status,
)
from tests.placements import search_factories as sf

pytestmark = pytest.mark.django_db


def rows() -> set[tuple]:
    return set(
        PlacementReach.objects.values_list(
            "programme_id", "placement_id", "free", "fit_keys", "hours_per_week", "level_mask"
        )
    )


def expected() -> set[tuple]:
    """What the table must hold, from the placements and their targets."""
    out = set()
    for target in PlacementProgramme.objects.select_related("placement"):
        p = target.placement
        if p.status == Status.PUBLISHED and target.decision == ProgrammeDecision.APPROVED:
            mask = sum(1 << level for level in set(p.levels))
            free = p.positions - p.positions_taken
            out.add((target.programme_id, p.pk, free, p.fit_keys, p.hours_per_week, mask))
    return out


def test_rows_follow_every_change_of_a_placement_and_its_targets(personas):
    cook = sf.published(levels=(2, 3))
    pending = sf.published(decision=ProgrammeDecision.PENDING)
    draft = sf.published(status=Status.DRAFT)
    assert {row[1] for row in rows()} == {cook.pk}
    assert rows() == expected()

    # A decision, a publication, an edit of a column the row holds, a full placement.
    pending.targets.update(decision=ProgrammeDecision.APPROVED)
    Placement.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)
    Placement.objects.filter(pk=cook.pk).update(hours_per_week=20, positions_taken=1)
    assert {row[1] for row in rows()} == {cook.pk, pending.pk, draft.pk}
    assert rows() == expected()

    # A second programme, then taken off offer every way there is.
    PlacementProgramme.objects.create(
        placement=cook, programme=sf.marketing_mbo(), decision=ProgrammeDecision.APPROVED
    )
    assert len([row for row in rows() if row[1] == cook.pk]) == 2
    pending.targets.update(decision=ProgrammeDecision.REJECTED)
    Placement.objects.filter(pk=draft.pk).update(status=Status.FILLED)
    cook.targets.exclude(programme=sf.kok()).delete()
    assert rows() == expected()
    cook.delete()
    assert rows() == expected() == set()


def test_new_terms_reach_the_row(personas):
    placement = sf.published(activities=("Gerechten bereiden",))
    Placement.objects.filter(pk=placement.pk).update(fit_keys="|brood|taart|")
    (row,) = PlacementReach.objects.filter(placement_id=placement.pk)
    assert keys_from_column(row.fit_keys) == {"brood", "taart"}
    if connection.vendor == "postgresql":  # the term ids the bound intersects
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT f.term FROM placements_reach r JOIN placements_fit_terms f "
                "ON f.id = ANY(r.fit_ids) WHERE r.placement_id = %s",
                [placement.pk],
            )
            assert {term for (term,) in cursor.fetchall()} == {"brood", "taart"}


def test_terms_too_long_for_an_index_entry_are_stored_as_not_known(personas):
    placement = sf.published()
    # 800 terms: their ids alone (3,200 bytes) would not fit in an index entry on PostgreSQL.
    long_keys = "|" + "|".join(f"woord{i:04d}" for i in range(800)) + "|"
    assert len(long_keys) > reach.MAX_KEYS
    Placement.objects.filter(pk=placement.pk).update(fit_keys=long_keys)
    (row,) = PlacementReach.objects.filter(placement_id=placement.pk)
    assert row.fit_keys == ""  # the bound then counts every term as held


def test_a_rebuild_gives_what_the_triggers_wrote(personas):
    sf.published(levels=(1, 2))
    sf.published(postcode="2011", activities=("Offertes typen",))
    sf.published(decision=ProgrammeDecision.PENDING)
    before = rows()
    assert reach.reach_rebuild() == len(before) == 2
    assert rows() == before == expected()


def test_a_dropped_trigger_is_put_back(personas):
    assert reach.ensure_reach_schema() is False  # healthy: nothing to do
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER placements_reach_target ON placements_placementprogramme")
        else:
            cursor.execute("DROP TRIGGER placements_reach_target_insert")
    assert reach.ensure_reach_schema() is True
    placement = sf.published()
    assert {row[1] for row in rows()} == {placement.pk}


def test_the_refresh_command_stores_fresh_terms_once(personas):
    """After a change to the routing data files the stored terms are out of date; the command
    writes them again, and a second run changes nothing."""
    placement = sf.published(activities=("Gerechten bereiden",))
    fresh = placement.fit_keys
    Placement.objects.filter(pk=placement.pk).update(fit_keys="|verouderd|", fit_mask=0)
    out = io.StringIO()
    call_command("refresh_placement_text", stdout=out)
    assert out.getvalue().startswith("1 placement(s) had new search text or fit terms; 1 row")
    placement.refresh_from_db()
    assert placement.fit_keys == fresh == fit_fields(placement.search_text)["fit_keys"]
    assert placement.fit_mask == fit_fields(placement.search_text)["fit_mask"] != 0
    (row,) = PlacementReach.objects.filter(placement_id=placement.pk)
    assert row.fit_keys == fresh
    out = io.StringIO()
    call_command("refresh_placement_text", stdout=out)
    assert out.getvalue().startswith("0 placement(s)")
