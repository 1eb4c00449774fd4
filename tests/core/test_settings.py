"""Bad configuration stops start-up with a message that names the variable."""

import os
import subprocess
import sys

import pytest


def start(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "stagebrug.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "false", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"}, "SECRET_KEY must be set"),
        (
            {"DEBUG": "false", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": ""},
            "ALLOWED_HOSTS must list",
        ),
        ({"DATABASE_URL": "mysql://x@y/z"}, "supports SQLite and PostgreSQL"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT='twenty-five' is not a whole number"),
    ],
)
def test_bad_settings_fail_at_start_up_with_a_clear_message(env, message):
    result = start(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_defaults_start_without_any_configuration():
    result = start({"DEBUG": "", "DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
