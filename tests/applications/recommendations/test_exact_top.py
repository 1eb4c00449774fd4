"""Recommendations that miss nothing: the top N for a student is the top N of all eligible
placements in reach, as an independent loop over every one of them ranks it; never the top of
the newest thousand."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stagebrug.applications import recommendations as fitlib
from stagebrug.applications.recommendations import query as rec
from stagebrug.applications.recommendations.bound import score_bound
from stagebrug.core.geo import haversine_km
from stagebrug.core.text import terms
from stagebrug.placements.models import Placement, ProgrammeDecision, Status
from tests.applications.recommendations.test_query import loaded, profile_for
from tests.dates import iso, on
from tests.factories import UserFactory
from tests.placements import search_factories as sf

pytestmark = pytest.mark.django_db

# Postcode areas within 20 km of Amsterdam centre (1012), and two beyond.
NEAR = ("1012", "1094", "1181", "1501", "2011", "2132", "1021", "1062", "1102", "1111")
FAR = ("1315", "1621")
ACTIVITIES = (
    ("Gerechten bereiden volgens recept", "Sauzen en soepen maken"),
    ("Offertes typen", "De telefoon aannemen"),
    ("Social media posts maken", "Een nieuwsbrief schrijven"),
    ("Brood bakken", "Taarten versieren"),
    ("Mise-en-place voorbereiden", "Gasten bedienen"),
    ("Koken voor grote groepen", "Menu's bedenken"),
)
WISHES = (
    ("Koken in een restaurant", ["koken"]),
    ("", []),
    ("Social media en nieuwsbrieven maken", ["social media"]),
    ("Sauzen maken en gerechten bereiden", ["koken", "bakken"]),
)


def make_placements(rng: random.Random, n: int) -> None:
    for _ in range(n):
        sf.published(
            postcode=rng.choice(NEAR + FAR),
            activities=rng.choice(ACTIVITIES),
            hours=rng.choice((16, 24, 32, 36, 40)),
            allowance=rng.choice((0, 150, 300, 500)),
            start_dates=rng.sample((iso(2, 1), iso(3, 1), iso(9, 1), iso(9, 1, 1)), 2),
            levels=rng.choice(((2,), (2, 3), (1, 2), (3,))),
            kind=rng.choice(("mbo_bol", "mbo_bol", "mbo_bbl")),
            decision=rng.choice((ProgrammeDecision.APPROVED,) * 4 + (ProgrammeDecision.PENDING,)),
        )


def make_student(rng: random.Random):
    wanted, tags = rng.choice(WISHES)
    return loaded(
        profile_for(
            UserFactory(),
            sf.kok(),
            home=rng.choice(("1012", "1094", "2011", None)),
            wanted_activities=wanted,
            activity_tags=tags,
            hours_per_week=rng.choice((None, 24, 32, 40)),
            allowance_needed=rng.choice((None, 0, 200, 400)),
            available_from=rng.choice((None, on(1, 15), on(8, 1))),
            max_travel_km=rng.choice((5, 10, 20, 30)),
        )
    )


def independent_top(profile, limit: int) -> list[int]:
    """Every published placement, whatever the query would select, judged with the fit
    score's own public functions: the reference the recommendations must equal."""
    weights = fitlib.load_weights()
    (student,) = fitlib.student_facts([profile])
    ranked = []
    placements = list(Placement.objects.filter(status=Status.PUBLISHED))
    for placement, stored in zip(placements, fitlib.placement_fit_facts(placements), strict=True):
        # The terms analysed from the title and activities, not read from what is stored.
        keys = terms.placement_keys(title=placement.title, activities=placement.activities)
        facts = dataclasses.replace(stored, activity_keys=keys)
        if fitlib.gate(student, facts) or placement.free_positions == 0:
            continue
        km = haversine_km(student.home, facts.location) if student.home else None
        if km is not None and km > student.max_travel_km:
            continue
        score = fitlib.fit_score(student, facts, weights=weights)
        ranked.append(((-score, km if km is not None else math.inf, -placement.pk), placement.pk))
    return [pk for _key, pk in sorted(ranked)[:limit]]


@pytest.mark.parametrize(("seed", "chunk"), [(1, 200), (2, 200), (3, 1), (4, 3), (5, 7)])
def test_the_top_equals_an_independent_ranking_of_every_placement(
    personas, monkeypatch, seed, chunk
):
    """Whatever the chunk size: chunks of 1, 3 or 7 rows make the reading stop (or go on)
    at every possible place, where 200 reads each small world at once."""
    monkeypatch.setattr(rec, "CHUNK", chunk)
    rng = random.Random(seed)
    make_placements(rng, 40)
    batches = []
    for _student in range(6):
        student = make_student(rng)
        for limit in (1, 5, 20):
            stats: dict = {}
            found = rec.recommend_for_student(student, limit=limit, stats=stats)
            assert [r.placement.pk for r in found] == independent_top(student, limit)
            batches.append(stats["batches"])
    if chunk < 5:
        assert max(batches) > 1, batches  # the chunks were really exercised


def bounds_and_scores(profile) -> list[tuple[float, int, int]]:
    """(bound, exact score, placement id) of every eligible row in the student's reach."""
    weights = fitlib.load_weights()
    (student,) = fitlib.student_facts([profile])
    rows = list(
        rec._reach(student)
        .annotate(bound=score_bound(student, weights))
        .values_list(*rec._REACH_COLUMNS, "bound")
    )
    bounds = {row[0]: row[-1] for row in rows}
    return [
        (bounds[facts.placement_id], -key[0], facts.placement_id)
        for key, facts in rec._scored_rows(student, rows, (), weights)
    ]


def test_the_bound_is_never_below_the_score_and_often_equal(personas):
    """The reading stops on the bound, so a bound below a score would lose that placement.
    Hypothesis varies everything a student says; the placements vary in every column the
    bound reads (distance, hours, allowance, kind, levels, activities, start dates)."""
    rng = random.Random(11)
    make_placements(rng, 40)
    for _ in range(6):
        sf.published(
            postcode=rng.choice(NEAR),
            activities=rng.choice(ACTIVITIES),
            kind="hbo_graduation",
            levels=(2, 5),
            is_duo=rng.random() < 0.5,
            hours=rng.choice((16, 40)),
        )
    cook = sf.kok()
    exact = []

    @given(
        home=st.sampled_from(("1012", "1094", "2011", "1181", None)),
        wish=st.sampled_from(WISHES),
        hours=st.one_of(st.none(), st.integers(4, 40)),
        need=st.one_of(st.none(), st.integers(0, 900)),
        available=st.one_of(st.none(), st.sampled_from((on(1, 15), on(8, 1), on(12, 1)))),
        km=st.integers(1, 60),
        year=st.integers(1, 4),
    )
    @settings(max_examples=40, deadline=None)
    def check(home, wish, hours, need, available, km, year):
        profile = profile_for(
            UserFactory(),
            cook,
            home=home,
            wanted_activities=wish[0],
            activity_tags=wish[1],
            hours_per_week=hours,
            allowance_needed=need,
            available_from=available,
            max_travel_km=km,
            year=year,
        )
        for bound, score, pk in bounds_and_scores(loaded(profile)):
            assert score <= bound + rec.BOUND_MARGIN, (pk, score, bound)
            exact.append(math.floor(bound) == score)

    check()
    # The bound is close where it can be: only the start date is bounded loosely.
    assert sum(exact) > len(exact) / 4, (sum(exact), len(exact))


def test_reading_stops_once_no_unread_placement_can_enter_the_top(personas, monkeypatch):
    """A clear best few and many weaker placements in reach: the weaker ones are never read."""
    monkeypatch.setattr(rec, "CHUNK", 5)
    best = [sf.published(postcode="1012", activities=ACTIVITIES[0], hours=32) for _ in range(5)]
    office = sf.company(name="Administratiekantoor Noord", postcode="2011")
    for _ in range(30):
        sf.published(
            host=office, postcode="2011", title="Stage administratie", activities=ACTIVITIES[1]
        )
    student = loaded(
        profile_for(UserFactory(), sf.kok(), wanted_activities="Gerechten bereiden, sauzen maken")
    )
    stats: dict = {}
    found = rec.recommend_for_student(student, limit=3, stats=stats)
    assert {r.placement.pk for r in found} <= {p.pk for p in best}
    # The best five, then one chunk whose first bound is below the third score: 10 of 35.
    assert stats == {"read": 10, "batches": 2}


def test_a_placement_whose_terms_were_never_stored_is_still_found_first(personas):
    """`fit_keys` empty (a row written before the column, or by a path that skips the
    services): the bound counts it as sharing every term, the score reads its search text."""
    office = sf.company(name="Administratiekantoor Noord", postcode="1012")
    for _ in range(5):
        sf.published(host=office, title="Stage administratie", activities=ACTIVITIES[1])
    best = sf.published(postcode="1094", activities=ACTIVITIES[0])
    Placement.objects.filter(pk=best.pk).update(fit_keys="")
    student = loaded(profile_for(UserFactory(), sf.kok(), wanted_activities="Sauzen maken"))
    (first,) = rec.recommend_for_student(student, limit=1)
    assert first.placement == best
    (activities,) = [r for r in first.fit.reasons if r.code == fitlib.ACTIVITIES]
    assert activities.good, activities  # its terms were read from the search text


def test_a_strong_match_published_long_ago_is_found(personas):
    """The earlier method scored the newest N in reach only (N = 1,000): the best placement,
    published first, was never seen once N newer ones were in reach."""
    best = sf.published(postcode="1012", activities=ACTIVITIES[0], hours=32)
    office = sf.company(name="Administratiekantoor Noord", postcode="2011")
    for _ in range(25):
        sf.published(
            host=office,
            postcode="2011",
            title="Stage administratie",
            activities=ACTIVITIES[1],
            hours=40,
            description="Een druk kantoor.",
        )
    student = loaded(profile_for(UserFactory(), sf.kok()))
    stats: dict = {}
    (first,) = rec.recommend_for_student(student, limit=1, stats=stats)
    assert first.placement == best
    assert stats["read"] == 26  # one chunk held every placement in reach


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_stream_opens_its_own(personas, monkeypatch):
    """A page view runs in autocommit: the server-side cursor of PostgreSQL then needs a
    transaction of its own (and PgBouncer's transaction mode one that ends)."""
    from django.db import connection

    monkeypatch.setattr(rec, "CHUNK", 2)
    rng = random.Random(9)
    make_placements(rng, 12)
    student = loaded(profile_for(UserFactory(), sf.kok(), wanted_activities="Koken"))
    assert not connection.in_atomic_block
    stats: dict = {}
    found = rec.recommend_for_student(student, limit=5, stats=stats)
    assert [r.placement.pk for r in found] == independent_top(student, 5)
    assert stats["batches"] > 1
    assert not connection.in_atomic_block  # and it was closed
