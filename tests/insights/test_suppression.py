"""Small cells are suppressed everywhere: on every chart page, in every CSV, in the API and on
the public page, for the small region of tests/insights/conftest.py, whose every figure is
under five. Nothing names a student or repeats what was written about one."""

from __future__ import annotations

import csv
import io

import pytest

from stagebrug.insights import charts
from tests.insights.figures import cells, chart_data

pytestmark = pytest.mark.django_db

SLUGS = [c.slug for c in charts.CHARTS]
PERSONAL = ("Stan", "Sara", "Ties", "student@rocva.example", "bediening")


def _no_small_number(text: str) -> None:
    assert text in ("&lt;5", "<5", "–", "") or text.replace(".", "").replace(",", "").isdigit()
    if text.isdigit():
        assert int(text) >= 5


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_every_chart_page_of_the_region_hides_counts_under_five(client, computed):
    client.force_login(computed.operator)
    for slug in SLUGS:
        html = client.get(f"/inzicht/{slug}/").content.decode()
        shown = cells(html)
        assert shown, f"{slug}: the table has cells"
        assert all(c in ("&lt;5", "–") for c in shown), (slug, shown)
        for series in chart_data(html)["datasets"]:
            assert all(v is None for v in series["data"]), (slug, series)
        assert not any(name in html for name in PERSONAL), slug


def _small_numbers(rows: list[list[str]]) -> list[str]:
    """The cells of a CSV that show a number under five, or a rate (here every rate would
    come from numbers under five)."""
    return [
        cell
        for row in rows[1:]
        for cell in row
        if (cell.isdigit() and int(cell) < 5) or (cell.endswith("%") and cell[:-1].isdigit())
    ]


def test_every_csv_hides_counts_under_five(client, computed):
    client.force_login(computed.operator)
    for slug in SLUGS:
        rows = _csv(client.get(f"/inzicht/{slug}.csv"))
        assert len(rows) > 1, slug
        assert not _small_numbers(rows), (slug, rows)
        assert "<5" in {cell for row in rows for cell in row}, slug
        assert not any(name in cell for row in rows for cell in row for name in PERSONAL)


def test_the_schools_own_pages_and_csv_hide_counts_under_five(client, computed):
    client.force_login(computed.coordinator)
    school = computed.rocva.slug
    for slug in SLUGS:
        html = client.get(f"/scholen/{school}/inzicht/{slug}/").content.decode()
        assert all(c in ("&lt;5", "–") for c in cells(html)), slug
        assert not _small_numbers(_csv(client.get(f"/scholen/{school}/inzicht/{slug}.csv")))


def test_the_api_hides_counts_under_five(client, computed):
    client.force_login(computed.operator)
    for slug in SLUGS:
        region = client.get(f"/api/v1/insights/charts/{slug}").json()
        school = client.get(f"/api/v1/schools/{computed.rocva.slug}/insights/{slug}").json()
        for found in (region, school):
            assert found["rows"], slug
            for row in found["rows"]:
                for cell in row["cells"].values():
                    # Every figure of this region is under five: none has a value.
                    assert cell["value"] is None, (slug, row)
                    if cell["text"] in ("<5", "–"):
                        assert cell["suppressed"]


def test_the_public_page_hides_counts_under_five(client, computed):
    html = client.get("/kans-op-stage/").content.decode()
    shown = cells(html)
    assert shown and all(c in ("&lt;5", "–", "") for c in shown)
    assert not any(name in html for name in PERSONAL)
    rows = _csv(client.get("/kans-op-stage.csv"))
    assert all(c in ("<5", "–", "") or not c[:1].isdigit() for r in rows[1:] for c in r[2:])
    for row in client.get("/api/v1/insights/chance").json()["rows"]:
        assert all(cell["value"] is None for cell in row["cells"].values())


def test_five_is_shown_and_four_is_not(client, personas):
    from stagebrug.insights import refresh as m
    from tests.insights.figures import put, refreshed, table
    from tests.placements.factories import communicatie_programme, kok_programme

    put(m.PLACES, 5, programme=kok_programme())
    put(m.LOOKING, 4, programme=kok_programme(), sector=None)
    put(m.PLACES, 4, programme=communicatie_programme())
    put(m.LOOKING, 5, programme=communicatie_programme(), sector=None)
    refreshed()
    client.force_login(personas.operator)
    rows = table(client.get("/inzicht/levels/").content.decode())
    assert rows["MBO 2"][:2] == ["5", "&lt;5"]
    assert rows["HBO"][:2] == ["&lt;5", "5"]
    public = client.get("/kans-op-stage/").content.decode()
    assert table(public)["Kok (MBO 2)"][:2] == ["5", "&lt;5"]
    data = chart_data(client.get("/inzicht/levels/").content.decode())
    assert {d["label"]: d["data"] for d in data["datasets"]}["Places offered"][1] == 5


def test_a_total_is_hidden_when_one_of_its_parts_is(client, personas):
    """Secondary suppression: the allowance chart's placements are the sum of its bands, so a
    band under five would be the total less the bands shown."""
    from stagebrug.insights import refresh as m
    from tests.insights.figures import put, refreshed, table
    from tests.placements.factories import communicatie_programme, kok_programme

    kok, communicatie = kok_programme(), communicatie_programme()
    for band, n in {m.BAND_NONE: 8, m.BAND_HALF: 5, m.BAND_UNDER: 6, m.BAND_MEETS: 13}.items():
        put(m.ALLOWANCE, n, programme=kok, key=band)
        put(m.ALLOWANCE, n, programme=communicatie, key=band, sector="M")
    put(m.ALLOWANCE, 1, programme=kok, key=m.BAND_UNKNOWN)  # the one to protect
    put(m.ALLOWANCE, 5, programme=communicatie, key=m.BAND_UNKNOWN, sector="M")
    put(m.ALLOWANCE_EUR, 9000, programme=kok)
    put(m.ALLOWANCE_EUR, 9000, programme=communicatie, sector="M")
    refreshed()
    client.force_login(personas.operator)
    rows = table(client.get("/inzicht/allowance/").content.decode())
    # Placements, average, none, under half, under, meets, no guidance known.
    assert rows["MBO 2"] == ["–", "€ 273", "8", "5", "6", "13", "&lt;5"]
    assert rows["HBO"] == ["37", "€ 243", "8", "5", "6", "13", "5"]
    csv_rows = {r[0]: r[2:] for r in _csv(client.get("/inzicht/allowance.csv"))[1:]}
    assert csv_rows["MBO 2"][0] == "–"
    answer = client.get("/api/v1/insights/charts/allowance").json()
    (mbo2,) = [r for r in answer["rows"] if r["label"] == "MBO 2"]
    assert mbo2["cells"]["placements"] == {"value": None, "text": "–", "suppressed": True}
