"""Recommendations that miss nothing: the top N for a student is the top N of all eligible
placements in reach, as scoring every one of them gives it, however many there are; read best
score bound first and stopped early, never cut at the newest thousand."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stagebrug.applications import recommendations as fitlib
from stagebrug.applications.recommendations import query as rec
from stagebrug.placements.search.text import search_text_from_parts
from tests.applications.recommendations.test_query import loaded, profile_for
from tests.dates import iso, on
from tests.factories import UserFactory
from tests.placements import search_factories as sf

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


def make_placements(rng: random.Random, n: int) -> list:
    return [
        sf.published(
            postcode=rng.choice(NEAR + FAR),
            activities=rng.choice(ACTIVITIES),
            hours=rng.choice((16, 24, 32, 36, 40)),
            allowance=rng.choice((0, 150, 300, 500)),
            start_dates=rng.sample((iso(2, 1), iso(3, 1), iso(9, 1), iso(9, 1, 1)), 2),
            levels=rng.choice(((2,), (2, 3), (1, 2))),
            kind=rng.choice(("mbo_bol", "mbo_bol", "mbo_bbl")),
        )
        for _ in range(n)
    ]


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


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_top_equals_exhaustive_scoring_in_small_batches(personas, monkeypatch, seed):
    monkeypatch.setattr(rec, "FIRST_BATCH", 2)
    monkeypatch.setattr(rec, "BATCH_GROWTH", 2)
    rng = random.Random(seed)
    make_placements(rng, 45)
    batches_seen = []
    for _student in range(6):
        student = make_student(rng)
        everything = [
            r.placement.pk for r in rec.recommend_for_student(student, exhaustive=True, limit=50)
        ]
        for limit in (1, 3, 10):
            stats: dict = {}
            found = rec.recommend_for_student(student, limit=limit, stats=stats)
            assert [r.placement.pk for r in found] == everything[:limit]
            batches_seen.append(stats["batches"])
    assert max(batches_seen) > 1  # the batches were really read one after the other
    assert min(batches_seen) < max(batches_seen)  # and reading stopped early where it could


@pytest.mark.django_db
def test_the_bound_is_never_below_the_exact_score(personas):
    rng = random.Random(7)
    make_placements(rng, 40)
    weights = fitlib.load_weights()
    for _student in range(8):
        profile = make_student(rng)
        (student,) = fitlib.student_facts([profile])
        rows = list(
            rec.with_bound(rec._in_reach(student), student, weights).values_list(
                *rec._PLACEMENT_COLUMNS, "duration_weeks", "bound"
            )
        )
        assert rows
        for facts, row in zip(rec.placement_candidates(student, rows=rows), rows, strict=True):
            if not fitlib.gate(student, facts):
                assert row[-1] >= fitlib.eligible_score(student, facts, weights), (facts, row)


@pytest.mark.django_db
def test_a_strong_match_beyond_the_newest_thousand_is_found(personas, monkeypatch):
    """The old cap scored the newest N in reach only: the best placement, published first,
    was never seen. Here N is 5 and the best is the oldest of 20."""
    monkeypatch.setattr(rec, "FIRST_BATCH", 5)
    best = sf.published(postcode="1012", activities=ACTIVITIES[0], hours=32)
    office = sf.company(name="Administratiekantoor Noord", postcode="2011")
    for _ in range(19):
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
    # Its bound put it in the first batch, and no later row could score as high.
    assert stats["batches"] == 1


VOCABULARY = [
    "social",
    "media",
    "posts",
    "maken",
    "instagram",
    "nieuwsbrief",
    "mailchimp",
    "gerechten",
    "bereiden",
    "koken",
    "sauzen",
    "brood",
    "bakken",
    "offertes",
    "typen",
    "telefoon",
    "klanten",
    "helpen",
    "kassa",
    "webshop",
    "bijhouden",
    "orders",
    "picken",
    "content",
    "teksten",
    "schrijven",
    "campagne",
    "opzetten",
    "online",
    "adverteren",
    "seo",
    "boekhouding",
    "facturen",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=12))
def test_a_placement_has_a_term_only_when_its_text_holds_one_of_its_trigger_stems(words):
    text = " ".join(words)
    search_text = search_text_from_parts(title=text, activities=[text], other=[])
    for key in fitlib.placement_keys(search_text=search_text):
        assert any(stem in search_text for stem in fitlib.key_triggers(key)), key


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("stage kok keuk\ngerecht bereid\nklein restaurant", True),  # line 1
        ("stage administreer\nkok helpen\nkantoor", True),  # line 2, first word
        ("stage administreer\noffert typ kok\nkantoor", True),  # line 2, last word
        ("stage administreer\noffert typ\nkok restaurant", False),  # only in line 3
        ("stage kokos\nschenk\n", False),  # part of a word
        ("stage\nchefkok\n", False),
    ],
)
def test_the_word_pattern_looks_in_title_and_activities_only(text, found):
    import re

    assert bool(re.search(rec.head_words_pattern(["kok", "chef"]), text)) is found
