"""The figures computed from a small region whose numbers are known (tests/insights/conftest.py),
by the same job that runs every hour; idempotent, and done by one worker at a time."""

from __future__ import annotations

import pytest

from stagebrug.insights import refresh as m
from stagebrug.insights.models import Fact, Grain, Refresh
from stagebrug.insights.services import figures_refresh
from stagebrug.insights.tasks import insights_refresh
from tests.insights.conftest import NOW, SCHOOL_YEAR, fact, publish
from tests.placements.factories import kok_programme, make_placement

pytestmark = pytest.mark.django_db

AMSTERDAM, ZAANSTAD = "0363", "0479"


def test_places_offered_count_every_published_placement_for_its_programme(computed):
    kok = kok_programme()
    assert fact(m.PLACES, programme_id=kok.pk) == 3  # 2 + 1; the draft was never offered
    assert fact(m.TAKEN, programme_id=kok.pk) == 2
    assert fact(m.PLACES, institution_id=kok.institution_id, level=2, sector_id="I") == 3
    assert fact(m.PLACES, municipality_id=AMSTERDAM) == 3


def test_students_looking_are_everyone_who_needed_a_place_and_counted_where_they_live(computed):
    assert fact(m.LOOKING) == 3  # Stan and Sara (placed), Ties (a profile)
    assert fact(m.LOOKING, municipality_id=AMSTERDAM) == 2
    assert fact(m.LOOKING, municipality_id=ZAANSTAD) == 1
    assert fact(m.LOOKING, sector__isnull=True) == 3  # students choose a programme, not a trade


def test_students_placed_and_stopped_early_with_their_reason(computed):
    assert fact(m.PLACED) == 2
    assert fact(m.PLACED, sector_id="I", municipality_id=AMSTERDAM, level=2) == 2
    assert fact(m.STOPPED) == 1
    assert fact(m.STOPPED, "expectations") == 1


def test_a_student_without_a_place_counts_for_every_month_since_they_began_looking(computed):
    # Ties made a profile today (October) and has no place; Stan and Sara were placed in the
    # month they began. August and September: nobody was looking yet.
    assert fact(m.UNPLACED, "02") == 1
    assert fact(m.UNPLACED, "01") == 0
    assert fact(m.UNPLACED, "03") == 0  # November has not begun
    assert fact(m.UNPLACED, municipality_id=ZAANSTAD) == 1


def test_time_to_fill_runs_from_the_first_publication_to_the_confirmation(computed):
    assert fact(m.TTF, "0-7") == 2  # both were confirmed the day it was published
    assert fact(m.TTF) == 2
    assert fact(m.TTF_DAYS) == 0


def test_allowance_is_compared_with_the_guidance_for_the_level(computed):
    # € 2 an hour net for 32 hours is the guidance for MBO 2 (W5); the other pays nothing.
    assert fact(m.ALLOWANCE, m.BAND_MEETS, level=2) == 1
    assert fact(m.ALLOWANCE, m.BAND_NONE, level=2) == 1
    assert fact(m.ALLOWANCE_EUR) == 277  # 2 × 32 × 52 / 12, and 0


def test_a_gross_allowance_is_not_counted_as_meeting_a_net_guidance(computed):
    """Like with like (W5): € 2 an hour gross may be less than € 2 net after tax, so it is not
    comparable; € 1 an hour gross is below € 2 net whatever the tax."""
    from decimal import Decimal

    from stagebrug.placements.models import Placement

    paying = Placement.objects.filter(allowance_amount__gt=0).exclude(status="draft")
    assert paying.update(allowance_basis="gross") == 1
    figures_refresh(force=True)
    assert fact(m.ALLOWANCE, m.BAND_MEETS, level=2) == 0
    assert fact(m.ALLOWANCE, m.BAND_UNKNOWN, level=2) == 1
    paying.update(allowance_amount=Decimal("1.00"), monthly_allowance=Decimal("138.67"))
    figures_refresh(force=True)
    assert fact(m.ALLOWANCE, m.BAND_UNKNOWN, level=2) == 0
    assert fact(m.ALLOWANCE, m.BAND_HALF, level=2) + fact(m.ALLOWANCE, m.BAND_UNDER, level=2) == 1


def test_evaluations_count_the_schools_decisions(computed):
    assert fact(m.MIDTERM, "on_track") == 1
    assert fact(m.MIDTERM) == 1
    assert fact(m.FINAL) == 0


def test_events_count_sign_ups_and_who_came(computed, personas):
    assert fact(m.EVENTS, "guest_lecture", institution_id=personas.rocva.pk) == 1
    assert fact(m.REGISTERED, "guest_lecture") == 2
    assert fact(m.ATTENDED, "guest_lecture") == 1


def test_every_coarser_grain_adds_up_to_the_finest(computed):
    for grain in Grain.ALL:
        for measure in (m.PLACES, m.LOOKING, m.PLACED, m.UNPLACED, m.ALLOWANCE, m.EVENTS):
            assert fact(measure, grain=grain) == fact(measure), (grain, measure)
    school_and_level = Fact.objects.filter(grain=0)
    assert not school_and_level.filter(programme__isnull=False).exists()
    assert not school_and_level.filter(sector__isnull=False).exists()
    assert not school_and_level.filter(municipality__isnull=False).exists()
    assert fact(m.PLACES, grain=Grain.SECTOR, sector_id="I") == 3
    assert fact(m.PLACES, grain=Grain.MUNICIPALITY, municipality_id=AMSTERDAM) == 3


def test_another_school_has_none_of_these_figures(computed, personas):
    assert fact(m.PLACES, institution_id=personas.hva.pk) == 0
    assert fact(m.LOOKING, institution_id=personas.hva.pk) == 0


def test_the_refresh_says_when_and_which_school_years(computed):
    state = Refresh.objects.get()
    assert abs((state.refreshed_at - NOW).total_seconds()) < 60
    assert SCHOOL_YEAR in state.school_years
    assert state.facts == Fact.objects.count()


def test_refreshing_twice_gives_the_same_figures(region):
    figures_refresh(force=True)
    first = sorted(Fact.objects.values_list(*_columns()))
    figures_refresh(force=True)
    assert sorted(Fact.objects.values_list(*_columns())) == first


def test_fresh_figures_are_not_computed_again(computed):
    assert figures_refresh()["status"] == "fresh"
    assert figures_refresh(force=True)["status"] == "refreshed"


def test_the_job_computes_the_figures(region):
    done = insights_refresh.call()
    assert done["status"] == "refreshed"
    assert fact(m.PLACES) == 3


def test_figures_follow_the_live_data_at_the_next_run(computed, personas):
    publish(make_placement(personas.company, personas.owner, title="Stage lunchroom"), personas)
    assert fact(m.PLACES) == 3  # the pages read what the last run computed
    figures_refresh(force=True)
    assert fact(m.PLACES) == 4


def _columns():
    return (
        "grain",
        "school_year",
        "measure",
        "key",
        "institution_id",
        "programme_id",
        "level",
        "sector_id",
        "municipality_id",
        "value",
    )
