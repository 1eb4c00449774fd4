"""``stagebrug-match``: solve, verify, explain, generate; bad input exits 2 with one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stagebrug.matching.engine.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "matching-instance.json"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


@pytest.fixture
def solved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "result.json"
    code, _, err = _run(capsys, "solve", EXAMPLE, "-o", out)
    assert code == 0, err
    return out


def test_solve_writes_the_documented_result_format(solved: Path) -> None:
    result = json.loads(solved.read_text())
    assert set(result) >= {
        "assignment",
        "unassigned",
        "stats",
        "blocking_pairs",
        "half_filled_duos",
    }
    assert result["stats"]["students"] == 5
    assert result["blocking_pairs"] == []
    assert result["half_filled_duos"] == [{"duo": "bakery", "filled": "hbo", "empty": "mbo"}]


def test_verify_accepts_the_solvers_result(solved: Path, capsys) -> None:
    code, out, _ = _run(capsys, "verify", EXAMPLE, solved)
    assert code == 0
    assert "result passes" in out and "blocking pairs: 0" in out


def _tampered(solved: Path, tmp_path: Path, change: Any) -> Path:
    result = json.loads(solved.read_text())
    change(result)
    return _write(tmp_path / "tampered.json", result)


def test_verify_rejects_a_result_with_a_blocking_pair(solved: Path, tmp_path: Path, capsys) -> None:
    def give_garage_away(result: dict) -> None:  # emre holds garage; leave it empty instead
        del result["assignment"]["emre"]
        result["unassigned"].append("emre")
        result.pop("stats")

    code, out, _ = _run(capsys, "verify", EXAMPLE, _tampered(solved, tmp_path, give_garage_away))
    assert code == 1
    assert "blocking pair: student 'emre' and placement 'garage'" in out
    assert "result REJECTED" in out


def test_verify_rejects_an_over_full_placement(solved: Path, tmp_path: Path, capsys) -> None:
    def crowd(result: dict) -> None:
        result["assignment"]["bram"] = "garage"
        result["unassigned"].remove("bram")
        result.pop("stats")

    code, out, _ = _run(capsys, "verify", EXAMPLE, _tampered(solved, tmp_path, crowd))
    assert code == 1
    assert "placement 'garage' holds 2 students but has 1 seats" in out


def test_verify_rejects_an_unacceptable_pair(solved: Path, tmp_path: Path, capsys) -> None:
    def misplace(result: dict) -> None:
        result["assignment"]["bram"] = "studio"  # bram never chose the studio
        result["unassigned"].remove("bram")
        result.pop("stats")

    code, out, _ = _run(capsys, "verify", EXAMPLE, _tampered(solved, tmp_path, misplace))
    assert code == 1
    assert "student 'bram' is placed at 'studio', which is not acceptable" in out


def test_verify_rejects_statistics_that_do_not_add_up(solved: Path, tmp_path: Path, capsys) -> None:
    def inflate(result: dict) -> None:
        result["stats"]["assigned"] = 5

    code, out, _ = _run(capsys, "verify", EXAMPLE, _tampered(solved, tmp_path, inflate))
    assert code == 1
    assert "stats.assigned says 5" in out


def test_welfare_results_pass_verification_despite_blocking_pairs(tmp_path: Path, capsys) -> None:
    out = tmp_path / "welfare.json"
    assert _run(capsys, "solve", EXAMPLE, "--mode", "welfare", "-o", out)[0] == 0
    code, text, _ = _run(capsys, "verify", EXAMPLE, out)
    assert code == 0
    assert "mode: welfare" in text


BAD_INPUTS = [
    ('{"students": [', "not valid JSON"),
    (
        {"students": [{"id": "s", "preferences": ["nope"]}], "placements": []},
        "student 's' lists unknown placement 'nope'",
    ),
    (
        {
            "students": [{"id": "s", "preferences": []}, {"id": "s", "preferences": []}],
            "placements": [],
        },
        "student 's' is listed twice",
    ),
    (
        {
            "students": [{"id": "s", "preferences": ["p", "p"]}],
            "placements": [{"id": "p", "capacity": 1}],
        },
        "student 's' lists placement 'p' twice",
    ),
    (
        {"students": [], "placements": [{"id": "p", "capacity": -3}]},
        "placement 'p' has a negative capacity (-3)",
    ),
    (
        {"students": [], "placements": [{"id": "p", "capacity": 1}, {"id": "p", "capacity": 2}]},
        "placement 'p' is listed twice",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD_INPUTS)
def test_bad_instances_exit_2_with_one_line_naming_the_entry(
    data: Any, message: str, tmp_path: Path, capsys
) -> None:
    path = _write(tmp_path / "bad.json", data)
    code, out, err = _run(capsys, "solve", path)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_verify_refuses_a_result_naming_unknown_ids(solved: Path, tmp_path: Path, capsys) -> None:
    result = json.loads(solved.read_text())
    result["assignment"]["zoe"] = "garage"
    code, _, err = _run(capsys, "verify", EXAMPLE, _write(tmp_path / "r.json", result))
    assert code == 2
    assert "the result assigns unknown student 'zoe'" in err


def test_missing_files_and_bad_options_exit_2(tmp_path: Path, capsys) -> None:
    code, _, err = _run(capsys, "solve", tmp_path / "absent.json")
    assert code == 2 and "cannot read" in err
    with pytest.raises(SystemExit) as stop:
        main(["solve", str(EXAMPLE), "--mode", "fastest"])
    assert stop.value.code == 2


def test_explain_never_names_other_students(solved: Path, capsys) -> None:
    code, out, _ = _run(capsys, "explain", EXAMPLE, solved, "--student", "anna", "--json")
    assert code == 0
    explanation = json.loads(out)
    assert explanation["student"] == "anna"
    assert [r["code"] for r in explanation["reasons"]] == [
        "supervisor_full",
        "full",
        "supervisor_full",
    ]
    for other in ("bram", "chen", "dewi", "emre"):
        assert other not in out


def test_generate_then_solve_then_verify_round_trip(tmp_path: Path, capsys) -> None:
    instance = tmp_path / "gen.json"
    result = tmp_path / "res.json"
    assert (
        _run(
            capsys,
            "generate",
            "--students",
            200,
            "--popularity",
            "skewed",
            "--supervisors",
            "--duos",
            "0.2",
            "--seed",
            9,
            "-o",
            instance,
        )[0]
        == 0
    )
    assert _run(capsys, "solve", instance, "-o", result, "--seed", 4)[0] == 0
    code, out, _ = _run(capsys, "verify", instance, result)
    assert code == 0, out
    assert json.loads(result.read_text())["seed"] == 4


def test_the_module_runs_as_a_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stagebrug.matching.engine", "verify", str(EXAMPLE), "/nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("stagebrug-match: error: cannot read")
