"""The adapter: database rows → engine instance, engine result → statistics and explanations;
and the wording of explanations."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from stagebrug.matching import adapter, services
from stagebrug.matching.adapter import RoundInput, build_input, summarise, why_unplaced
from stagebrug.matching.engine import load_instance, solve
from stagebrug.matching.explanations import ordinal, reason_text
from stagebrug.matching.models import RoundSeat, SeatRanking
from tests.factories import confirm_internship

pytestmark = pytest.mark.django_db


def seat(round, placement) -> RoundSeat:
    return RoundSeat.objects.select_related("placement__company", "round").get(
        round=round, placement=placement
    )


def rows(inp: RoundInput) -> dict[str, dict]:
    return {row["id"]: row for row in inp.data["placements"]}


def test_the_instance_has_every_student_and_seat_with_the_rankings_of_each_mode(
    world, round_open, monkeypatch
):
    w = world
    anna, bram, chen, dewi, emre = w.students
    services.round_submit_choices(round=round_open, student=anna, placement_ids=[w.a1.pk, w.b1.pk])
    services.round_submit_choices(round=round_open, student=bram, placement_ids=[w.a1.pk])
    services.round_submit_choices(round=round_open, student=chen, placement_ids=[w.b1.pk, w.a2.pk])
    services.round_set_seat_ranking(
        seat=seat(round_open, w.a1),
        by=w.personas.owner,
        ranking=SeatRanking.RANK,
        student_ids=[bram.pk, anna.pk],
    )
    services.round_set_seat_ranking(
        seat=seat(round_open, w.a2), by=w.personas.owner, ranking=SeatRanking.ACCEPT_ALL
    )
    calls = []

    def ranker(placements, ids):
        calls.append(([p.pk for p in placements], sorted(ids)))
        # Emre did not choose B1: a fit ranking of other students must not leak in.
        return {w.b1.pk: [(emre.pk, 90), (chen.pk, 80), (anna.pk, 10)]}

    monkeypatch.setattr(adapter, "rank_students_for_placements", ranker)
    inp = build_input(round_open)
    students = {s["id"]: s["preferences"] for s in inp.data["students"]}
    assert students == {
        f"s{anna.pk}": [f"p{w.a1.pk}", f"p{w.b1.pk}"],
        f"s{bram.pk}": [f"p{w.a1.pk}"],
        f"s{chen.pk}": [f"p{w.b1.pk}", f"p{w.a2.pk}"],
        f"s{dewi.pk}": [],
        f"s{emre.pk}": [],
    }
    placements = rows(inp)
    assert placements[f"p{w.a1.pk}"] == {
        "id": f"p{w.a1.pk}",
        "capacity": 1,
        "preferences": [f"s{bram.pk}", f"s{anna.pk}"],
    }
    assert placements[f"p{w.a2.pk}"] == {"id": f"p{w.a2.pk}", "capacity": 2}
    assert placements[f"p{w.b1.pk}"]["preferences"] == [f"s{chen.pk}", f"s{anna.pk}"]
    assert calls == [([w.b1.pk], sorted([anna.pk, chen.pk]))]  # only the choosers are scored
    assert inp.ranked_by == {w.a1.pk: "business", w.a2.pk: "lottery", w.b1.pk: "fit"}
    assert inp.data["seed"] == round_open.seed and inp.notes == []
    load_instance(inp.data)  # the engine accepts it


def test_capacity_is_the_free_positions_now(world, round_open, monkeypatch):
    monkeypatch.setattr(
        adapter,
        "rank_students_for_placements",
        lambda placements, ids: {p.pk: [(i, 50) for i in sorted(ids)] for p in placements},
    )
    confirm_internship(student=world.personas.student, placement=world.a2)
    assert rows(build_input(round_open))[f"p{world.a2.pk}"]["capacity"] == 1


def test_why_unplaced_sorts_students_into_three_reasons():
    assert why_unplaced({"reasons": []}) == "ranked_nothing"
    assert (
        why_unplaced({"reasons": [{"code": "not_ranked"}, {"code": "no_seats"}]}) == "no_eligible"
    )
    assert why_unplaced({"reasons": [{"code": "not_ranked"}, {"code": "full"}]}) == "all_full"


def _input(prefs: list[list[int]], capacity: list[int], homes: list[bool]) -> RoundInput:
    data = {
        "students": [
            {"id": f"s{i + 1}", "preferences": [f"p{j + 1}" for j in p]}
            for i, p in enumerate(prefs)
        ],
        "placements": [{"id": f"p{j + 1}", "capacity": c} for j, c in enumerate(capacity)],
        "seed": 3,
    }
    return RoundInput(
        data=data,
        students=list(range(1, len(prefs) + 1)),
        placements=list(range(1, len(capacity) + 1)),
        capacity={j + 1: c for j, c in enumerate(capacity)},
        ranked_by={j + 1: "lottery" for j in range(len(capacity))},
        home={i + 1: (52.37, 4.89 + 0.01 * i) if h else None for i, h in enumerate(homes)},
        location={j + 1: (52.36, 4.9) for j in range(len(capacity))},
    )


@st.composite
def small_rounds(draw):
    n_p = draw(st.integers(1, 5))
    capacity = draw(st.lists(st.integers(0, 3), min_size=n_p, max_size=n_p))
    n_s = draw(st.integers(0, 8))
    prefs = [draw(st.lists(st.integers(0, n_p - 1), unique=True, max_size=n_p)) for _ in range(n_s)]
    homes = draw(st.lists(st.booleans(), min_size=n_s, max_size=n_s))
    return prefs, capacity, homes


@settings(max_examples=60, deadline=None)
@given(small_rounds())
def test_the_statistics_always_add_up(case):
    prefs, capacity, homes = case
    inp = _input(prefs, capacity, homes)
    for mode in ("stable", "welfare"):
        result = solve(load_instance(inp.data), mode=mode)
        stats, assignment, explanations = summarise(inp, result)
        n = len(prefs)
        assert stats["students"] == n == len(explanations)
        assert stats["placed"] + stats["unplaced"] == n
        assert stats["placed"] == len(assignment) == sum(stats["by_choice"].values())
        assert sum(stats["unplaced_why"].values()) == stats["unplaced"]
        assert stats["unplaced_why"]["ranked_nothing"] == sum(1 for p in prefs if not p)
        assert stats["seats_free_after"] == sum(capacity) - stats["placed"]
        assert stats["travel_km"]["known"] + stats["travel_km"]["unknown"] == stats["placed"]
        for student, placement in assignment.items():
            entry = explanations[student]
            assert entry["placement"] == placement
            assert len(entry["reasons"]) == entry["choice"] - 1
        for pk in range(1, len(capacity) + 1):
            assert list(assignment.values()).count(pk) <= capacity[pk - 1]


def test_ordinals_follow_the_language():
    with translation.override("en"):
        assert [ordinal(n) for n in (1, 2, 3, 4, 11, 21)] == [
            "1st",
            "2nd",
            "3rd",
            "4th",
            "11th",
            "21st",
        ]
    with translation.override("nl"):
        assert ordinal(2) == "2e"


@pytest.mark.parametrize(
    "reason, expected",
    [
        (
            {"code": "full", "seats": 2, "ranked_by": "business"},
            "All 2 seats went to students the business ranked higher than you.",
        ),
        (
            {"code": "full", "seats": 1, "ranked_by": "fit"},
            "Its only seat went to a student who fits this placement better by the fit score.",
        ),
        (
            {"code": "full", "seats": 1, "ranked_by": "lottery"},
            "Its only seat went to a student ahead of you in the lottery.",
        ),
        (
            {"code": "not_ranked", "ranked_by": "business"},
            "The business did not rank you, so it could not take you.",
        ),
        ({"code": "no_seats"}, "It had no free seat in this round."),
        ({"code": "welfare"}, "You could have had a seat here under the usual rules"),
    ],
)
def test_each_reason_has_words_that_name_nobody(reason, expected):
    with translation.override("en"):
        assert reason_text(reason).startswith(expected)
