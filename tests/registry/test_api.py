import pytest

from stagebrug.accounts.services import api_token_create
from stagebrug.registry.models import Company, Recognition
from tests.dates import iso
from tests.factories import CompanyFactory, SupervisorFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPANY = {
    "kvk_number": "55512345",
    "name": "Fietsenmakerij Oost",
    "street": "Linnaeusstraat",
    "house_number": "5",
    "postcode": "1092cs",
    "city": "Amsterdam",
    "sector": "95",
    "employee_count": 6,
}


def bearer(user) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_public_lists_need_no_login_and_are_paginated(client):
    body = client.get("/api/v1/programmes?limit=5&offset=0").json()
    assert body["count"] > 80
    assert len(body["items"]) == 5
    first = body["items"][0]
    assert {"name", "institution", "contact", "requirements", "kind"} <= set(first)


def test_programme_search_answers_whom_to_contact_for_a_marketing_intern(client):
    items = client.get("/api/v1/programmes?q=marketing&limit=100").json()["items"]
    names = {i["name"] for i in items}
    assert "Medewerker marketing en communicatie" in names
    assert "Commerciële Economie" in names
    assert all(i["contact"]["email"] for i in items)


def test_programmes_filter_by_institution_kind_and_level(client):
    mbo2 = client.get("/api/v1/programmes?institution=25PZ&kind=mbo&level=2&limit=100").json()[
        "items"
    ]
    assert mbo2 and all(
        p["institution"] == "roc-van-amsterdam" and p["mbo_level"] == 2 for p in mbo2
    )


def test_qualifications_are_searchable_by_crebo_and_level(client):
    body = client.get("/api/v1/qualifications?q=25180").json()
    assert [q["name"] for q in body["items"]] == ["Kok"]
    levels = {
        q["level"] for q in client.get("/api/v1/qualifications?level=1&limit=100").json()["items"]
    }
    assert levels == {1}


def test_company_list_shows_only_public_companies(client):
    CompanyFactory(name="Zichtbaar BV", is_public=True)
    CompanyFactory(name="Verborgen BV", is_public=False)
    names = {c["name"] for c in client.get("/api/v1/companies?limit=100").json()["items"]}
    assert "Zichtbaar BV" in names and "Verborgen BV" not in names


def test_unknown_objects_give_404_with_the_error_shape(client):
    body = client.get("/api/v1/programmes/999999").json()
    assert body["detail"] and body["errors"] == {}
    assert client.get("/api/v1/institutions/nope").status_code == 404


def test_creating_a_company_needs_authentication(client):
    response = client.post("/api/v1/companies", COMPANY, content_type="application/json")
    assert response.status_code == 401
    assert not Company.objects.filter(kvk_number="55512345").exists()


def test_a_token_holder_registers_a_company_and_becomes_its_owner(client):
    user = UserFactory()
    response = client.post(
        "/api/v1/companies", COMPANY, content_type="application/json", **bearer(user)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["postcode"] == "1092 CS" and body["municipality"] == "Amsterdam"
    mine = client.get("/api/v1/me/companies", **bearer(user)).json()["items"]
    assert [c["kvk_number"] for c in mine] == ["55512345"]


@pytest.mark.parametrize(
    "change, field, en_words",
    [
        ({"kvk_number": "5551234"}, "kvk_number", "8 digits"),
        ({"postcode": "ABCD 12"}, "postcode", "4 digits"),
        ({"employee_count": -3}, "employee_count", "below zero"),
        ({"sector": "XX"}, "sector", "Unknown SBI code"),
    ],
)
def test_invalid_company_through_the_api_gives_400_with_a_reason_and_writes_nothing(
    client, change, field, en_words
):
    user = UserFactory()
    response = client.post(
        "/api/v1/companies",
        {**COMPANY, **change},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(user),
    )
    assert response.status_code == 400
    body = response.json()
    assert en_words in " ".join(body["errors"][field])
    assert en_words in body["detail"]
    assert not Company.objects.filter(name="Fietsenmakerij Oost").exists()


def test_api_errors_follow_accept_language(client):
    user = UserFactory()
    response = client.post(
        "/api/v1/companies",
        {**COMPANY, "kvk_number": "1"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nl",
        **bearer(user),
    )
    assert "8 cijfers" in response.json()["detail"]


def test_duplicate_kvk_through_the_api_is_a_400(client):
    CompanyFactory(kvk_number="55512345")
    response = client.post(
        "/api/v1/companies", COMPANY, content_type="application/json", **bearer(UserFactory())
    )
    assert response.status_code == 400
    assert "kvk_number" in response.json()["errors"]


def test_wrongly_typed_input_is_a_422_not_a_500(client):
    response = client.post(
        "/api/v1/companies",
        {**COMPANY, "employee_count": "many"},
        content_type="application/json",
        **bearer(UserFactory()),
    )
    assert response.status_code == 422
    assert "employee_count" in response.json()["errors"]
    response = client.post(
        "/api/v1/companies", "{not json", content_type="application/json", **bearer(UserFactory())
    )
    assert 400 <= response.status_code < 500


def test_recognition_through_the_api_checks_dates_and_crebo(client, personas):
    headers = bearer(personas.owner)
    url = f"/api/v1/companies/{personas.company.pk}/recognitions"
    bad_dates = {
        "leerbedrijf_id": "100234567",
        "crebo": "25180",
        "valid_from": iso(5, 1, -1),
        "valid_until": iso(1, 1, -1),
    }
    assert (
        client.post(url, bad_dates, content_type="application/json", **headers).status_code == 400
    )
    unknown = {"leerbedrijf_id": "100234567", "crebo": "99999", "valid_from": iso(5, 1, -1)}
    assert client.post(url, unknown, content_type="application/json", **headers).json()["errors"][
        "crebo"
    ]
    good = {"leerbedrijf_id": "100234567", "crebo": "25180", "valid_from": iso(5, 1, -1)}
    response = client.post(url, good, content_type="application/json", **headers)
    assert response.status_code == 201
    assert response.json()["valid_until"] == iso(4, 30, 3)
    assert Recognition.objects.filter(company=personas.company).count() == 1


def test_company_children_can_be_updated_and_deleted_through_the_api(client, personas):
    headers = bearer(personas.owner)
    supervisor = SupervisorFactory(company=personas.company, by=personas.owner)
    url = f"/api/v1/companies/{personas.company.pk}/supervisors/{supervisor.pk}"
    response = client.patch(url, {"job_title": "Buddy"}, content_type="application/json", **headers)
    assert response.status_code == 200 and response.json()["job_title"] == "Buddy"
    assert client.delete(url, **headers).status_code == 204
    assert client.delete(url, **headers).status_code == 404


def test_revoked_tokens_stop_working(client):
    from stagebrug.accounts.services import api_token_revoke

    user = UserFactory()
    token, raw = api_token_create(user=user, name="x")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me/companies", **headers).status_code == 200
    api_token_revoke(token=token, by=user)
    assert client.get("/api/v1/me/companies", **headers).status_code == 401


def test_coordinator_replaces_requirements_through_the_api(client, personas):
    programme = personas.rocva.programmes.first()
    url = f"/api/v1/programmes/{programme.pk}/requirements"
    payload = {
        "hours_per_week_min": 20,
        "hours_per_week_max": 32,
        "start_months": [9, 2],
        "learning_outcomes": ["Koken"],
    }
    response = client.put(
        url, payload, content_type="application/json", **bearer(personas.coordinator)
    )
    assert response.status_code == 200
    assert response.json()["start_months"] == [2, 9]
    assert (
        client.put(
            url, payload, content_type="application/json", **bearer(personas.other_coordinator)
        ).status_code
        == 404
    )
    bad = {**payload, "hours_per_week_min": 50, "hours_per_week_max": 10}
    assert (
        client.put(
            url, bad, content_type="application/json", **bearer(personas.coordinator)
        ).status_code
        == 400
    )


def test_openapi_document_describes_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/institutions",
        "/api/v1/programmes",
        "/api/v1/qualifications",
        "/api/v1/companies",
    ):
        assert path in doc["paths"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/v1/companies", "/api/v1/programmes", "/api/v1/qualifications", "/api/v1/institutions"],
)
def test_api_lists_run_a_constant_number_of_queries(client, django_assert_max_num_queries, path):
    if path == "/api/v1/companies":
        for _ in range(3):
            CompanyFactory()
    with django_assert_max_num_queries(3):
        small = client.get(f"{path}?limit=2").json()
    with django_assert_max_num_queries(3):
        large = client.get(f"{path}?limit=100").json()
    assert len(large["items"]) > len(small["items"]) or large["count"] <= 2
