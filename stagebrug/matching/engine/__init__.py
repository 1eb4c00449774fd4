"""Stagebrug matching engine: stable allocation of students to placements (C5; W2, W14, W21).

A solver package (see shared/STYLE.md, principle 11): a pure core on arrays
(:mod:`~stagebrug.matching.engine.core`), a validating loader
(:mod:`~stagebrug.matching.engine.instance`), this documented façade with a strategy parameter,
an independent verifier (:mod:`~stagebrug.matching.engine.verify`), explanations
(:mod:`~stagebrug.matching.engine.explain`) and a command-line tool
(:mod:`~stagebrug.matching.engine.cli`, installed as ``stagebrug-match``).

Typical use::

    from stagebrug.matching.engine import load_instance, solve, verify

    instance = load_instance({"students": [...], "placements": [...]})
    result = solve(instance, mode="stable")          # or mode="welfare"
    report = verify(instance, result)
    assert report.valid and report.stable

No Django import anywhere: the Django app builds an instance from its models and stores the
result.
"""

from __future__ import annotations

from stagebrug.matching.engine.api import MODES, Result, solve
from stagebrug.matching.engine.explain import Explanation, explain
from stagebrug.matching.engine.instance import (
    Instance,
    InstanceError,
    instance_to_dict,
    load_instance,
    parse_instance,
    read_instance,
)
from stagebrug.matching.engine.verify import ResultError, Verification, verify_assignment

__all__ = [
    "MODES",
    "Explanation",
    "Instance",
    "InstanceError",
    "Result",
    "ResultError",
    "Verification",
    "explain",
    "instance_to_dict",
    "load_instance",
    "parse_instance",
    "read_instance",
    "solve",
    "verify",
    "verify_assignment",
]


def verify(instance: Instance, result: Result) -> Verification:
    """Check a :class:`Result` with the independent verifier (capacities, acceptability,
    blocking pairs, counts by choice rank)."""
    return verify_assignment(instance, result.placement_of, seed=result.seed)
