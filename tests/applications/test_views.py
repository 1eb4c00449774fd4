import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stagebrug.applications import services
from stagebrug.applications.models import (
    Application,
    ApplicationStatus,
    Notification,
    StudentProfile,
)
from tests.placements.factories import kok_programme

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def profile_form(**overrides):
    data = {
        "programme": kok_programme().pk,
        "year": "1",
        "home_postcode": "1094 HB",
        "hours_per_week": "32",
        "wanted_activities": "Koken",
        "activity_tags": "koken, bakken",
        "max_travel_km": "15",
    }
    data.update(overrides)
    return data


def test_student_fills_in_the_profile_with_a_pdf_cv(client, personas):
    from stagebrug.accounts.models import Membership

    Membership.objects.filter(user=personas.student).update(programme=kok_programme())
    client.force_login(personas.student)
    response = client.post(
        "/student/profiel/",
        {**profile_form(), "cv": SimpleUploadedFile("mijn cv.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    profile = StudentProfile.objects.get(user=personas.student)
    assert profile.home_pc4_id == "1094" and profile.activity_tags == ["bakken", "koken"]
    assert profile.cv and client.get(f"/studenten/{personas.student.pk}/cv/").status_code == 200


def test_a_non_pdf_cv_is_refused_with_a_message_and_nothing_changes(client, personas):
    from stagebrug.accounts.models import Membership

    Membership.objects.filter(user=personas.student).update(programme=kok_programme())
    client.force_login(personas.student)
    html = client.post(
        "/student/profiel/",
        {
            **profile_form(),
            "cv": SimpleUploadedFile("cv.pdf", b"MZ this is an exe", "application/pdf"),
        },
    ).content.decode()
    assert "PDF" in html and 'aria-invalid="true"' in html


def test_an_oversized_cv_is_refused(client, personas, settings):
    from stagebrug.accounts.models import Membership

    settings.CV_MAX_BYTES = 100
    Membership.objects.filter(user=personas.student).update(programme=kok_programme())
    client.force_login(personas.student)
    html = client.post(
        "/student/profiel/",
        {**profile_form(), "cv": SimpleUploadedFile("cv.pdf", PDF * 10, "application/pdf")},
    ).content.decode()
    assert "MB" in html


def test_the_cv_is_never_public(client, personas, kok_student):
    services.profile_set_cv(profile=kok_student, by=personas.student, name="cv.pdf", content=PDF)
    url = f"/studenten/{personas.student.pk}/cv/"
    assert client.get(url).status_code == 302  # to the login page
    for who in ("owner", "outsider", "coordinator", "teacher"):
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 404, who


def test_a_business_reads_the_cv_of_a_student_who_applied(client, personas, kok_student, published):
    services.profile_set_cv(profile=kok_student, by=personas.student, name="cv.pdf", content=PDF)
    services.application_create(
        student=personas.student, placement=published, motivation="Ik wil graag bij jullie koken!"
    )
    client.force_login(personas.owner)
    response = client.get(f"/studenten/{personas.student.pk}/cv/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(personas.outsider)
    assert client.get(f"/studenten/{personas.student.pk}/cv/").status_code == 404


def test_apply_shortlist_interview_offer_accept_in_the_browser(
    client, personas, kok_student, published
):
    client.force_login(personas.student)
    response = client.post(
        f"/stages/{published.pk}/solliciteren/",
        {"motivation": "Ik kook elke dag thuis en wil het vak leren."},
    )
    application = Application.objects.get()
    assert response["Location"] == f"/sollicitaties/{application.pk}/"
    client.force_login(personas.owner)
    client.post(f"/sollicitaties/{application.pk}/shortlist/")
    starts = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/sollicitaties/{application.pk}/gesprek/",
        {"starts_at": starts, "duration_minutes": "30", "location": "Javastraat 1"},
    )
    interview = application.interviews.get()
    ics = client.get(f"/gesprekken/{interview.pk}/agenda.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    client.post(f"/sollicitaties/{application.pk}/aanbod/")
    client.force_login(personas.student)
    assert client.get(f"/gesprekken/{interview.pk}/agenda.ics").status_code == 200
    client.post(f"/sollicitaties/{application.pk}/accepteren/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    client.force_login(personas.outsider)
    assert client.get(f"/gesprekken/{interview.pk}/agenda.ics").status_code == 404
    assert client.get(f"/sollicitaties/{application.pk}/").status_code == 404


def test_turning_down_without_a_reason_is_refused(client, personas, kok_student, published):
    application = services.application_create(
        student=personas.student, placement=published, motivation="Ik kook elke dag en wil leren."
    )
    client.force_login(personas.owner)
    client.post(f"/sollicitaties/{application.pk}/afwijzen/", {"reason": ""})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED


def test_the_inbox_lists_and_marks_notifications(client, personas, kok_student, published):
    services.application_create(
        student=personas.student, placement=published, motivation="Ik kook elke dag en wil leren."
    )
    client.force_login(personas.owner)
    html = client.get("/meldingen/").content.decode()
    assert published.title in html
    client.post("/meldingen/")
    assert not Notification.objects.filter(user=personas.owner, read_at=None).exists()


def test_placement_applications_list_runs_a_constant_number_of_queries(
    client, personas, kok_student, published, django_assert_max_num_queries
):
    from tests.applications.test_services import student

    client.force_login(personas.owner)
    services.application_create(
        student=personas.student, placement=published, motivation="Ik kook elke dag en wil leren."
    )
    with django_assert_max_num_queries(12):
        client.get(f"/stageplaatsen/{published.pk}/sollicitaties/")
    for _ in range(5):
        services.application_create(
            student=student(), placement=published, motivation="Ik kook elke dag en wil leren."
        )
    with django_assert_max_num_queries(12):
        client.get(f"/stageplaatsen/{published.pk}/sollicitaties/")


def test_privacy_export_includes_profile_and_applications(client, personas, kok_student, published):
    services.application_create(
        student=personas.student, placement=published, motivation="Ik kook elke dag en wil leren."
    )
    client.force_login(personas.student)
    data = client.get("/account/mijn-gegevens/?format=json").json()
    assert data["student_profile"]["home_postcode_area"] == "1094"
    assert data["applications"][0]["placement"] == published.title


def test_a_bad_cv_saves_nothing_at_all(client, personas):
    from stagebrug.accounts.models import Membership

    Membership.objects.filter(user=personas.student).update(programme=kok_programme())
    client.force_login(personas.student)
    client.post(
        "/student/profiel/",
        {**profile_form(), "cv": SimpleUploadedFile("cv.pdf", b"not a pdf", "application/pdf")},
    )
    assert not StudentProfile.objects.filter(user=personas.student).exists()


def test_only_students_have_a_student_profile(client, personas):
    client.force_login(personas.owner)
    client.post("/student/profiel/", profile_form())
    assert not StudentProfile.objects.filter(user=personas.owner).exists()
