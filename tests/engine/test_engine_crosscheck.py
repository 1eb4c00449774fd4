"""Identical assignments to the PyPI ``matching`` library on random instances, both models."""

from __future__ import annotations

import sys
import threading
import warnings
from typing import Any

import pytest
from matching.games import HospitalResident, StudentAllocation

from stagebrug.matching.engine import Instance, solve
from stagebrug.matching.engine.generate import generate_instance
from stagebrug.matching.engine.instance import lottery_ranks


def _owner_rank(instance: Instance) -> Any:
    """rank(owner, student) as the library must see it: list position, or the lottery."""
    lottery = lottery_ranks(instance.effective_seed(), instance.n_students).tolist()
    lists: dict[tuple[str, int], dict[int, int]] = {}
    for j in range(instance.n_placements):
        if instance.placement_ranked[j]:
            row = instance.ranking[instance.ranking_ptr[j] : instance.ranking_ptr[j + 1]]
            lists[("p", j)] = {int(s): k for k, s in enumerate(row)}
    for v in range(instance.n_supervisors):
        if instance.supervisor_ranked[v]:
            row = instance.supervisor_ranking[
                instance.supervisor_ranking_ptr[v] : instance.supervisor_ranking_ptr[v + 1]
            ]
            lists[("v", v)] = {int(s): k for k, s in enumerate(row)}

    def rank(owner: tuple[str, int], s: int) -> int | None:
        table = lists.get(owner)
        return lottery[s] if table is None else table.get(s)

    return rank


def _run_with_deep_stack(fn: Any) -> Any:
    """The library deep-copies its players recursively; give it room."""
    out: dict[str, Any] = {}
    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size(1 << 28)
    sys.setrecursionlimit(200_000)
    try:
        thread = threading.Thread(target=lambda: out.setdefault("value", fn()))
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    return out["value"]


def library_hospital_resident(instance: Instance) -> dict[str, str]:
    rank = _owner_rank(instance)
    sids, pids = instance.student_ids, instance.placement_ids
    resident_prefs: dict[str, list[str]] = {}
    applicants: dict[str, list[tuple[int, str]]] = {p: [] for p in pids}
    for s in range(instance.n_students):
        row = instance.choices[instance.choice_ptr[s] : instance.choice_ptr[s + 1]].tolist()
        keep = [j for j in row if rank(("p", j), s) is not None and instance.capacity[j] > 0]
        if keep:
            resident_prefs[sids[s]] = [pids[j] for j in keep]
            for j in keep:
                applicants[pids[j]].append((rank(("p", j), s), sids[s]))
    hospital_prefs = {p: [s for _, s in sorted(a)] for p, a in applicants.items()}
    capacities = {p: int(c) for p, c in zip(pids, instance.capacity.tolist(), strict=True)}

    def run() -> dict[str, str]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(
                resident_prefs, hospital_prefs, capacities
            )
            matching = game.solve(optimal="resident")
        return {r.name: h.name for h, rs in matching.items() for r in rs}

    return _run_with_deep_stack(run)


def library_student_allocation(instance: Instance) -> dict[str, str]:
    rank = _owner_rank(instance)
    sids, pids, vids = instance.student_ids, instance.placement_ids, instance.supervisor_ids
    sup = instance.supervisor_of.tolist()
    student_prefs: dict[str, list[str]] = {}
    applicants: dict[str, set[tuple[int, str]]] = {v: set() for v in vids}
    for s in range(instance.n_students):
        row = instance.choices[instance.choice_ptr[s] : instance.choice_ptr[s + 1]].tolist()
        keep = [j for j in row if rank(("v", sup[j]), s) is not None]
        if keep:
            student_prefs[sids[s]] = [pids[j] for j in keep]
            for j in keep:
                applicants[vids[sup[j]]].add((rank(("v", sup[j]), s), sids[s]))
    supervisor_prefs = {v: [s for _, s in sorted(a)] for v, a in applicants.items()}
    project_supervisors = {pids[j]: vids[sup[j]] for j in range(instance.n_placements)}
    project_capacities = {p: int(c) for p, c in zip(pids, instance.capacity.tolist(), strict=True)}
    supervisor_capacities = {
        v: int(c) for v, c in zip(vids, instance.supervisor_capacity.tolist(), strict=True)
    }

    def run() -> dict[str, str]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = StudentAllocation.create_from_dictionaries(
                student_prefs,
                supervisor_prefs,
                project_supervisors,
                project_capacities,
                supervisor_capacities,
            )
            matching = game.solve(optimal="student")
        return {s.name: p.name for p, ss in matching.items() for s in ss}

    return _run_with_deep_stack(run)


@pytest.mark.parametrize(
    ("students", "popularity", "rankings"),
    [(300, "uniform", False), (300, "skewed", True), (2000, "skewed", False)],
)
def test_placements_model_matches_the_matching_library(
    students: int, popularity: str, rankings: bool
) -> None:
    instance = generate_instance(
        students, popularity=popularity, placement_rankings=rankings, choices=5, seed=students
    )
    assert solve(instance).assignment == library_hospital_resident(instance)


@pytest.mark.parametrize(("students", "popularity"), [(300, "uniform"), (2000, "skewed")])
def test_supervisor_model_matches_the_matching_library(students: int, popularity: str) -> None:
    instance = generate_instance(
        students, popularity=popularity, supervisors=True, choices=5, seed=students + 1
    )
    assert solve(instance).assignment == library_student_allocation(instance)
