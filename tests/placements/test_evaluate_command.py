import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.usefixtures("reference_data")

GOOD = {
    "title": "Stage in de keuken",
    "description": "Je helpt de kok.",
    "activities": ["mise-en-place", "gerechten bereiden", "afwassen"],
    "labels": ["crebo:25180"],
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("evaluate_routing", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def write(tmp_path, *lines: str):
    path = tmp_path / "evaluation.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_the_command_prints_top_1_and_top_3_for_the_router_and_the_baseline():
    output = run()
    assert "evaluation_register.jsonl, split all: 80 texts" in output
    assert "programmes (register)" in output
    assert "Router (BM25F, Dutch)" in output and "Keyword baseline" in output
    assert "top-1" in output and "top-3" in output and "ms/text" in output
    assert "Router minus baseline" in output


def test_the_second_split_evaluates_only_the_held_out_half():
    assert "split second: 40 texts" in run("--split", "second")
    assert "split first: 40 texts" in run("--split", "first")


def test_the_loaded_scope_routes_only_to_programmes_schools_loaded():
    output = run("--file", "data/routing/evaluation.jsonl", "--scope", "loaded")
    assert "evaluation.jsonl, split all: 103 texts, 68 programmes (loaded)" in output


def test_show_errors_lists_the_texts_the_router_got_wrong(tmp_path):
    wrong = {**GOOD, "labels": ["croho:39205"]}  # a kitchen text labelled as law
    output = run("--file", write(tmp_path, json.dumps(GOOD), json.dumps(wrong)), "--show-errors")
    assert "top-1 misses (1)" in output
    assert "line 2: Stage in de keuken" in output
    assert "expected: croho:39205" in output


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        ('["a list"]', "line 2: expected a JSON object"),
        (json.dumps({**GOOD, "title": ""}), "line 2: 'title'"),
        (json.dumps({**GOOD, "activities": "koken"}), "line 2: 'activities'"),
        (json.dumps({**GOOD, "labels": []}), "line 2: 'labels'"),
        (json.dumps({**GOOD, "labels": ["25180"]}), "line 2: 'labels'"),
        (json.dumps({**GOOD, "labels": ["crebo:99999"]}), "line 2: unknown programme"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_naming_the_line(tmp_path, bad_line, message):
    with pytest.raises(CommandError, match=message):
        run("--file", write(tmp_path, json.dumps(GOOD), bad_line))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="file not found"):
        run("--file", str(tmp_path / "nope.jsonl"))


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no placement texts"):
        run("--file", write(tmp_path, ""))
