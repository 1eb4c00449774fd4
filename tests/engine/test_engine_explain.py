"""Explanations say why not each higher choice, and never reveal other students."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagebrug.matching.engine import load_instance, solve
from stagebrug.matching.engine.explain import Explainer, explain
from tests.engine.support import tiny_instances


def test_a_student_sees_the_choice_they_got_and_why_not_better() -> None:
    instance = load_instance(
        {
            "students": [
                {"id": "first", "preferences": ["p"]},
                {"id": "second", "preferences": ["p", "q"]},
            ],
            "placements": [
                {"id": "p", "capacity": 1, "preferences": ["first", "second"]},
                {"id": "q", "capacity": 1},
            ],
        }
    )
    result = solve(instance)
    explanation = explain(instance, result, "second")
    assert explanation.choice == 2 and explanation.placement == "q"
    assert explanation.summary == "You got your 2nd choice, q."
    (reason,) = explanation.reasons
    assert reason.code == "full"
    assert reason.text == "full: its only seat went to a student it ranked higher than you"


def test_unranked_and_seatless_choices_are_explained() -> None:
    instance = load_instance(
        {
            "students": [{"id": "s", "preferences": ["closed", "picky"]}],
            "placements": [
                {"id": "closed", "capacity": 0},
                {"id": "picky", "capacity": 3, "preferences": []},
            ],
        }
    )
    explanation = explain(instance, solve(instance), "s")
    assert explanation.choice is None
    assert [r.code for r in explanation.reasons] == ["no_seats", "not_ranked"]


def _ids(n: int) -> list[str]:
    return [f"student-{chr(97 + i) * 6}" for i in range(n)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_explanations_never_contain_another_students_id(data: st.DataObject) -> None:
    raw = data.draw(tiny_instances(supervisors=data.draw(st.booleans())))
    rename = dict(zip([s["id"] for s in raw["students"]], _ids(len(raw["students"])), strict=True))
    text = json.dumps(raw)
    for old, new in sorted(rename.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(f'"{old}"', f'"{new}"')
    raw = json.loads(text)
    instance = load_instance(raw)
    mode = data.draw(st.sampled_from(["stable", "welfare"]))
    result = solve(instance, mode=mode)
    explainer = Explainer(instance, result)
    for sid in instance.student_ids:
        shown = json.dumps(explainer.explain(sid).to_dict()) + explainer.explain(sid).text()
        for other in instance.student_ids:
            if other != sid:
                assert other not in shown
        if mode == "stable":
            assert all(r.code != "unexplained" for r in explainer.explain(sid).reasons)
