"""The agreement's life: drafted from what Stagebrug knows, each party its own part, sent,
signed by everyone (a minor's guardian with a link), amended into a new version."""

from __future__ import annotations

import pytest

from stagebrug.agreements import rules, services
from stagebrug.agreements.models import Status, Version
from tests.agreements.conftest import business_part, deadline, school_part, student_part

pytestmark = pytest.mark.django_db


def message(exc) -> str:
    return " ".join(exc.messages)


def test_a_confirmed_internship_has_a_drafted_agreement(agreement, internship):
    version = services.open_version(agreement)
    assert (agreement.kind, agreement.status, version.number) == ("pok", Status.DRAFT, 1)
    assert version.content["period"]["data"]["hours_per_week"] == internship.hours_per_week
    assert version.content["parties"]["business"]["name"] == internship.placement.company.name
    states = services.section_states(agreement, version.content)
    assert states["period"] == "proposed" and states["schedule"] == "empty"


def test_the_whole_agreement_is_filled_in_sent_and_signed(agreement, personas):
    p = personas
    school_part(agreement, p.coordinator)
    business_part(agreement, p.owner)
    student_part(agreement, p.student)
    version = services.agreement_send(agreement=agreement, by=p.coordinator, deadline=deadline())
    assert version.state == Version.State.SIGNING
    assert version.content_hash == rules.content_hash(version.content)
    assert version.required_parties == ["student", "business", "school"]
    for who in (p.student, p.owner, p.coordinator):
        services.agreement_sign(
            agreement=agreement,
            by=who,
            content_hash=version.content_hash,
            full_name=who.full_name,
            confirm=True,
        )
    agreement.refresh_from_db()
    version.refresh_from_db()
    assert (agreement.status, version.state) == (Status.SIGNED, Version.State.SIGNED)
    assert {s.party for s in version.signatures.all()} == {"student", "business", "school"}
