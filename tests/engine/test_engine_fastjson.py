"""The compiled JSON fast path builds exactly what the reference path builds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stagebrug.matching.engine import instance_to_dict, load_instance, solve
from stagebrug.matching.engine._fastjson import fast_parse_instance
from stagebrug.matching.engine.generate import dump_instance, generate_instance
from stagebrug.matching.engine.instance import Instance, decode_json

ARRAYS = [
    "choice_ptr",
    "choices",
    "capacity",
    "supervisor_of",
    "placement_ranked",
    "ranking_ptr",
    "ranking",
    "supervisor_capacity",
    "supervisor_ranked",
    "supervisor_ranking_ptr",
    "supervisor_ranking",
    "duo_of",
    "seat_of",
]


def _same(a: Instance, b: Instance) -> None:
    assert a.student_ids == b.student_ids
    assert a.placement_ids == b.placement_ids
    assert a.supervisor_ids == b.supervisor_ids
    assert a.duo_ids == b.duo_ids
    assert a.seed == b.seed
    for name in ARRAYS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"supervisors": True},
        {"placement_rankings": True, "duo_fraction": 0.3},
        {"popularity": "skewed", "supervisors": True, "duo_fraction": 0.1},
    ],
)
def test_fast_parser_equals_the_reference_loader(options: dict) -> None:
    generated = generate_instance(400, seed=5, **options)
    raw = dump_instance(generated)
    assert json.loads(raw) == instance_to_dict(generated)
    fast = fast_parse_instance(raw, force=True)
    assert fast is not None
    _same(fast, load_instance(decode_json(raw)))
    _same(fast, generated)


def test_fast_parser_hands_unusual_input_to_the_reference_path() -> None:
    data = {
        "students": [{"id": "s\u00e9\\1", "preferences": ["p\n1"]}],
        "placements": [{"id": "p\n1", "capacity": 1, "preferences": None}],
        "seed": None,
    }
    raw = json.dumps(data, indent=2).encode()
    assert fast_parse_instance(raw, force=True) is None
    assert solve(load_instance(data)).assignment == {"s\u00e9\\1": "p\n1"}


def test_fast_parser_reads_pretty_printed_non_ascii_ids() -> None:
    data = {
        "students": [{"id": "s\u00eb", "preferences": ["b\u00e4kkerij", "caf\u00e9"]}],
        "placements": [{"id": "caf\u00e9", "capacity": 1}, {"id": "b\u00e4kkerij", "capacity": 0}],
    }
    raw = json.dumps(data, indent=4, ensure_ascii=False).encode()
    fast = fast_parse_instance(raw, force=True)
    assert fast is not None
    _same(fast, load_instance(data))


def test_result_json_bytes_equal_the_dict_form() -> None:
    instance = generate_instance(300, supervisors=True, duo_fraction=0.2, seed=3)
    for mode in ("stable", "welfare"):
        result = solve(instance, mode=mode)
        assert json.loads(result.to_json_bytes()) == result.to_dict()
