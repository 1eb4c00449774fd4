"""The production settings documented in docs/deployment.md pass Django's deployment check."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


#: Set in this process by the browser tests (Playwright's event loop), never in production.
TEST_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**inherited, **env},
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


NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_production_command_serves_the_site_with_gunicorn(tmp_path):
    """The documented command starts, answers the liveness check and logs the request."""
    port = _free_port()
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "STAGEBRUG_VAR_DIR": str(tmp_path),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "stagebrug.wsgi"]
    with subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with NO_PROXY.open(f"http://127.0.0.1:{port}/livez", timeout=5) as r:
                        assert r.status == 200 and json.load(r) == {"status": "ok"}
                        break
                except OSError:
                    assert server.poll() is None, "gunicorn stopped"
                    assert time.monotonic() < deadline, "gunicorn did not answer in time"
                    time.sleep(0.2)
        finally:
            server.terminate()
            output = server.communicate(timeout=30)[0].decode()
    assert '"GET /livez HTTP/1.1" 200' in output
