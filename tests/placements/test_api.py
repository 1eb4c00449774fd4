import pytest

from stagebrug.accounts.services import api_token_create
from stagebrug.placements import services
from stagebrug.placements.models import Placement, Status
from tests.dates import YEAR, iso
from tests.placements.factories import kok_programme, make_placement

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _t, raw = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def payload(company, **overrides) -> dict:
    data = {
        "location": company.locations.first().pk,
        "title": "Stage keuken (MBO 2)",
        "description": "Je werkt mee in onze keuken.",
        "activities": ["Groenten snijden", "Soep maken", "Afwassen"],
        "kind": "mbo_bol",
        "levels": [2],
        "programmes": [kok_programme().pk],
        "hours_per_week": 32,
        "duration_weeks": 20,
        "start_dates": [iso(2, 1)],
        "allowance_amount": "2.00",
        "allowance_unit": "hour",
        "allowance_basis": "net",
        "supervision_hours_per_week": "2",
    }
    data.update(overrides)
    return data


def test_route_answers_with_ranked_programmes_and_reasons(client):
    response = client.post(
        "/api/v1/placements/route",
        {
            "title": "Stage social media",
            "description": "Je maakt posts en campagnes.",
            "activities": ["Instagram posts maken", "Content plannen"],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    items = response.json()
    assert items and items == sorted(items, key=lambda i: -i["score"])
    top3 = " ".join(i["name"].lower() for i in items[:3])
    assert "marketing" in top3 or "communicatie" in top3
    assert items[0]["reasons"] and items[0]["programmes"][0]["url"].startswith("/scholen/")


def test_route_refuses_a_missing_title_with_422(client):
    response = client.post(
        "/api/v1/placements/route", {"description": "x"}, content_type="application/json"
    )
    assert response.status_code == 422 and "title" in response.json()["errors"]


def test_the_full_life_cycle_through_the_api(client, recognised):
    p = recognised
    owner = bearer(p.owner)
    response = client.post(
        f"/api/v1/placements?company={p.company.pk}",
        payload(p.company),
        content_type="application/json",
        **owner,
    )
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    assert response.json()["status"] == "draft"
    response = client.patch(
        f"/api/v1/placements/{pid}",
        {"hours_per_week": 30},
        content_type="application/json",
        **owner,
    )
    assert response.json()["hours_per_week"] == 30
    eligibility = client.post(f"/api/v1/placements/{pid}/eligibility", **owner).json()
    assert eligibility["eligible_for"] == [kok_programme().pk]
    assert {v["rule"] for v in eligibility["programmes"][0]["verdicts"]} >= {
        "kind",
        "level",
        "recognition",
    }
    quality = client.post(f"/api/v1/placements/{pid}/quality", **owner).json()
    assert 0 < quality["score"] <= 100 and quality["checks"]
    assert client.post(f"/api/v1/placements/{pid}/submit", **owner).json()["status"] == "submitted"
    target = Placement.objects.get(pk=pid).targets.get()
    school = bearer(p.coordinator)
    queue = client.get(
        f"/api/v1/schools/{p.rocva.slug}/placements?decision=pending", **school
    ).json()
    assert [q["id"] for q in queue["items"]] == [target.pk]
    decided = client.post(
        f"/api/v1/placement-targets/{target.pk}/decision",
        {"approve": True},
        content_type="application/json",
        **school,
    )
    assert decided.json()["decision"] == "approved"
    public = client.get(f"/api/v1/placements/{pid}").json()
    assert public["status"] == "published"
    found = client.get("/api/v1/placements?q=soep").json()
    assert [i["id"] for i in found["items"]] == [pid]
    assert client.post(f"/api/v1/placements/{pid}/withdraw", **owner).json()["status"] == "draft"


def test_submit_through_the_api_gives_the_same_refusal_as_the_browser(client, personas):
    owner = bearer(personas.owner)
    pid = client.post(
        f"/api/v1/placements?company={personas.company.pk}",
        payload(personas.company),
        content_type="application/json",
        **owner,
    ).json()["id"]
    response = client.post(f"/api/v1/placements/{pid}/submit", HTTP_ACCEPT_LANGUAGE="en", **owner)
    assert response.status_code == 400
    assert "no SBB recognition" in response.json()["errors"]["programmes"][0]
    assert Placement.objects.get(pk=pid).status == Status.DRAFT


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"allowance_amount": "-1"}, "allowance_amount"),
        ({"positions": 0}, "positions"),
        ({"start_dates": []}, "start_dates"),
        ({"programmes": [999999]}, "programmes"),
        ({"title": "<script>alert(1)</script>"}, "title"),
        ({"programmes": []}, "programmes"),
    ],
)
def test_bad_placement_input_through_the_api_is_a_400_naming_the_field(
    client, recognised, overrides, field
):
    p = recognised
    response = client.post(
        f"/api/v1/placements?company={p.company.pk}",
        payload(p.company, **overrides),
        content_type="application/json",
        **bearer(p.owner),
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Placement.objects.exists()


def test_end_before_start_and_unknown_types_are_refused(client, recognised):
    p = recognised
    bad_date = client.post(
        f"/api/v1/placements?company={p.company.pk}",
        payload(p.company, start_dates=[f"{YEAR}-13-01"]),
        content_type="application/json",
        **bearer(p.owner),
    )
    assert bad_date.status_code == 422
    bad_type = client.post(
        f"/api/v1/placements?company={p.company.pk}",
        payload(p.company, hours_per_week="veel"),
        content_type="application/json",
        **bearer(p.owner),
    )
    assert bad_type.status_code == 422


def test_others_cannot_touch_a_placement_through_the_api(client, recognised):
    p = recognised
    pid = client.post(
        f"/api/v1/placements?company={p.company.pk}",
        payload(p.company),
        content_type="application/json",
        **bearer(p.owner),
    ).json()["id"]
    for user in (p.outsider, p.other_coordinator, p.student):
        headers = bearer(user)
        assert client.get(f"/api/v1/placements/{pid}", **headers).status_code == 404
        assert client.patch(
            f"/api/v1/placements/{pid}", {"title": "x"}, content_type="application/json", **headers
        ).status_code in (403, 404)
        assert client.post(f"/api/v1/placements/{pid}/submit", **headers).status_code in (403, 404)
        assert client.post(f"/api/v1/placements/{pid}/eligibility", **headers).status_code == 404
    assert (
        client.post(
            f"/api/v1/placements?company={p.company.pk}",
            payload(p.company),
            content_type="application/json",
            **bearer(p.outsider),
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/placements/{pid}").status_code == 404  # a draft is not public


def test_patch_empties_optional_fields_refuses_emptying_required_ones_and_absurd_amounts(
    client, recognised
):
    p = recognised
    owner = bearer(p.owner)
    pid = client.post(
        f"/api/v1/placements?company={p.company.pk}",
        payload(p.company, learning="Zelfstandig koken"),
        content_type="application/json",
        **owner,
    ).json()["id"]
    url = f"/api/v1/placements/{pid}"
    cleared = client.patch(url, {"learning": None}, content_type="application/json", **owner)
    assert cleared.status_code == 200 and cleared.json()["learning"] == ""
    required = client.patch(url, {"title": None}, content_type="application/json", **owner)
    assert required.status_code == 400 and "title" in required.json()["errors"]
    huge = client.patch(url, {"allowance_amount": "1e30"}, content_type="application/json", **owner)
    assert huge.status_code == 422
    per_hour = client.patch(
        url,
        {"allowance_amount": "99999", "allowance_unit": "hour"},
        content_type="application/json",
        **owner,
    )
    assert per_hour.status_code == 400 and "allowance_amount" in per_hour.json()["errors"]
    assert Placement.objects.get(pk=pid).title == payload(p.company)["title"]


def test_schools_read_a_placement_only_once_it_is_offered_to_them(client, recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    urls = [f"/api/v1/placements/{placement.pk}/{what}" for what in ("eligibility", "quality")]
    for person in (p.coordinator, p.teacher, p.other_coordinator):
        for url in urls:
            assert client.post(url, **bearer(person)).status_code == 404  # a draft is private
    services.placement_submit(placement=placement, by=p.owner)
    for url in urls:
        assert client.post(url, **bearer(p.coordinator)).status_code == 200
        assert client.post(url, **bearer(p.teacher)).status_code == 404  # coordinators review
        assert client.post(url, **bearer(p.other_coordinator)).status_code == 404


def test_a_duo_is_created_with_its_seats_through_the_api(client, personas):
    """W21: the seats are given and read back; a duo without an HBO seat is refused with 400."""
    from tests.placements.factories import communicatie_programme

    owner = bearer(personas.owner)
    duo = payload(
        personas.company,
        is_duo=True,
        programmes=[kok_programme().pk, communicatie_programme().pk],
        mbo_seats=2,
        hbo_seats=1,
    )
    url = f"/api/v1/placements?company={personas.company.pk}"
    created = client.post(url, duo, content_type="application/json", **owner)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["mbo_seats"], body["hbo_seats"], body["positions"]) == (2, 1, 3)
    refused = client.post(url, {**duo, "hbo_seats": 0}, content_type="application/json", **owner)
    assert refused.status_code == 400 and "hbo_seats" in refused.json()["errors"]
