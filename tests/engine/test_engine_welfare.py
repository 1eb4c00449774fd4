"""Welfare mode: most students placed, then the lowest sum of choice ranks (brute force)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagebrug.matching.engine import solve
from stagebrug.matching.engine.generate import generate_instance
from tests.engine.support import Model, as_assignment, tiny_instances

fast = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _score(model: Model, m: dict) -> tuple[int, int]:
    placed = [s for s, p in m.items() if p is not None]
    return (-len(placed), sum(model.choice(s, m[s]) or 0 for s in placed))


@fast
@given(st.data())
def test_welfare_mode_is_optimal_by_brute_force(data: st.DataObject) -> None:
    instance = data.draw(tiny_instances(supervisors=data.draw(st.booleans())))
    model = Model(instance)
    result = solve(instance, mode="welfare")
    ours = as_assignment(result.to_dict(), instance)
    assert model.feasible(ours)
    best = min(_score(model, m) for m in model.all_matchings())
    assert _score(model, ours) == best


@fast
@given(st.data())
def test_welfare_mode_reports_exactly_its_blocking_pairs(data: st.DataObject) -> None:
    instance = data.draw(tiny_instances(supervisors=data.draw(st.booleans())))
    model = Model(instance)
    result = solve(instance, mode="welfare").to_dict()
    expected = model.blocking_pairs(as_assignment(result, instance))
    assert {tuple(pair) for pair in result["blocking_pairs"]} == expected


def test_welfare_mode_can_place_more_students_than_the_stable_matching() -> None:
    # a is ranked first everywhere; stable gives a their first choice p, leaving b out.
    instance = {
        "students": [{"id": "a", "preferences": ["p", "q"]}, {"id": "b", "preferences": ["p"]}],
        "placements": [
            {"id": "p", "capacity": 1, "preferences": ["a", "b"]},
            {"id": "q", "capacity": 1, "preferences": ["a"]},
        ],
    }
    stable = solve(instance)
    welfare = solve(instance, mode="welfare")
    assert stable.assigned == 1
    assert welfare.assignment == {"a": "q", "b": "p"}
    assert welfare.to_dict()["blocking_pairs"] == [["a", "p"]]


def test_welfare_mode_respects_supervisor_capacities_on_a_larger_instance() -> None:
    instance = generate_instance(600, supervisors=True, popularity="skewed", seed=4)
    result = solve(instance, mode="welfare")
    report = result.verification
    assert report is not None and report.valid
    assert result.assigned >= solve(instance).assigned
