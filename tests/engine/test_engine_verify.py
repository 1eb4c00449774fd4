"""The independent verifier against the literal definitions, on every kind of matching."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagebrug.matching.engine import load_instance, solve, verify
from stagebrug.matching.engine.generate import generate_instance
from stagebrug.matching.engine.verify import verify_assignment
from tests.engine.support import Model, tiny_instances

fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _placement_of(instance, m: dict) -> np.ndarray:
    index = instance.placement_index()
    return np.array([-1 if m[s] is None else index[m[s]] for s in instance.student_ids])


@fast
@given(st.data())
def test_verifier_finds_exactly_the_blocking_pairs_of_any_feasible_matching(
    data: st.DataObject,
) -> None:
    raw = data.draw(tiny_instances(supervisors=data.draw(st.booleans())))
    model = Model(raw)
    instance = load_instance(raw)
    matchings = list(model.all_matchings())
    for m in data.draw(st.lists(st.sampled_from(matchings), min_size=1, max_size=6)):
        report = verify_assignment(instance, _placement_of(instance, m))
        found = {
            (instance.student_ids[s], instance.placement_ids[j])
            for s, j in report.blocking_pairs.tolist()
        }
        assert report.valid
        assert found == model.blocking_pairs(m)
        placed = [model.choice(s, p) for s, p in m.items() if p is not None]
        assert report.by_choice == {c: placed.count(c) for c in set(placed)}


def test_verifier_flags_an_over_full_placement_and_supervisor() -> None:
    instance = load_instance(
        {
            "students": [{"id": "a", "preferences": ["p"]}, {"id": "b", "preferences": ["p", "q"]}],
            "placements": [
                {"id": "p", "capacity": 1, "supervisor": "v"},
                {"id": "q", "capacity": 1, "supervisor": "v"},
            ],
            "supervisors": [{"id": "v", "capacity": 1}],
        }
    )
    report = verify_assignment(instance, np.array([0, 0]))
    assert not report.valid
    assert report.over_full_placements == [(0, 2, 1)]
    assert report.over_full_supervisors == [(0, 2, 1)]


def test_verifier_flags_pairs_the_student_or_placement_did_not_accept() -> None:
    instance = load_instance(
        {
            "students": [{"id": "a", "preferences": ["p"]}, {"id": "b", "preferences": ["p"]}],
            "placements": [
                {"id": "p", "capacity": 2, "preferences": ["a"]},
                {"id": "q", "capacity": 1},
            ],
        }
    )
    report = verify_assignment(instance, np.array([1, 0]))
    assert report.unacceptable == [(0, 1), (1, 0)]
    assert not report.valid


def test_verifier_passes_a_large_stable_result_in_both_models() -> None:
    for supervisors in (False, True):
        instance = generate_instance(3000, supervisors=supervisors, popularity="skewed", seed=2)
        report = verify(instance, solve(instance))
        assert report.valid and report.stable
