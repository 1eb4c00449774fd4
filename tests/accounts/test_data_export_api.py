"""A person's data export through the API (`GET /api/v1/me/data`): the same as the "My data"
page's download, for the caller only."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from stagebrug.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_the_export_through_the_api_is_the_pages_download(personas, kok_student):
    _token, raw = api_token_create(user=personas.student, name="mijn systeem")
    response = Client().get("/api/v1/me/data", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    data = response.json()
    assert data["user"]["email"] == personas.student.email
    assert [m["role"] for m in data["memberships"]] == ["student"]
    assert data["two_step_verification"] == {"on": False, "recovery_codes_left": 0}
    # What the applications app keeps (the profile) is in it too.
    assert "Koken en bakken in een restaurant." in json.dumps(data, ensure_ascii=False)
    page = Client()
    page.force_login(personas.student)
    download = json.loads(page.get("/account/mijn-gegevens/?format=json").content)
    assert download.keys() == data.keys()
    assert download["memberships"] == data["memberships"]


def test_the_export_is_only_ever_your_own(personas, kok_student):
    _token, raw = api_token_create(user=personas.owner, name="x")
    data = Client().get("/api/v1/me/data", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert data["user"]["email"] == personas.owner.email
    assert personas.student.email not in json.dumps(data)


def test_no_export_without_logging_in():
    response = Client().get("/api/v1/me/data")
    assert response.status_code == 401
    assert response.json()["detail"]
