"""Aftercare (C9; W6, W11), consent first: the student of a completed internship is asked;
the business sees only former interns who agreed and only what they share, never after they
withdrew; offers of a job only to those open to one; a side job also during the internship;
the school counts offers, never names."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stagebrug.applications.models import Notification
from stagebrug.community.aftercare import services
from stagebrug.community.models import JobOffer
from stagebrug.internships import services as internships
from stagebrug.internships.models import Status
from tests.supervision.conftest import running  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(running, personas):  # noqa: F811
    return internships.internship_complete(internship=running, by=personas.coordinator)


def agree(internship, personas, **kw):
    values = {"share_email": True, "side_job": True, "first_job": False, "graduation": None}
    return services.keep_in_touch_save(internship=internship, by=personas.student, **(values | kw))


def test_the_student_is_asked_when_the_internship_is_completed(completed, personas):
    note = Notification.objects.get(user=personas.student, kind="aftercare.ask")
    assert note.url.endswith(f"/stagiairs/{completed.pk}/contact-houden/")


def test_only_the_student_decides_and_only_after_the_end(running, completed, personas):  # noqa: F811
    with pytest.raises(PermissionDenied):
        agree(completed, personas) if False else services.keep_in_touch_save(
            internship=completed,
            by=personas.owner,
            share_email=True,
            side_job=False,
            first_job=False,
            graduation=None,
        )
    with pytest.raises(ValidationError):
        agree(completed, personas, share_email=False, side_job=False)


def test_the_business_sees_only_who_agreed_and_not_after_they_withdrew(completed, personas):
    assert not services.former_interns(company=personas.company).exists()
    agree(completed, personas)
    [row] = services.former_interns(company=personas.company)
    assert row.internship == completed and row.share_email
    services.keep_in_touch_withdraw(internship=completed, by=personas.student)
    assert not services.former_interns(company=personas.company).exists()
    with pytest.raises(ValidationError) as caught:
        services.job_offer_send(
            internship=completed, by=personas.owner, kind="side_job", message="Zaterdagen?"
        )
    assert caught.value.messages == [str(services.NO_CONSENT)]


def test_a_job_only_to_who_is_open_to_one(completed, personas):
    agree(completed, personas, first_job=False)
    with pytest.raises(ValidationError):
        services.job_offer_send(internship=completed, by=personas.owner, kind="job", message="Baan")
    offer = services.job_offer_send(
        internship=completed, by=personas.owner, kind="side_job", message="Zaterdag bakken?"
    )
    assert Notification.objects.filter(user=personas.student, kind="aftercare.offer").exists()
    with pytest.raises(PermissionDenied):
        services.job_offer_send(
            internship=completed, by=personas.outsider, kind="side_job", message="x"
        )
    services.job_offer_answer(offer=offer, by=personas.student, answer="interested")
    note = Notification.objects.get(user=personas.owner, kind="aftercare.answer")
    assert personas.student.email in note.body
    with pytest.raises(ValidationError):
        services.job_offer_answer(offer=offer, by=personas.student, answer="declined")


def test_a_side_job_during_the_internship_but_not_a_job(running, personas):  # noqa: F811
    assert running.status == Status.ACTIVE
    with pytest.raises(ValidationError) as caught:
        services.job_offer_send(internship=running, by=personas.owner, kind="job", message="Baan")
    assert "kind" in caught.value.error_dict
    services.job_offer_send(
        internship=running, by=personas.owner, kind="side_job", message="Bijbaan?"
    )
    assert JobOffer.objects.count() == 1


def test_the_school_counts_offers_never_names(completed, personas):
    agree(completed, personas, first_job=True)
    services.job_offer_send(internship=completed, by=personas.owner, kind="job", message="Baan?")
    counts = services.school_counts(institution=personas.rocva)
    assert counts == {"side_job": 0, "job": 1, "students": 1}
    assert services.school_counts(institution=personas.hva)["students"] == 0


def test_erasing_the_student_ends_the_consent_and_keeps_the_count(completed, personas):
    from stagebrug.accounts.services import user_erase

    agree(completed, personas, first_job=True)
    services.job_offer_send(internship=completed, by=personas.owner, kind="job", message="Baan?")
    user_erase(user=personas.student)
    assert not services.former_interns(company=personas.company).exists()
    assert JobOffer.objects.get().message == ""
    assert services.school_counts(institution=personas.rocva)["job"] == 1


def test_operators_do_not_see_former_interns_the_consent_is_to_the_business(
    client, completed, personas
):
    agree(completed, personas)
    client.force_login(personas.operator)
    assert client.get(f"/bedrijven/{personas.company.pk}/oud-stagiairs/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.job_offer_send(
            internship=completed, by=personas.operator, kind="side_job", message="x"
        )
