"""The insight pages: every chart with its table, filters, freshness and CSV; what each role
may see; constant query counts."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stagebrug.insights import charts
from stagebrug.insights import refresh as m
from stagebrug.registry.models import Programme
from tests.insights.conftest import SCHOOL_YEAR
from tests.insights.figures import AMSTERDAM, ROW, chart_data, put, refreshed, table
from tests.placements.factories import communicatie_programme, kok_programme

pytestmark = pytest.mark.django_db

SLUGS = [c.slug for c in charts.CHARTS]


def region_url(slug: str = "") -> str:
    return f"/inzicht/{slug}/" if slug else "/inzicht/"


def school_url(school, slug: str = "") -> str:
    return f"/scholen/{school.slug}/inzicht/{slug}/" if slug else f"/scholen/{school.slug}/inzicht/"


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def kok_figures(personas):
    """Kok (ROC van Amsterdam, MBO 2): 12 places, 9 students looking, 4 placed; Communicatie
    (HvA) 40 places, 30 looking."""
    kok, communicatie = kok_programme(), communicatie_programme()
    put(m.PLACES, 12, programme=kok)
    put(m.TAKEN, 4, programme=kok)
    put(m.LOOKING, 9, programme=kok, sector=None)
    put(m.PLACED, 4, programme=kok)
    put(m.PLACES, 40, programme=communicatie, sector="M")
    put(m.LOOKING, 30, programme=communicatie, sector=None)
    refreshed()
    return kok, communicatie


# --------------------------------------------------------------------------------------------
# What the pages show


@pytest.mark.parametrize("slug", SLUGS)
def test_the_operator_sees_every_chart_with_its_table_freshness_and_csv(
    client, personas, kok_figures, slug
):
    client.force_login(personas.operator)
    response = client.get(region_url(slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-data" type="application/json"' in html
    assert '<canvas data-chart="chart-data" role="img"' in html
    assert f'id="table-{slug}"' in html
    assert "Figures as of" in html
    assert f"/inzicht/{slug}.csv" in html
    assert read_csv(client.get(f"/inzicht/{slug}.csv"))[0][0]  # a header row


@pytest.mark.parametrize("slug", SLUGS)
def test_no_chart_page_runs_inline_script(client, personas, kok_figures, slug):
    client.force_login(personas.operator)
    html = client.get(region_url(slug)).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "onload=" not in html and "onclick=" not in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html


def test_supply_and_demand_by_level_shows_what_may_be_shown(client, personas, kok_figures):
    client.force_login(personas.operator)
    rows = table(client.get(region_url("levels")).content.decode())
    # Places offered, students looking, students placed, places per student looking.
    assert rows["MBO 2"] == ["12", "9", "&lt;5", "1.3"]
    assert rows["HBO"] == ["40", "30", "&lt;5", "1.3"]
    assert rows["MBO 1"] == ["&lt;5", "&lt;5", "&lt;5", "–"]


def test_a_rate_is_hidden_when_one_of_its_counts_is(client, personas, kok_figures):
    client.force_login(personas.operator)
    rows = table(client.get(region_url("sectors")).content.decode())
    assert rows["I ACCOMMODATION AND FOOD SERVICE ACTIVITIES"] == ["12", "&lt;5", "–", "&lt;5"]


def test_the_chart_draws_no_number_the_table_hides(client, personas, kok_figures):
    client.force_login(personas.operator)
    data = chart_data(client.get(region_url("levels")).content.decode())
    assert data["labels"] == ["MBO 1", "MBO 2", "MBO 3", "MBO 4", "HBO"]
    series = {d["label"]: d["data"] for d in data["datasets"]}
    assert series["Places offered"] == [None, 12, None, None, 40]
    for values in series.values():
        assert all(v is None or v >= 5 for v in values)


def test_filters_narrow_the_figures(client, personas, kok_figures):
    kok, _communicatie = kok_figures
    client.force_login(personas.operator)
    by_level = table(client.get(region_url("levels"), {"level": 5}).content.decode())
    assert list(by_level) == ["HBO"]
    only_hva = table(client.get(region_url("levels"), {"school": personas.hva.pk}).content.decode())
    assert only_hva["MBO 2"][0] == "&lt;5" and only_hva["HBO"][0] == "40"
    by_sector = table(client.get(region_url("levels"), {"sector": "M"}).content.decode())
    assert by_sector["HBO"][:2] == ["40", "30"] and by_sector["MBO 2"][0] == "&lt;5"
    # Students looking have no sector: the sector filter passes them by.
    assert by_sector["MBO 2"][1] == "9"
    elsewhere = table(
        client.get(region_url("levels"), {"municipality": "outside"}).content.decode()
    )
    assert elsewhere["MBO 2"][0] == "&lt;5"
    one = client.get(
        region_url("programmes"), {"school": personas.rocva.pk, "programme": kok.pk}
    ).content.decode()
    assert list(table(one)) == ["Kok (MBO 2)"]


def test_a_value_that_is_not_on_offer_is_left_out(client, personas, kok_figures):
    client.force_login(personas.operator)
    response = client.get(region_url("levels"), {"level": 9, "school_year": 1900, "sector": "?"})
    assert response.status_code == 200
    assert table(response.content.decode())["MBO 2"][0] == "12"


@pytest.mark.parametrize(
    "query",
    [
        {"school": "9" * 30},
        {"school": "-1", "programme": "x"},
        {"school": "²"},
        {"school": "١٢", "programme": "²"},
        {"page": "-3"},
        {"page": "9" * 30},
        {"municipality": "<script>"},
    ],
)
def test_bad_input_in_the_address_gets_the_page_without_it(client, personas, kok_figures, query):
    client.force_login(personas.operator)
    response = client.get(region_url("programmes"), query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()  # only <script src=…> and data blocks
    assert client.get("/inzicht/programmes.csv", query).status_code == 200


def test_the_municipality_table_lists_every_mra_municipality(client, personas, kok_figures):
    client.force_login(personas.operator)
    rows = table(client.get(region_url("municipalities")).content.decode())
    assert len(rows) == 30 + 2  # the MRA's municipalities, the rest of the country, unknown
    assert rows["Amsterdam"][0] == "52"
    assert rows["Zaanstad"] == ["&lt;5", "&lt;5", "&lt;5"]
    assert rows["Outside the MRA"] == ["&lt;5", "&lt;5", "&lt;5"]


def test_the_csv_holds_the_filtered_figures_with_small_ones_hidden(client, personas, kok_figures):
    client.force_login(personas.operator)
    rows = read_csv(client.get("/inzicht/levels.csv", {"school": personas.rocva.pk}))
    assert rows[0] == [
        "Level",
        "Places offered",
        "Students looking",
        "Students placed",
        "Places per student looking",
    ]
    by_level = {r[0]: r[1:] for r in rows[1:]}
    assert by_level["MBO 2"] == ["12", "9", "<5", "1.3"]
    assert by_level["HBO"] == ["<5", "<5", "<5", "–"]


def test_the_csv_escapes_cells_a_spreadsheet_would_run(client, personas, kok_figures):
    kok, _communicatie = kok_figures
    Programme.objects.filter(pk=kok.pk).update(name='=HYPERLINK("http://x")')
    client.force_login(personas.operator)
    rows = read_csv(client.get("/inzicht/programmes.csv"))
    assert rows[0][:2] == ["School", "Programme"]
    labels = [r[1] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x") (MBO 2)' in labels
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)


def test_pages_say_how_fresh_the_figures_are(client, personas):
    client.force_login(personas.operator)
    html = client.get(region_url("levels")).content.decode()
    assert "The figures have not been computed yet" in html
    refreshed()
    html = client.get(region_url("levels")).content.decode()
    assert "Figures as of" in html
    assert "computed again from the live data every hour" in html


def test_an_unknown_chart_is_not_found(client, personas):
    client.force_login(personas.operator)
    assert client.get(region_url("nonsense")).status_code == 404
    assert client.get("/inzicht/nonsense.csv").status_code == 404


# --------------------------------------------------------------------------------------------
# Who sees what


def test_anonymous_people_see_only_the_public_page(client, personas, kok_figures):
    for url in (region_url(), region_url("levels"), "/inzicht/levels.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/inloggen/" in response["Location"]
    for url in (school_url(personas.rocva), school_url(personas.rocva, "levels")):
        assert client.get(url).status_code == 302
    assert client.get("/kans-op-stage/").status_code == 200
    assert client.get("/kans-op-stage.csv").status_code == 200


@pytest.mark.parametrize("who", ["student", "owner", "member", "supervisor", "teacher"])
def test_students_businesses_and_teachers_get_no_insight_pages(client, personas, kok_figures, who):
    client.force_login(getattr(personas, who))
    for url in (
        region_url(),
        region_url("levels"),
        "/inzicht/levels.csv",
        school_url(personas.rocva),
        school_url(personas.rocva, "levels"),
        f"/scholen/{personas.rocva.slug}/inzicht/levels.csv",
    ):
        assert client.get(url).status_code == 403, url


def test_a_coordinator_sees_their_own_schools_figures_only(client, personas, kok_figures):
    client.force_login(personas.coordinator)
    assert client.get(region_url("levels")).status_code == 403
    rows = table(client.get(school_url(personas.rocva, "levels")).content.decode())
    assert rows["MBO 2"][0] == "12"
    assert rows["HBO"][0] == "&lt;5"  # HvA's 40 places are not theirs
    # Choosing another school is not on offer on a school's page.
    rows = table(
        client.get(
            school_url(personas.rocva, "levels"), {"school": personas.hva.pk}
        ).content.decode()
    )
    assert rows["HBO"][0] == "&lt;5"
    for url in (
        school_url(personas.hva),
        school_url(personas.hva, "levels"),
        f"/scholen/{personas.hva.slug}/inzicht/levels.csv",
    ):
        assert client.get(url).status_code == 403, url


def test_a_schools_csv_holds_its_own_figures(client, personas, kok_figures):
    client.force_login(personas.other_coordinator)
    rows = read_csv(client.get(f"/scholen/{personas.hva.slug}/inzicht/levels.csv"))
    by_level = {r[0]: r[1:] for r in rows[1:]}
    assert by_level["HBO"][:2] == ["40", "30"]
    assert by_level["MBO 2"][0] == "<5"


def test_the_operator_sees_any_schools_page(client, personas, kok_figures):
    client.force_login(personas.operator)
    assert client.get(school_url(personas.hva, "levels")).status_code == 200
    assert client.get(school_url(personas.rocva)).status_code == 200


def test_a_school_page_of_no_school_is_not_found(client, personas):
    client.force_login(personas.operator)
    assert client.get("/scholen/geen-school/inzicht/").status_code == 404


# --------------------------------------------------------------------------------------------
# Cost


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_chart_page_costs_the_same_queries_with_more_figures(client, personas, kok_figures, slug):
    client.force_login(personas.operator)
    client.get(region_url())  # the first request remembers the language
    few = _queries(client, region_url(slug))
    few_school = _queries(client, school_url(personas.rocva, slug))
    # Many more programmes, municipalities, sectors, months, reasons and kinds.
    for programme in Programme.objects.all()[:60]:
        for measure in charts.BY_SLUG[slug].measures:
            for key in ("", "00", "01", "expectations", "guest_lecture", "0-7", "meets"):
                put(measure, 7, programme=programme, key=key, municipality="0479", sector="C")
        put(m.PLACES, 9, programme=programme, municipality=AMSTERDAM)
    refreshed()
    assert _queries(client, region_url(slug)) == few
    assert _queries(client, school_url(personas.rocva, slug)) == few_school


def test_the_public_page_costs_the_same_queries_with_more_figures(client, personas, kok_figures):
    few = _queries(client, "/kans-op-stage/")
    for programme in Programme.objects.all()[:60]:
        put(m.PLACES, 9, programme=programme)
        put(m.LOOKING, 9, programme=programme, sector=None)
    refreshed()
    assert _queries(client, "/kans-op-stage/") == few


def test_the_year_of_the_figures_is_chosen(client, personas, kok_figures):
    kok, _c = kok_figures
    put(m.PLACES, 77, programme=kok, year=SCHOOL_YEAR - 1)
    refreshed(SCHOOL_YEAR, SCHOOL_YEAR - 1)
    client.force_login(personas.operator)
    assert table(client.get(region_url("levels")).content.decode())["MBO 2"][0] == "12"
    earlier = client.get(region_url("levels"), {"school_year": SCHOOL_YEAR - 1}).content.decode()
    assert table(earlier)["MBO 2"][0] == "77"


def test_a_long_table_of_programmes_comes_a_page_at_a_time_and_the_csv_holds_them_all(
    client, personas
):
    programmes = list(Programme.objects.order_by("pk")[:60])
    for programme in programmes:
        put(m.PLACES, 6, programme=programme)
    refreshed()
    client.force_login(personas.operator)
    first = client.get(region_url("programmes")).content.decode()
    second = client.get(region_url("programmes"), {"page": 2}).content.decode()
    first_rows, second_rows = ROW.findall(first), ROW.findall(second)
    assert len(first_rows) == 50 and len(second_rows) == 10
    assert 'rel="next"' in first and len(chart_data(first)["labels"]) == 50
    assert len(read_csv(client.get("/inzicht/programmes.csv"))) == 1 + 60
    answer = client.get("/api/v1/insights/charts/programmes", {"limit": 25, "offset": 50}).json()
    assert answer["count"] == 60 and len(answer["rows"]) == 10
