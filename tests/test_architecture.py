"""The floors hold: `make test` runs the import contract (pyproject.toml), and these tests show
that it passes on the code as it is and fails the day a lower floor imports a higher one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_of_the_code(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "stagebrug",
        tmp_path / "stagebrug",
        ignore=shutil.ignore_patterns("static", "templates", "locale", "__pycache__", "*.pyc"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory) -> Path:
    return _copy_of_the_code(tmp_path_factory.mktemp("floors"))


def test_the_code_keeps_the_import_contract(code_copy):
    result = _lint(code_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_the_contract_fails_when_the_registry_imports_placements(tmp_path):
    copy = _copy_of_the_code(tmp_path)
    models = copy / "stagebrug" / "registry" / "models.py"
    models.write_text(models.read_text() + "\nfrom stagebrug.placements import models as _up\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert "stagebrug.registry.models -> stagebrug.placements.models" in result.stdout


def test_the_contract_fails_when_the_engine_imports_django(tmp_path):
    copy = _copy_of_the_code(tmp_path)
    core = copy / "stagebrug" / "matching" / "engine" / "core.py"
    core.write_text(core.read_text() + "\nimport django.db as _db\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert "stagebrug.matching.engine.core -> django" in result.stdout


def test_a_new_app_directly_under_stagebrug_must_be_given_a_floor(tmp_path):
    copy = _copy_of_the_code(tmp_path)
    (copy / "stagebrug" / "newapp").mkdir()
    (copy / "stagebrug" / "newapp" / "__init__.py").write_text("")
    result = _lint(copy)
    assert result.returncode != 0
    assert "newapp" in result.stdout
