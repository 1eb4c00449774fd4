"""The operator (the regional working group) opens regional insight from the dashboard,
chooses a chart, narrows it to last school year and HBO, reads the chart and its table, and
downloads the chart's figures as CSV: the file holds exactly the filtered figures, with the
small ones hidden. Then the public chance of a place, without logging in. Every page
axe-clean. In the English interface."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.utils import timezone

from stagebrug.insights import refresh as m
from stagebrug.insights import rules
from stagebrug.insights.models import Fact, Grain, Refresh
from stagebrug.insights.refresh import roll_up
from tests.browser.conftest import check_page, english, login, logout
from tests.placements.factories import communicatie_programme, kok_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def put(measure: str, value: int, *, programme, year: int, sector: str | None = "I") -> None:
    """A precomputed figure, as the hourly job writes it (`roll_up` sums the coarser grains)."""
    Fact.objects.create(
        grain=Grain.FINEST,
        school_year=year,
        measure=measure,
        institution_id=programme.institution_id,
        programme=programme,
        level=programme.level,
        sector_id=sector,
        municipality_id="0363",
        value=value,
    )


def test_the_operator_filters_a_chart_and_downloads_its_figures(page, live_server, personas):
    this_year = rules.school_year_of(timezone.localdate())
    last_year = this_year - 1
    kok, communicatie = kok_programme(), communicatie_programme()
    for year, (places, looking, placed) in {
        this_year: (50, 40, 30),
        last_year: (21, 14, 3),
    }.items():
        put(m.PLACES, places, programme=communicatie, year=year, sector="M")
        put(m.LOOKING, looking, programme=communicatie, year=year, sector=None)
        put(m.PLACED, placed, programme=communicatie, year=year, sector="M")
        put(m.PLACES, 9, programme=kok, year=year)
        put(m.LOOKING, 8, programme=kok, year=year, sector=None)
    roll_up()
    Refresh.objects.update_or_create(
        pk=1,
        defaults={"refreshed_at": timezone.now(), "school_years": [this_year, last_year]},
    )
    english(page, live_server)

    # 1. From the dashboard to regional insight.
    login(page, personas.operator.email)
    page.get_by_role("link", name="Open regional insight").click()
    page.get_by_role("heading", name="Regional insight", level=1).wait_for()
    assert page.get_by_text("Figures as of").is_visible()
    check_page(page, "insights-01-region")

    # 2. A chart with the table beside it.
    page.get_by_role("link", name="Supply and demand by level").click()
    page.get_by_role("heading", name="Supply and demand by level", level=1).wait_for()
    page.locator("canvas[data-chart]").wait_for()
    table = page.get_by_role(
        "table", name=f"Supply and demand by level, {rules.school_year_label(this_year)}"
    )
    assert "50" in table.get_by_role("row", name="HBO").inner_text()
    check_page(page, "insights-02-chart")

    # 3. Last school year, HBO only.
    page.get_by_role("combobox", name=re.compile(r"^School year")).select_option(str(last_year))
    page.get_by_role("combobox", name=re.compile(r"^Level")).select_option("5")
    page.get_by_role("button", name="Show").click()
    label = rules.school_year_label(last_year)
    table = page.get_by_role("table", name=f"Supply and demand by level, {label}")
    table.wait_for()
    cells = table.get_by_role("row", name="HBO").get_by_role("cell").all_inner_texts()
    assert cells == ["21", "14", "<5", "1.5"]
    assert table.get_by_role("row", name="MBO 2").count() == 0
    check_page(page, "insights-03-filtered")

    # 4. The chart's figures as CSV: the filtered ones.
    with page.expect_download() as info:
        page.get_by_role(
            "link", name='Download the figures of "Supply and demand by level" (CSV)'
        ).click()
    download = info.value
    assert download.suggested_filename == f"inzicht-regio-levels-{last_year}.csv"
    with open(download.path(), encoding="utf-8-sig") as downloaded:
        text = downloaded.read()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [
        [
            "Level",
            "Places offered",
            "Students looking",
            "Students placed",
            "Places per student looking",
        ],
        ["HBO", "21", "14", "<5", "1.5"],
    ]
    logout(page)

    # 5. Everyone: the chance of a place per programme.
    page.goto("/kans-op-stage/")
    page.get_by_role("heading", name="Chance of a place per programme").wait_for()
    row = page.get_by_role("row", name="Communicatie (HBO bachelor)")
    assert row.get_by_role("cell").all_inner_texts()[1:] == ["50", "40", "1.3", "Fair"]
    check_page(page, "insights-04-chance")
