"""An anonymous first look (W2, W14): where the programme asks for it, a business sees an
applicant without name, CV or motivation until it shortlists them, in every channel: the
pages, the CV download, the API, the inbox and e-mail."""

from __future__ import annotations

import pytest
from django.core import mail

from stagebrug.accounts.services import api_token_create
from stagebrug.applications import services
from stagebrug.applications.models import ApplicationStatus, Notification
from stagebrug.registry.models import Programme
from tests.placements.factories import kok_programme

pytestmark = pytest.mark.django_db

MOTIVATION = "Mijn oma had een bakkerij in Paramaribo, daar leerde ik brood bakken."
NAME = "Stan Student"


@pytest.fixture
def anonymous(kok_student):
    Programme.objects.filter(pk=kok_programme().pk).update(anonymous_first_look=True)
    return kok_student


@pytest.fixture
def applied(published, personas, anonymous, django_capture_on_commit_callbacks):
    services.profile_set_cv(
        profile=anonymous, by=personas.student, name="Stan-Student-cv.pdf", content=b"%PDF-1.4 x"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_create(
            student=personas.student, placement=published, motivation=MOTIVATION
        )
    assert application.anonymous
    return application


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(user=user, name="t")[1]}


def label(application) -> str:
    return f"Sollicitant {application.pk}"


def test_the_business_pages_show_no_name_cv_or_motivation(client, personas, applied):
    client.force_login(personas.owner)
    listing = client.get(f"/stageplaatsen/{applied.placement_id}/sollicitaties/").text
    assert NAME not in listing and label(applied) in listing
    page = client.get(f"/sollicitaties/{applied.pk}/").text
    assert NAME not in page and "Stan" not in page
    assert "Paramaribo" not in page and "cv.pdf" not in page and "Stan-Student" not in page
    assert label(applied) in page and "anonieme eerste blik" in page
    assert "Koken en bakken" in page  # what the student wants to do


def test_the_cv_cannot_be_downloaded_before_the_shortlist(client, personas, applied):
    client.force_login(personas.owner)
    assert client.get(f"/studenten/{personas.student.pk}/cv/").status_code == 404


def test_the_api_gives_the_label_and_no_motivation(client, personas, applied):
    response = client.get(f"/api/v1/applications/{applied.pk}", **bearer(personas.owner))
    assert response.status_code == 200
    body = response.json()
    assert body["student"] in (f"Applicant {applied.pk}", label(applied))
    assert body["motivation"] == ""
    assert NAME not in response.text and "Paramaribo" not in response.text
    listed = client.get(
        f"/api/v1/placements/{applied.placement_id}/applications", **bearer(personas.owner)
    )
    assert NAME not in listed.text
    # The student sees their own application in full.
    own = client.get(f"/api/v1/applications/{applied.pk}", **bearer(personas.student)).json()
    assert own["student"] == NAME and own["motivation"] == MOTIVATION


def test_the_inbox_and_e_mail_say_no_name(personas, applied, django_capture_on_commit_callbacks):
    note = Notification.objects.get(user=personas.owner, kind="application.new")
    assert NAME not in note.title + note.body and label(applied) in note.body
    to_business = [m for m in mail.outbox if personas.owner.email in m.to]
    assert to_business and all(NAME not in m.subject + m.body for m in to_business)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(application=applied, by=personas.student, body="Ik kan maandag.")
        services.application_withdraw(application=applied, by=personas.student, reason="")
    for m in mail.outbox:
        if personas.owner.email in m.to:
            assert NAME not in m.subject + m.body
    withdrawn = Notification.objects.get(user=personas.owner, kind="application.withdrawn")
    assert NAME not in withdrawn.title and label(applied) in withdrawn.title


def test_a_message_from_the_student_carries_the_label(client, personas, applied):
    services.message_send(application=applied, by=personas.student, body="Ik kan maandag.")
    client.force_login(personas.owner)
    page = client.get(f"/sollicitaties/{applied.pk}/").text
    assert "Ik kan maandag." in page and NAME not in page
    api = client.get(f"/api/v1/applications/{applied.pk}", **bearer(personas.owner)).json()
    assert api["messages"][0]["author"] != NAME


def test_the_shortlist_shows_who_it_is(client, personas, applied):
    services.application_move(
        application=applied, by=personas.owner, to=ApplicationStatus.SHORTLISTED
    )
    applied.refresh_from_db()
    assert applied.revealed_at is not None
    client.force_login(personas.owner)
    page = client.get(f"/sollicitaties/{applied.pk}/").text
    assert NAME in page and "Paramaribo" in page and "cv.pdf" in page
    assert client.get(f"/studenten/{personas.student.pk}/cv/").status_code == 200
    # A later "no" keeps it revealed (the business knows already).
    services.application_move(
        application=applied, by=personas.owner, to=ApplicationStatus.REJECTED, reason="Vol."
    )
    assert NAME in client.get(f"/sollicitaties/{applied.pk}/").text


def test_a_no_at_first_look_never_reveals(client, personas, applied):
    services.application_move(
        application=applied, by=personas.owner, to=ApplicationStatus.REJECTED, reason="Vol."
    )
    applied.refresh_from_db()
    assert applied.revealed_at is None
    client.force_login(personas.owner)
    assert NAME not in client.get(f"/sollicitaties/{applied.pk}/").text


def test_without_the_setting_the_business_sees_the_name(client, personas, published, kok_student):
    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    assert not application.anonymous
    client.force_login(personas.owner)
    assert NAME in client.get(f"/sollicitaties/{application.pk}/").text


def test_the_coordinator_turns_it_on_for_a_programme(client, personas):
    programme = kok_programme()
    client.force_login(personas.coordinator)
    url = f"/scholen/{personas.rocva.slug}/opleidingen/{programme.slug}/bewerken/"
    form = client.get(url)
    assert form.status_code == 200 and "anonymous_first_look" in form.text


def test_the_interview_form_names_no_one(client, personas, applied):
    client.force_login(personas.owner)
    page = client.get(f"/sollicitaties/{applied.pk}/gesprek/").text
    assert NAME not in page and label(applied) in page


def test_an_anonymous_applicant_is_not_a_named_candidate_of_the_same_company(
    client, personas, applied
):
    from stagebrug.applications.recommendations.query import candidates_for_placement

    services.profile_save(user=personas.student, by=personas.student, discoverable=True)
    assert personas.student.pk not in {
        c.profile.student_id for c in candidates_for_placement(applied.placement)
    }
    services.application_move(
        application=applied, by=personas.owner, to=ApplicationStatus.SHORTLISTED
    )
    assert personas.student.pk in {
        c.profile.student_id for c in candidates_for_placement(applied.placement)
    }
