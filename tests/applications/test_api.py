import datetime as dt

import pytest
from django.utils import timezone

from stagebrug.accounts.services import api_token_create
from stagebrug.applications.models import Application
from tests.placements.factories import kok_programme

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(user=user, name="t")[1]}


def test_profile_apply_and_the_whole_path_through_the_api(client, personas, published):
    from stagebrug.accounts.models import Membership

    Membership.objects.filter(user=personas.student).update(programme=kok_programme())
    student, owner = bearer(personas.student), bearer(personas.owner)
    response = client.put(
        "/api/v1/students/me/profile",
        {
            "programme": kok_programme().pk,
            "home_postcode": "1094 HB",
            "hours_per_week": 32,
            "activity_tags": ["Koken"],
        },
        content_type="application/json",
        **student,
    )
    assert response.status_code == 200 and response.json()["home_pc4"] == "1094"
    response = client.post(
        f"/api/v1/placements/{published.pk}/applications",
        {"motivation": "Ik kook elke dag en wil leren."},
        content_type="application/json",
        **student,
    )
    assert response.status_code == 201
    aid = response.json()["id"]
    assert (
        client.post(
            f"/api/v1/applications/{aid}/status",
            {"status": "shortlisted"},
            content_type="application/json",
            **owner,
        ).json()["status"]
        == "shortlisted"
    )
    starts = (timezone.now() + dt.timedelta(days=2)).isoformat()
    interview = client.post(
        f"/api/v1/applications/{aid}/interviews",
        {"starts_at": starts, "location": "Javastraat 1"},
        content_type="application/json",
        **owner,
    ).json()
    assert (
        client.get(
            interview["ics_url"]
            .replace("/gesprekken/", "/api/v1/interviews/")
            .replace("/agenda.ics", "/ics"),
            **student,
        ).status_code
        == 200
    )
    client.post(
        f"/api/v1/applications/{aid}/messages",
        {"body": "Tot dinsdag!"},
        content_type="application/json",
        **owner,
    )
    assert (
        client.post(
            f"/api/v1/applications/{aid}/status",
            {"status": "offer"},
            content_type="application/json",
            **owner,
        ).status_code
        == 200
    )
    accepted = client.post(f"/api/v1/applications/{aid}/accept", **student)
    assert accepted.status_code == 201
    detail = client.get(f"/api/v1/applications/{aid}", **student).json()
    assert detail["status"] == "accepted" and detail["messages"][0]["body"] == "Tot dinsdag!"
    assert client.get("/api/v1/me/notifications", **student).json()


def test_bad_input_through_the_api_is_a_4xx_with_a_reason(client, personas, kok_student, published):
    student, owner = bearer(personas.student), bearer(personas.owner)
    short = client.post(
        f"/api/v1/placements/{published.pk}/applications",
        {"motivation": "hoi"},
        content_type="application/json",
        **student,
    )
    assert short.status_code == 400 and "motivation" in short.json()["errors"]
    aid = client.post(
        f"/api/v1/placements/{published.pk}/applications",
        {"motivation": "Ik kook elke dag en wil leren."},
        content_type="application/json",
        **student,
    ).json()["id"]
    again = client.post(
        f"/api/v1/placements/{published.pk}/applications",
        {"motivation": "Ik kook elke dag en wil leren."},
        content_type="application/json",
        **student,
    )
    assert again.status_code == 400
    assert (
        client.post(
            f"/api/v1/applications/{aid}/status",
            {"status": "rejected"},
            content_type="application/json",
            **owner,
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/api/v1/applications/{aid}/status",
            {"status": "accepted"},
            content_type="application/json",
            **owner,
        ).status_code
        == 400
    )
    assert (
        client.post(f"/api/v1/applications/{aid}/accept", **student).status_code == 400
    )  # no offer yet
    assert (
        client.post(
            f"/api/v1/applications/{aid}/status",
            {"status": "offer"},
            content_type="application/json",
            **student,
        ).status_code
        == 404
    )
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert (
        client.post(
            f"/api/v1/applications/{aid}/interviews",
            {"starts_at": past, "location": "x"},
            content_type="application/json",
            **owner,
        ).status_code
        == 400
    )
    pdf = client.post("/api/v1/students/me/cv", {"file": ("cv.txt", b"not a pdf")}, **student)
    assert pdf.status_code in (400, 422)
    assert Application.objects.get(pk=aid).status == "applied"


def test_outsiders_get_404_on_someone_elses_application(client, personas, kok_student, published):
    aid = client.post(
        f"/api/v1/placements/{published.pk}/applications",
        {"motivation": "Ik kook elke dag en wil leren."},
        content_type="application/json",
        **bearer(personas.student),
    ).json()["id"]
    for who in ("outsider", "coordinator", "teacher", "supervisor"):
        headers = bearer(getattr(personas, who))
        assert client.get(f"/api/v1/applications/{aid}", **headers).status_code == 404, who
        assert (
            client.post(
                f"/api/v1/applications/{aid}/messages",
                {"body": "x"},
                content_type="application/json",
                **headers,
            ).status_code
            == 404
        )
