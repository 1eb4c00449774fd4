"""Facts written directly, for tests of what the pages, the CSV and the API show of given
numbers (the job's own arithmetic is tested in test_refresh.py from real data)."""

from __future__ import annotations

import json
import re

from django.utils import timezone

from stagebrug.insights.models import Fact, Grain, Refresh
from stagebrug.insights.refresh import roll_up
from tests.insights.conftest import SCHOOL_YEAR

AMSTERDAM = "0363"


def put(
    measure: str,
    value: int,
    *,
    programme,
    key: str = "",
    sector: str | None = "I",
    municipality: str | None = AMSTERDAM,
    year: int = SCHOOL_YEAR,
) -> None:
    """A fact of one programme, as the job writes it (`refreshed` sums the coarser grains)."""
    Fact.objects.create(
        grain=Grain.FINEST,
        school_year=year,
        measure=measure,
        key=key,
        institution_id=programme.institution_id,
        programme=programme,
        level=programme.level,
        sector_id=sector,
        municipality_id=municipality,
        value=value,
    )


def refreshed(*years: int) -> Refresh:
    """The facts `put` wrote, summed into the coarser grains by the job's own code; the
    figures marked fresh."""
    Fact.objects.exclude(grain=Grain.FINEST).delete()
    roll_up()
    state = Refresh.objects.filter(pk=1).first() or Refresh(pk=1)
    state.refreshed_at = timezone.now()
    state.school_years = sorted(set(years or [SCHOOL_YEAR]), reverse=True)
    state.save()
    return state


CELL = re.compile(r'<td class="utrecht-table__cell sb-num[^"]*">([^<]*)</td>')
ROW = re.compile(r'<th class="utrecht-table__header-cell" scope="row">([^<]*)</th>(.*?)</tr>', re.S)
DATA = re.compile(r'<script id="chart-data" type="application/json">(.*?)</script>', re.S)


def cells(html: str) -> list[str]:
    """Every number cell of the page's table, as shown."""
    return CELL.findall(html)


def table(html: str) -> dict[str, list[str]]:
    """The page's table: row label → its number cells."""
    return {label: CELL.findall(rest) for label, rest in ROW.findall(html)}


def chart_data(html: str) -> dict:
    found = DATA.search(html)
    assert found, "the page carries its chart's data"
    return json.loads(found.group(1))
