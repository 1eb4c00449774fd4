"""Deferred acceptance, both models, against brute force on tiny instances (hypothesis)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagebrug.matching.engine import solve
from tests.engine.support import Model, as_assignment, tiny_instances

fast = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
models = st.sampled_from([False, True])


def _solve(data: dict) -> dict:
    return as_assignment(solve(data).to_dict(), data)


@fast
@given(st.data())
def test_stable_mode_leaves_no_blocking_pair(data: st.DataObject) -> None:
    instance = data.draw(tiny_instances(supervisors=data.draw(models)))
    model = Model(instance)
    m = _solve(instance)
    assert model.blocking_pairs(m) == set()


@fast
@given(st.data())
def test_stable_mode_respects_capacities_and_acceptability(data: st.DataObject) -> None:
    instance = data.draw(tiny_instances(supervisors=data.draw(models)))
    assert Model(instance).feasible(_solve(instance))


@fast
@given(st.data())
def test_every_student_gets_their_best_stable_partner(data: st.DataObject) -> None:
    instance = data.draw(tiny_instances(supervisors=data.draw(models)))
    model = Model(instance)
    ours = _solve(instance)
    stable = [m for m in model.all_matchings() if not model.blocking_pairs(m)]
    assert ours in stable
    big = 10**6
    for other in stable:
        for s in model.order:
            mine = model.choice(s, ours[s]) or big
            theirs = model.choice(s, other[s]) or big
            assert mine <= theirs, (s, ours, other)


def _misreports(placements: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    for k in range(len(placements) + 1):
        out += [list(p) for p in itertools.permutations(placements, k)]
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances(supervisors=False))
def test_students_cannot_gain_by_misreporting_with_placement_rankings(instance: dict) -> None:
    model = Model(instance)
    truthful = _solve(instance)
    everything = list(model.placements)
    for entry in instance["students"]:
        s = entry["id"]
        true_prefs = list(entry["preferences"])
        honest = model.choice(s, truthful[s]) or 99
        for lie in _misreports(everything):
            entry["preferences"] = lie
            got = _solve(instance)[s]
            entry["preferences"] = true_prefs
            value = true_prefs.index(got) + 1 if got in true_prefs else 99
            assert value >= honest, (s, lie, got)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances(supervisors=True))
def test_students_cannot_gain_by_misreporting_with_supervisor_capacities(instance: dict) -> None:
    model = Model(instance)
    truthful = _solve(instance)
    everything = list(model.placements)
    for entry in instance["students"]:
        s = entry["id"]
        true_prefs = list(entry["preferences"])
        honest = model.choice(s, truthful[s]) or 99
        for lie in _misreports(everything):
            entry["preferences"] = lie
            got = _solve(instance)[s]
            entry["preferences"] = true_prefs
            value = true_prefs.index(got) + 1 if got in true_prefs else 99
            assert value >= honest, (s, lie, got)


def test_the_lottery_decides_between_students_a_placement_does_not_rank() -> None:
    instance = {
        "students": [{"id": f"s{i}", "preferences": ["p"]} for i in range(6)],
        "placements": [{"id": "p", "capacity": 1}],
    }
    winners = {seed: solve(instance, seed=seed).assignment for seed in range(8)}
    assert all(len(w) == 1 for w in winners.values())
    assert len({next(iter(w)) for w in winners.values()}) > 1
    assert solve(instance, seed=3).assignment == winners[3]


def test_one_lottery_ranks_a_student_the_same_everywhere() -> None:
    # Single tie-breaking: whoever wins the lottery at one placement wins it at all of them.
    instance = {
        "students": [
            {"id": "a", "preferences": ["p", "q"]},
            {"id": "b", "preferences": ["q", "p"]},
        ],
        "placements": [{"id": "p", "capacity": 1}, {"id": "q", "capacity": 1}],
    }
    for seed in range(6):
        result = solve({**instance, "seed": seed}).assignment
        assert result == {"a": "p", "b": "q"}


def test_placements_never_take_students_they_did_not_rank() -> None:
    instance = {
        "students": [{"id": "a", "preferences": ["p"]}, {"id": "b", "preferences": ["p"]}],
        "placements": [{"id": "p", "capacity": 2, "preferences": ["b"]}],
    }
    result = solve(instance)
    assert result.assignment == {"b": "p"}
    assert result.unassigned == ["a"]


def test_a_full_supervisor_moves_their_worst_student_out_for_a_better_one() -> None:
    instance = {
        "students": [
            {"id": "low", "preferences": ["p1", "elsewhere"]},
            {"id": "high", "preferences": ["p2"]},
        ],
        "placements": [
            {"id": "p1", "capacity": 1, "supervisor": "v"},
            {"id": "p2", "capacity": 1, "supervisor": "v"},
            {"id": "elsewhere", "capacity": 1},
        ],
        "supervisors": [{"id": "v", "capacity": 1, "preferences": ["high", "low"]}],
    }
    assert solve(instance).assignment == {"high": "p2", "low": "elsewhere"}


def test_duos_are_matched_seat_by_seat_and_half_filled_ones_are_reported() -> None:
    instance = {
        "students": [{"id": "mbo1", "preferences": ["d1-mbo"]}, {"id": "hbo1", "preferences": []}],
        "placements": [
            {"id": "d1-mbo", "capacity": 1, "duo": "d1", "seat": "mbo"},
            {"id": "d1-hbo", "capacity": 1, "duo": "d1", "seat": "hbo"},
        ],
    }
    result = solve(instance)
    assert result.assignment == {"mbo1": "d1-mbo"}
    assert result.half_filled_duos == [{"duo": "d1", "filled": "mbo", "empty": "hbo"}]


def test_huge_capacities_need_no_memory_for_empty_seats() -> None:
    instance = {
        "students": [{"id": "a", "preferences": ["p", "q"]}, {"id": "b", "preferences": ["q"]}],
        "placements": [
            {"id": "p", "capacity": 2**31 - 1, "supervisor": "v"},
            {"id": "q", "capacity": 10**9},
        ],
        "supervisors": [{"id": "v", "capacity": 2**31 - 1}],
    }
    for mode in ("stable", "welfare"):
        assert solve(instance, mode=mode).assignment == {"a": "p", "b": "q"}
