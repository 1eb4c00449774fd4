"""The insight API: the same figures, permissions and suppression as the pages."""

from __future__ import annotations

import pytest

from stagebrug.accounts.services import api_token_create
from stagebrug.insights import charts
from stagebrug.insights import refresh as m
from tests.insights.conftest import SCHOOL_YEAR
from tests.insights.figures import put, refreshed
from tests.placements.factories import communicatie_programme, kok_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(personas):
    put(m.PLACES, 12, programme=kok_programme())
    put(m.LOOKING, 3, programme=kok_programme(), sector=None)
    put(m.PLACES, 40, programme=communicatie_programme(), sector="M")
    put(m.LOOKING, 30, programme=communicatie_programme(), sector=None)
    return refreshed()


def cells_of(answer: dict, label: str) -> dict:
    (row,) = [r for r in answer["rows"] if r["label"] == label]
    return row["cells"]


def test_the_chart_list_says_what_each_chart_counts(client):
    answer = client.get("/api/v1/insights/charts").json()
    assert [c["slug"] for c in answer] == [c.slug for c in charts.CHARTS]
    assert all(c["about"] for c in answer)


def test_the_operator_reads_a_chart_of_the_region(client, personas, figures):
    client.force_login(personas.operator)
    response = client.get("/api/v1/insights/charts/levels", {"school_year": SCHOOL_YEAR})
    assert response.status_code == 200
    answer = response.json()
    assert answer["school_year"] == SCHOOL_YEAR and answer["refreshed_at"]
    assert [c["key"] for c in answer["columns"]] == ["places", "looking", "placed", "per_student"]
    mbo2 = cells_of(answer, "MBO 2")
    assert mbo2["places"] == {"value": 12, "text": "12", "suppressed": False}
    assert mbo2["looking"] == {"value": None, "text": "<5", "suppressed": True}
    assert mbo2["per_student"]["value"] is None
    assert cells_of(answer, "HBO")["per_student"]["value"] == 1.3


def test_filters_work_as_on_the_page(client, personas, figures):
    client.force_login(personas.operator)
    answer = client.get("/api/v1/insights/charts/levels", {"school": personas.hva.pk}).json()
    assert cells_of(answer, "MBO 2")["places"]["value"] is None
    assert cells_of(answer, "HBO")["places"]["value"] == 40
    answer = client.get("/api/v1/insights/charts/levels", {"level": 2}).json()
    assert [r["label"] for r in answer["rows"]] == ["MBO 2"]


def test_a_personal_token_of_the_operator_reads_it_too(client, personas, figures):
    _token, raw = api_token_create(user=personas.operator, name="dashboard")
    response = client.get("/api/v1/insights/charts/sectors", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_only_the_operator_reads_the_regions_charts(client, personas, figures):
    assert client.get("/api/v1/insights/charts/levels").status_code == 401
    client.force_login(personas.coordinator)
    response = client.get("/api/v1/insights/charts/levels")
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}


def test_a_coordinator_reads_their_own_schools_charts(client, personas, figures):
    client.force_login(personas.other_coordinator)
    answer = client.get(f"/api/v1/schools/{personas.hva.slug}/insights/levels").json()
    assert cells_of(answer, "HBO")["places"]["value"] == 40
    assert cells_of(answer, "MBO 2")["places"]["value"] is None  # ROC van Amsterdam's


def test_another_schools_charts_are_not_found(client, personas, figures):
    client.force_login(personas.coordinator)
    response = client.get(f"/api/v1/schools/{personas.hva.slug}/insights/levels")
    assert response.status_code == 404
    assert response.json()["detail"]
    client.force_login(personas.student)
    assert client.get(f"/api/v1/schools/{personas.rocva.slug}/insights/levels").status_code == 404


def test_an_unknown_chart_or_bad_filter_is_refused_in_the_api_shape(client, personas, figures):
    client.force_login(personas.operator)
    assert client.get("/api/v1/insights/charts/nonsense").status_code == 404
    response = client.get("/api/v1/insights/charts/levels", {"level": 9})
    assert response.status_code == 422
    assert "level" in response.json()["errors"]


def test_everyone_reads_the_chance_of_a_place(client, personas, figures):
    answer = client.get("/api/v1/insights/chance", {"school_year": SCHOOL_YEAR}).json()
    communicatie = cells_of(answer, "Communicatie (HBO bachelor)")
    assert communicatie["places"]["value"] == 40 and communicatie["looking"]["value"] == 30
    assert communicatie["chance"]["text"] == "Fair"
    kok = cells_of(answer, "Kok (MBO 2)")
    assert kok["looking"]["value"] is None and kok["chance"]["text"] == ""


def test_a_long_chart_comes_a_page_at_a_time(client, personas, figures):
    client.force_login(personas.operator)
    first = client.get("/api/v1/insights/charts/programmes", {"limit": 1}).json()
    second = client.get("/api/v1/insights/charts/programmes", {"limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 2
    assert [r["label"] for r in first["rows"] + second["rows"]] == [
        "Communicatie (HBO bachelor)",
        "Kok (MBO 2)",
    ]
    assert client.get("/api/v1/insights/charts/programmes", {"limit": 0}).status_code == 422


@pytest.mark.parametrize(
    "query", [{"sector": "\x00"}, {"sector": "I\x00"}, {"municipality": "0363\x00"}]
)
def test_a_nul_byte_in_a_filter_is_refused_not_a_500(client, personas, figures, query):
    # PostgreSQL refuses text with a NUL byte: it is stopped before the query, naming the field.
    client.force_login(personas.operator)
    for url in (
        "/api/v1/insights/charts/levels",
        f"/api/v1/schools/{personas.rocva.slug}/insights/levels",
    ):
        response = client.get(url, query)
        assert response.status_code in (400, 422), url
        assert set(query) <= set(response.json()["errors"])


def test_a_school_address_with_a_nul_byte_is_refused(client, personas, figures):
    client.force_login(personas.operator)
    response = client.get("/api/v1/schools/roc%00/insights/levels")
    assert response.status_code in (400, 404)
    assert response.json()["detail"]
