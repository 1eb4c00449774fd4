"""Signatures under concurrency: the last two parties signing at the same moment both count
and complete the agreement once; the same party signing twice at once counts once. Real
parallel HTTP requests against the live server, each thread with its own connection."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest

from stagebrug.accounts.services import api_token_create
from stagebrug.agreements import services
from stagebrug.agreements.models import Agreement, Party, Signature, Status
from tests.agreements.conftest import business_part, deadline, school_part, student_part

pytestmark = pytest.mark.django_db(transaction=True)


def post(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def at_once(calls) -> list[int]:
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []

    def run(call) -> None:
        barrier.wait()
        statuses.append(call())

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(statuses)


def ready(internship, personas):
    agreement = Agreement.objects.get(internship=internship)
    school_part(agreement, personas.coordinator)
    business_part(agreement, personas.owner)
    student_part(agreement, personas.student)
    version = services.agreement_send(
        agreement=agreement, by=personas.coordinator, deadline=deadline()
    )
    return agreement, version


@pytest.mark.parametrize("attempt", range(2))
def test_the_last_two_signatures_at_once_both_count(live_server, internship, personas, attempt):
    agreement, version = ready(internship, personas)
    services.agreement_sign(
        agreement=agreement,
        by=personas.coordinator,
        content_hash=version.content_hash,
        full_name="Cora Coordinator",
        confirm=True,
    )
    url = f"{live_server.url}/api/v1/internships/{internship.pk}/agreement/sign"
    calls = []
    for who in (personas.student, personas.owner):
        token = api_token_create(user=who, name="t")[1]
        body = {"content_hash": version.content_hash, "full_name": who.full_name, "confirm": True}
        calls.append(lambda token=token, body=body: post(url, token, body))
    assert at_once(calls) == [200, 200]
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    assert Signature.objects.filter(version=version).count() == 3


def test_the_same_party_signing_twice_at_once_counts_once(live_server, internship, personas):
    _agreement, version = ready(internship, personas)
    url = f"{live_server.url}/api/v1/internships/{internship.pk}/agreement/sign"
    calls = []
    for who in (personas.owner, personas.member):  # both sign for the business
        token = api_token_create(user=who, name="t")[1]
        body = {"content_hash": version.content_hash, "full_name": who.full_name, "confirm": True}
        calls.append(lambda token=token, body=body: post(url, token, body))
    assert at_once(calls) == [200, 400]
    assert Signature.objects.filter(version=version, party=Party.BUSINESS).count() == 1
