"""The agreement's pages, as each party uses them."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from stagebrug.agreements import services
from stagebrug.agreements.models import Status
from tests.agreements.conftest import business_part, deadline, school_part
from tests.dates import on

pytestmark = pytest.mark.django_db


def url(agreement, rest: str = "") -> str:
    return f"/stagiairs/{agreement.internship_id}/overeenkomst/{rest}"


def test_every_party_reads_the_agreement_and_outsiders_get_404(client, agreement, personas):
    p = personas
    for who in (p.student, p.owner, p.member, p.supervisor, p.coordinator):
        client.force_login(who)
        assert client.get(url(agreement)).status_code == 200, who
    for who in (p.outsider, p.other_coordinator, p.teacher):
        client.force_login(who)
        assert client.get(url(agreement)).status_code == 404, who


def test_the_whole_journey_through_the_pages(
    client, agreement, personas, django_capture_on_commit_callbacks
):
    p = personas
    school_part(agreement, p.coordinator)
    business_part(agreement, p.owner)
    client.force_login(p.student)
    page = client.get(url(agreement, "student/"))
    assert page.status_code == 200 and b"birth-date" in page.content
    response = client.post(
        url(agreement, "student/"),
        {"phone": "0611111111", "birth-date": on(3, 3, -16).isoformat()},
    )
    assert response.status_code == 400  # a minor: the guardian's name and e-mail are needed
    response = client.post(
        url(agreement, "student/"),
        {
            "phone": "0611111111",
            "birth-date": on(3, 3, -16).isoformat(),
            "guardian_name": "Petra Student",
            "guardian_email": "ouder@example.org",
        },
    )
    assert response.status_code == 302
    assert client.post(url(agreement, "approach/"), {}).status_code == 302
    client.force_login(p.coordinator)
    assert client.get(url(agreement, "versturen/")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(agreement, "versturen/"), {"deadline": deadline().date().isoformat()}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNING
    version = services.open_version(agreement)
    assert version.required_parties == ["student", "business", "school", "guardian"]
    link = re.search(r"/ondertekenen/(\S+)/", mail.outbox[-1].body).group(1)
    for who in (p.student, p.owner, p.coordinator):
        client.force_login(who)
        response = client.post(
            url(agreement, "ondertekenen/"),
            {"full_name": who.full_name, "confirm": "on", "content_hash": version.content_hash},
        )
        assert response.status_code == 302, who
    client.logout()
    assert client.get(f"/ondertekenen/{link}/").status_code == 200
    response = client.post(
        f"/ondertekenen/{link}/",
        {"full_name": "Petra Student", "confirm": "on", "content_hash": version.content_hash},
    )
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    assert client.get(f"/ondertekenen/{link}/").status_code == 410  # used
    client.force_login(p.owner)
    pdf = client.get(url(agreement, f"versies/{version.number}/pdf/?taal=nl"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(url(agreement, f"versies/{version.number}/")).status_code == 200
    version.refresh_from_db()
    found = client.get("/overeenkomst-controleren/", {"code": version.code})
    assert found.status_code == 200 and version.content_hash.encode() in found.content


def test_an_amendments_page_shows_what_changed_since_the_signed_version(
    client, agreement, personas
):
    from tests.agreements.conftest import signed_by_everyone

    signed_by_everyone(agreement.internship, personas)
    services.agreement_amend(agreement=agreement, by=personas.coordinator)
    # A draft reopened in between is not what the parties agreed: compare with version 1.
    draft = services.open_version(agreement)
    offer = dict(draft.content["offer"]["data"])
    services.agreement_section_save(
        agreement=agreement,
        by=personas.owner,
        key="offer",
        data=offer | {"expense_allowance": "60.00"},
    )
    sent = services.agreement_send(
        agreement=agreement, by=personas.coordinator, deadline=deadline()
    )
    services.agreement_reopen(agreement=agreement, by=personas.coordinator)
    third = services.agreement_send(
        agreement=agreement, by=personas.coordinator, deadline=deadline()
    )
    assert third.number > sent.number > 1
    client.force_login(personas.student)
    page = client.get(url(agreement, f"versies/{third.number}/")).content.decode()
    assert "Wat er veranderd is sinds versie 1" in page
    assert "€ 25.00" in page and "€ 60.00" in page


def test_a_student_opening_their_parents_link_signs_nothing(client, agreement, personas):
    from tests.agreements.conftest import student_part

    school_part(agreement, personas.coordinator)
    business_part(agreement, personas.owner)
    student_part(agreement, personas.student, birth_date=on(6, 6, -16), guardian=True)
    version = services.agreement_send(
        agreement=agreement, by=personas.coordinator, deadline=deadline()
    )
    link = services.agreement_invite_signer(
        agreement=agreement,
        by=personas.coordinator,
        party="guardian",
        name="Petra Student",
        email="ouder@example.org",
    )
    client.force_login(personas.student)
    path = f"/ondertekenen/{link.raw_token}/"
    page = client.get(path)
    assert page.status_code == 403
    assert "bedoeld voor Petra Student" in page.content.decode()
    posted = client.post(
        path,
        {"content_hash": version.content_hash, "full_name": "Petra Student", "confirm": "on"},
    )
    assert posted.status_code == 403
    assert not version.signatures.filter(party="guardian").exists()
    # The parent, without an account, still can.
    client.logout()
    assert client.get(path).status_code == 200
