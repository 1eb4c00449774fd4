"""Bad input gets a clear answer, never a server error (found by review; each was a 500)."""

import json

import pytest

from stagebrug.accounts.services import api_token_create
from stagebrug.applications import services as application_services
from stagebrug.applications.models import ApplicationStatus
from stagebrug.core.models import AuditEvent
from stagebrug.placements import services as placement_services
from stagebrug.placements.models import Placement
from tests.dates import YEAR, iso
from tests.placements.factories import kok_programme, make_placement

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Stage keuken (MBO 2)",
    "kind": "mbo_bol",
    "levels": ["2"],
    "description": "Je werkt mee in onze keuken.",
    "activities": "Groenten snijden\nSoep maken",
    "hours_per_week": "32",
    "duration_weeks": "20",
    "positions": "1",
    "allowance_amount": "2",
    "allowance_unit": "hour",
    "allowance_basis": "net",
}


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(user=user, name="t")[1]}


@pytest.mark.parametrize("start", ["", f"{YEAR}-02-30"])
def test_a_placement_without_a_valid_start_date_shows_a_field_error(client, recognised, start):
    p = recognised
    client.force_login(p.owner)
    data = {
        **FORM,
        "location": p.company.locations.first().pk,
        "programmes": [kok_programme().pk],
        "start_date_1": start,
    }
    response = client.post(f"/bedrijven/{p.company.pk}/stages/nieuw/", data)
    assert response.status_code == 200
    assert 'id="id_start_date_1_error"' in response.content.decode()
    assert not Placement.objects.exists()


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e400"])
def test_a_non_finite_allowance_is_refused_and_the_advice_panel_copes(client, recognised, amount):
    p = recognised
    client.force_login(p.owner)
    data = {
        **FORM,
        "location": p.company.locations.first().pk,
        "programmes": [kok_programme().pk],
        "start_date_1": iso(2, 1),
        "allowance_amount": amount,
    }
    assert client.post(f"/bedrijven/{p.company.pk}/stages/advies/", data).status_code == 200
    assert client.post(f"/bedrijven/{p.company.pk}/stages/nieuw/", data).status_code == 200
    assert not Placement.objects.exists()


def test_start_dates_in_the_past_are_refused(recognised):
    from django.core.exceptions import ValidationError

    p = recognised
    with pytest.raises(ValidationError) as info:
        make_placement(p.company, p.owner, start_dates=["2020-01-01"])
    assert "start_dates" in info.value.message_dict


@pytest.mark.parametrize(
    "url",
    [
        "/stages/?page=922337203685477580",
        "/stages/?page=abc",
        "/api/v1/placements?page=1000000000000000000",
        "/api/v1/programmes/99999999999999999999999",
        "/bedrijven/?page=99999999999999999999",
    ],
)
def test_huge_numbers_in_urls_are_a_4xx_or_an_empty_page(client, url):
    response = client.get(url)
    assert response.status_code < 500


def test_huge_ids_in_a_form_are_refused(client, recognised):
    p = recognised
    client.force_login(p.owner)
    data = {
        **FORM,
        "location": p.company.locations.first().pk,
        "programmes": ["99999999999999999999999"],
        "start_date_1": iso(2, 1),
    }
    assert client.post(f"/bedrijven/{p.company.pk}/stages/nieuw/", data).status_code in (200, 400)
    api = client.post(
        f"/api/v1/placements?company={p.company.pk}",
        {
            **{k: v for k, v in FORM.items() if k not in ("levels", "activities")},
            "levels": [2],
            "activities": ["x"],
            "location": p.company.locations.first().pk,
            "programmes": [10**20],
            "start_dates": [iso(2, 1)],
        },
        content_type="application/json",
        **bearer(p.owner),
    )
    assert 400 <= api.status_code < 500


def test_an_interview_time_without_timezone_is_read_as_dutch_time(
    client, recognised, kok_student, published
):
    application = application_services.application_create(
        student=recognised.student, placement=published, motivation="Ik kook elke dag en wil leren."
    )
    response = client.post(
        f"/api/v1/applications/{application.pk}/interviews",
        {"starts_at": f"{iso(1, 15)}T10:00:00", "location": "Javastraat 1"},
        content_type="application/json",
        **bearer(recognised.owner),
    )
    assert response.status_code == 201, response.content
    assert application.interviews.get().starts_at.astimezone().hour in (10, 9)


def test_a_location_in_use_cannot_be_deleted(client, recognised):
    from stagebrug.registry import services as registry_services

    p = recognised
    second = registry_services.location_create(
        company=p.company,
        by=p.owner,
        name="Filiaal",
        street="Damrak",
        house_number="1",
        postcode="1012 LG",
        city="Amsterdam",
    )
    make_placement(p.company, p.owner, location=second)
    response = client.delete(
        f"/api/v1/companies/{p.company.pk}/locations/{second.pk}", **bearer(p.owner)
    )
    assert response.status_code == 400
    client.force_login(p.owner)
    client.post(f"/bedrijven/{p.company.pk}/locaties/{second.pk}/verwijderen/")
    assert p.company.locations.filter(pk=second.pk).exists()


def test_the_jsonld_cannot_be_closed_by_a_company_name(client, recognised, published):
    from stagebrug.registry import services as registry_services

    evil = "Bakkerij</script><script>alert(1)</script>"
    registry_services.company_update(company=recognised.company, by=recognised.owner, name=evil)
    html = client.get(published.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["hiringOrganization"]["name"] == evil  # the data itself is intact


def test_closing_a_placement_answers_every_waiting_student(recognised, kok_student, published):
    application = application_services.application_create(
        student=recognised.student, placement=published, motivation="Ik kook elke dag en wil leren."
    )
    placement_services.placement_close(placement=published, by=recognised.owner)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.events.last().reason


def test_a_student_accepts_one_placement_and_the_other_applications_are_withdrawn(
    recognised, kok_student, published
):
    from django.core.exceptions import ValidationError

    p = recognised
    second = make_placement(p.company, p.owner, title="Stage keuken 2 (MBO 2)")
    placement_services.placement_submit(placement=second, by=p.owner)
    placement_services.placement_decide(target=second.targets.get(), by=p.coordinator, approve=True)
    a = application_services.application_create(
        student=p.student, placement=published, motivation="Ik kook elke dag en wil leren."
    )
    b = application_services.application_create(
        student=p.student, placement=second, motivation="Ik kook elke dag en wil leren."
    )
    for application in (a, b):
        application_services.application_move(
            application=application, by=p.owner, to=ApplicationStatus.OFFER
        )
    application_services.offer_accept(application=a, by=p.student)
    b.refresh_from_db()
    assert b.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        application_services.offer_accept(application=b, by=p.student)


def test_a_business_no_longer_reads_the_cv_after_turning_the_student_down(
    client, recognised, kok_student, published
):
    pdf = b"%PDF-1.4\n%%EOF\n"
    application_services.profile_set_cv(
        profile=kok_student, by=recognised.student, name="cv.pdf", content=pdf
    )
    application = application_services.application_create(
        student=recognised.student, placement=published, motivation="Ik kook elke dag en wil leren."
    )
    client.force_login(recognised.owner)
    assert client.get(f"/studenten/{recognised.student.pk}/cv/").status_code == 200
    assert AuditEvent.objects.filter(action="profile.cv_read", actor=recognised.owner).exists()
    application_services.application_move(
        application=application, by=recognised.owner, to=ApplicationStatus.REJECTED, reason="Vol."
    )
    assert client.get(f"/studenten/{recognised.student.pk}/cv/").status_code == 404


def test_erasing_a_student_leaves_no_profile_text_in_the_log(recognised, kok_student):
    from stagebrug.accounts.services import user_erase

    application_services.profile_save(
        user=recognised.student,
        by=recognised.student,
        wanted_activities="Ik heb ADHD en wil koken.",
    )
    user_erase(user=recognised.student)
    assert not AuditEvent.objects.filter(changes__icontains="ADHD").exists()
    assert not AuditEvent.objects.filter(
        object_repr__icontains=recognised.student.full_name
    ).exists()


def test_an_invitation_withdrawn_while_signing_up_leaves_no_account(recognised):
    from django.core.exceptions import ValidationError

    from stagebrug.accounts.models import Role, User
    from stagebrug.accounts.services import invitation_create, invitation_revoke, invitation_signup

    invitation, _raw = invitation_create(
        by=recognised.owner,
        email="laat@a.example",
        role=Role.COMPANY_MEMBER,
        company=recognised.company,
    )
    invitation_revoke(invitation=invitation, by=recognised.owner)
    with pytest.raises(ValidationError):
        invitation_signup(invitation=invitation, full_name="Laat", password="een-lang-wachtwoord")
    assert not User.objects.filter(email="laat@a.example").exists()


def test_review_history_shows_only_the_viewing_schools_decisions(client, recognised):
    from stagebrug.registry.models import EducationLevel, Programme
    from tests.factories import SupervisorFactory

    p = recognised
    SupervisorFactory(
        company=p.company, by=p.owner, name="Hanna HBO", education_level=EducationLevel.BACHELOR
    )
    communicatie = Programme.objects.get(institution__brin="28DN", croho__code="34405")
    placement = make_placement(
        p.company,
        p.owner,
        programmes=[kok_programme(), communicatie],
        is_duo=True,
        levels=[2, 5],
        duration_weeks=20,
        hours_per_week=36,
    )
    placement_services.placement_submit(placement=placement, by=p.owner)
    hva_target = placement.targets.get(programme=communicatie)
    placement_services.placement_decide(
        target=hva_target, by=p.other_coordinator, approve=False, reason="Geheim oordeel HvA"
    )
    roc_target = placement.targets.get(programme=kok_programme())
    client.force_login(p.coordinator)
    html = client.get(f"/scholen/{p.rocva.slug}/stages/{roc_target.pk}/").content.decode()
    assert "Geheim oordeel HvA" not in html
    client.force_login(p.other_coordinator)
    html = client.get(f"/scholen/{p.hva.slug}/stages/{hva_target.pk}/").content.decode()
    assert "Geheim oordeel HvA" in html


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/institutions",
        "/api/v1/programmes",
        "/api/v1/qualifications",
        "/api/v1/companies",
        "/api/v1/me/companies",
        "/api/v1/students/me/applications",
        "/api/v1/me/notifications",
        "/api/v1/internships",
        "/api/v1/schools/roc-van-amsterdam/rounds",
        "/api/v1/schools/roc-van-amsterdam/placements",
    ],
)
def test_a_list_offset_beyond_any_list_is_refused_not_a_500(client, personas, path):
    """The database cannot hold an offset of 10**20; the schema refuses it first (422)."""
    from stagebrug.accounts.services import api_token_create

    _token, raw = api_token_create(user=personas.coordinator, name="t")
    response = client.get(f"{path}?offset={10**20}&limit=5", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422, (path, response.status_code)
    assert "offset" in response.json()["errors"]
