"""What is written to a person (inbox messages, e-mails) is in the language they use the site
in, whoever causes it: another person working in Dutch, or a background job."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from stagebrug.accounts import services as account_services
from stagebrug.accounts.models import Role, User
from stagebrug.applications import services as app_services
from stagebrug.applications.models import ApplicationStatus, Notification
from stagebrug.placements import services as placement_services
from tests.factories import PASSWORD, UserFactory
from tests.placements.factories import make_placement

pytestmark = pytest.mark.django_db


def language_of(user) -> str:
    return User.objects.values_list("language", flat=True).get(pk=user.pk)


def test_a_new_person_is_written_to_in_dutch(personas):
    assert language_of(UserFactory()) == "nl"


def test_the_language_a_person_sees_pages_in_is_recorded(client, personas):
    client.post("/account/inloggen/", {"username": personas.owner.email, "password": PASSWORD})
    client.cookies["django_language"] = "en"
    assert client.get("/account/").status_code == 200
    assert language_of(personas.owner) == "en"
    client.cookies["django_language"] = "nl"
    client.get("/account/")
    assert language_of(personas.owner) == "nl"


def test_api_calls_do_not_change_the_recorded_language(client, personas):
    token = account_services.api_token_create(user=personas.owner, name="script")[1]
    response = client.get(
        "/api/v1/companies", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert language_of(personas.owner) == "nl"


def test_only_a_supported_language_is_recorded(personas):
    owner = personas.owner
    account_services.user_remember_language(user=owner, language="de")
    account_services.user_remember_language(user=owner, language=None)
    assert language_of(owner) == "nl"
    account_services.user_remember_language(user=owner, language="en-GB")
    assert language_of(owner) == "en" and owner.language == "en"


def test_a_dutch_business_writes_to_an_english_student_in_english(
    personas, published, kok_student, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=personas.student.pk).update(language="en")
    personas.student.refresh_from_db()
    # The student works in English...
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        application = app_services.application_create(
            student=personas.student, placement=published, motivation="Ik kook graag thuis."
        )
    mail.outbox.clear()
    # ...the business in Dutch (the default): each reads the other's doings in their own.
    with django_capture_on_commit_callbacks(execute=True):
        app_services.application_move(
            application=application, by=personas.owner, to=ApplicationStatus.SHORTLISTED
        )
    note = Notification.objects.filter(user=personas.student).latest("id")
    assert note.title == f"You are on the shortlist for {published.title}"
    (message,) = mail.outbox
    assert message.to == [personas.student.email]
    assert message.subject == note.title
    assert "See it on Stagebrug:" in message.body
    new = Notification.objects.get(user=personas.owner, kind="application.new")
    assert new.title == f"Nieuwe sollicitatie voor {published.title}"


def test_one_mail_to_several_people_goes_out_once_per_language(
    recognised, django_capture_on_commit_callbacks
):
    p = recognised
    english = UserFactory(email="english.coordinator@rocva.example", language="en")
    account_services.membership_grant(
        user=english, role=Role.SCHOOL_COORDINATOR, institution=p.rocva
    )
    placement = make_placement(p.company, p.owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        placement_services.placement_submit(placement=placement, by=p.owner)
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {(p.coordinator.email,), (english.email,)}
    assert by_recipient[(english.email,)].subject.startswith("New placement to review from")
    assert by_recipient[(p.coordinator.email,)].subject.startswith("Nieuwe stage van ")
