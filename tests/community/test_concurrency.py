"""Sign-up past capacity under concurrent requests: real parallel HTTP requests against the live
server (each thread its own connection): never more confirmed than places, the rest waiting."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from stagebrug.accounts.services import api_token_create
from stagebrug.community.models import Registration
from tests.agreements.test_concurrency import at_once
from tests.community.conftest import person, publish

pytestmark = pytest.mark.django_db(transaction=True)


def post(url: str, token: str) -> int:
    request = urllib.request.Request(
        url,
        data=b"{}",
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_concurrent_sign_ups_never_pass_the_capacity(live_server, personas):
    event = publish(personas, capacity=3)
    tokens = [api_token_create(user=person(n), name="t")[1] for n in range(8)]
    url = f"{live_server.url}/api/v1/events/{event.pk}/registrations"
    statuses = at_once([lambda t=t: post(url, t) for t in tokens])
    assert statuses == [201] * 8
    counts = {
        s: Registration.objects.filter(event=event, status=s).count()
        for s in ("confirmed", "waiting")
    }
    assert counts == {"confirmed": 3, "waiting": 5}
