"""The production settings documented in docs/deployment.md pass Django's deployment check."""

from __future__ import annotations

import os
import subprocess
import sys

from stagebrug.settings import BASE_DIR

# docs/deployment.md, "Production settings": the minimum a production deployment sets.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-of-at-least-forty-characters-0123456789",
    "ALLOWED_HOSTS": "stagebrug.example",
    "CSRF_TRUSTED_ORIGINS": "https://stagebrug.example",
    "SITE_URL": "https://stagebrug.example",
    "DATABASE_URL": "postgres://stagebrug@db.internal:5432/stagebrug",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_the_deployment_check(tmp_path):
    env = {**PRODUCTION_ENV, "STAGEBRUG_VAR_DIR": str(tmp_path)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_serves_compressed_hashed_static_files(tmp_path):
    env = {**PRODUCTION_ENV, "STAGEBRUG_VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
