"""The validating loader refuses bad instances with a message that names the entry."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from stagebrug.matching.engine import InstanceError, instance_to_dict, load_instance, parse_instance
from stagebrug.matching.engine._fastjson import fast_parse_instance
from stagebrug.matching.engine.generate import generate_instance

GOOD: dict[str, Any] = {
    "students": [
        {"id": "s1", "preferences": ["p1", "p2"]},
        {"id": "s2", "preferences": ["p2"]},
    ],
    "placements": [
        {"id": "p1", "capacity": 1, "supervisor": "v1", "duo": "d1", "seat": "mbo"},
        {"id": "p2", "capacity": 2, "supervisor": "v1", "duo": "d1", "seat": "hbo"},
    ],
    "supervisors": [{"id": "v1", "capacity": 2, "preferences": ["s2", "s1"]}],
    "seed": 7,
}


def _broken(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is _DELETE:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


_DELETE = object()

CASES = [
    ("students.0.preferences", ["p1", "p9"], "student 's1' lists unknown placement 'p9'"),
    ("students.1.id", "s1", "student 's1' is listed twice"),
    ("placements.1.id", "p1", "placement 'p1' is listed twice"),
    ("students.0.preferences", ["p1", "p1"], "student 's1' lists placement 'p1' twice"),
    ("placements.0.capacity", -1, "placement 'p1' has a negative capacity (-1)"),
    ("supervisors.0.capacity", -2, "supervisor 'v1' has a negative capacity (-2)"),
    ("placements.0.capacity", 1.5, "placement 'p1' has a capacity that is not a whole number"),
    ("placements.0.supervisor", "v9", "placement 'p1' names unknown supervisor 'v9'"),
    ("supervisors.0.preferences", ["s1", "s1"], "supervisor 'v1' ranks student 's1' twice"),
    ("supervisors.0.preferences", ["s3"], "supervisor 'v1' lists unknown student 's3'"),
    ("placements.0.preferences", ["s1"], "placement 'p1' has its own 'preferences'"),
    ("placements.0.seat", "hbo", "duo 'd1' has two 'hbo' seats"),
    ("placements.0.seat", "mavo", "placement 'p1': 'seat' must be 'mbo' or 'hbo'"),
    ("placements.0.seat", _DELETE, "placement 'p1' is part of duo 'd1' but has no 'seat'"),
    ("placements.1.duo", "d2", "duo 'd1' has no 'hbo' seat"),
    ("students.0.colour", "red", "student 's1' has unknown field 'colour'"),
    ("students.0.preferences", "p1", "student 's1': 'preferences' must be a list"),
    ("students.0.id", 5, "students[0] needs an 'id' that is a non-empty string"),
    ("placements.0.capacity", _DELETE, "placement 'p1' has no 'capacity'"),
    ("seed", -1, "'seed' must be a non-negative integer"),
    ("students", _DELETE, "the instance has no 'students' list"),
]


@pytest.mark.parametrize(("path", "value", "message"), CASES)
def test_loader_refuses_bad_entries_by_name(path: str, value: Any, message: str) -> None:
    with pytest.raises(InstanceError, match=re.escape(message)):
        load_instance(_broken(path, value))


@pytest.mark.parametrize(("path", "value", "message"), CASES)
def test_file_parser_gives_the_same_messages(path: str, value: Any, message: str) -> None:
    raw = json.dumps(_broken(path, value)).encode()
    assert fast_parse_instance(raw, force=True) is None
    with pytest.raises(InstanceError) as caught:
        parse_instance(raw)
    with pytest.raises(InstanceError) as reference:
        load_instance(_broken(path, value))
    assert str(caught.value) == str(reference.value)


def test_malformed_json_is_refused_with_line_and_column() -> None:
    with pytest.raises(InstanceError, match=r"not valid JSON: .* at line 1 column"):
        parse_instance(b'{"students": [}')


def test_a_field_given_twice_is_refused() -> None:
    with pytest.raises(InstanceError, match="field 'capacity' appears twice"):
        parse_instance(
            b'{"students": [], "placements": [{"id": "p", "capacity": 1, "capacity": 2}]}'
        )


def test_instance_round_trips_through_its_dict_form() -> None:
    instance = load_instance(GOOD)
    assert instance_to_dict(instance) == GOOD
    assert instance.model == "supervisors"
    assert instance.duo_ids == ["d1"]


def test_placements_without_preferences_use_the_lottery() -> None:
    instance = load_instance({"students": [], "placements": [{"id": "p", "capacity": 0}]})
    assert not instance.placement_ranked[0]
    assert instance.model == "placements"


def test_generated_instances_pass_their_own_validation() -> None:
    for supervisors in (False, True):
        instance = generate_instance(500, supervisors=supervisors, duo_fraction=0.2, seed=1)
        again = load_instance(instance_to_dict(instance))
        assert again.choices.tolist() == instance.choices.tolist()
        assert again.duo_ids == instance.duo_ids
