"""The database away for a moment: requests get a clear 503 page (or a JSON reason in the API)
with Retry-After, and the site recovers by itself once the database answers again."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError, connections

from stagebrug.core.views import server_error

UNREACHABLE = {"postgresql": {"PORT": "1"}, "sqlite": {"NAME": "/nonexistent/stagebrug.sqlite3"}}


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_the_site_says_it_is_busy_and_recovers_by_itself(live_server):
    settings = connections["default"].settings_dict
    vendor = connections["default"].vendor
    assert fetch(f"{live_server.url}/stages/")[0] == 200
    saved = {key: settings[key] for key in UNREACHABLE[vendor]}
    settings.update(UNREACHABLE[vendor])  # new connections now fail, as after a crash
    try:
        status, headers, body = fetch(f"{live_server.url}/stages/")
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "Stagebrug kan zijn database even niet bereiken" in body
        status, headers, body = fetch(f"{live_server.url}/api/v1/institutions")
        assert status == 503 and "database" in body
        assert headers["Content-Type"] == "application/json"
    finally:
        settings.update(saved)
    # The database is back: the next request works without a restart.
    assert fetch(f"{live_server.url}/stages/")[0] == 200
    assert fetch(f"{live_server.url}/api/v1/institutions")[0] == 200


def test_another_error_is_the_plain_500_page(rf):
    request = rf.get("/stages/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
    assert "Retry-After" not in response


def test_a_broken_connection_in_the_api_is_a_503_with_a_reason(rf):
    request = rf.get("/api/v1/programmes")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "database" in json.loads(response.content)["detail"]
