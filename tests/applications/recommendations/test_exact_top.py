"""Recommendations that miss nothing: the top N for a student is the top N of all eligible
placements in reach, as an independent loop over every one of them ranks it; never the top of
the newest thousand."""

from __future__ import annotations

import math
import random

import pytest

from stagebrug.applications import recommendations as fitlib
from stagebrug.applications.recommendations import query as rec
from stagebrug.core.geo import haversine_km
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
    for placement, facts in zip(placements, fitlib.placement_fit_facts(placements), strict=True):
        if fitlib.gate(student, facts) or placement.free_positions == 0:
            continue
        km = haversine_km(student.home, facts.location) if student.home else None
        if km is not None and km > student.max_travel_km:
            continue
        score = fitlib.fit_score(student, facts, weights=weights)
        ranked.append(((-score, km if km is not None else math.inf, -placement.pk), placement.pk))
    return [pk for _key, pk in sorted(ranked)[:limit]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_top_equals_an_independent_ranking_of_every_placement(personas, seed):
    rng = random.Random(seed)
    make_placements(rng, 40)
    for _student in range(6):
        student = make_student(rng)
        for limit in (1, 5, 20):
            found = [r.placement.pk for r in rec.recommend_for_student(student, limit=limit)]
            assert found == independent_top(student, limit)


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
    assert stats["scored"] == 26  # every placement in reach was scored
