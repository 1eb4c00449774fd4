"""From exact sums to what may be shown: a chart's table of suppressed cells (`rules`), the
same table as chart data, as CSV rows and as the API's answer. The one way out of the facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagebrug.insights import rules
from stagebrug.insights.charts import (
    KEY,
    LEVEL,
    MUNICIPALITY,
    PROGRAMME,
    SECTOR,
    Chart,
    Get,
)
from stagebrug.insights.rules import Cell
from stagebrug.insights.selectors import OUTSIDE_MRA, UNKNOWN, Filters, Labels
from stagebrug.registry.levels import LEVEL_CHOICES


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]
    #: For a programme: its school (the public page groups by it).
    group: str = ""


@dataclass(frozen=True)
class Table:
    chart: Chart
    rows: tuple[Row, ...]

    @property
    def columns(self):
        return self.chart.columns

    def chart_data(self) -> dict:
        """What the chart script draws: the rows' labels and a series per counted column,
        with null where a number may not be shown."""
        plotted = [(i, c) for i, c in enumerate(self.chart.columns) if c.plot]
        return {
            "type": self.chart.type,
            "horizontal": self.chart.horizontal,
            "stacked": any(c.stack for _i, c in plotted),
            "labels": [row.label for row in self.rows],
            "datasets": [
                {
                    "label": str(column.label),
                    "stack": column.stack or column.key,
                    "data": [row.cells[i].value for row in self.rows],
                }
                for i, column in plotted
            ],
        }

    def csv_rows(self) -> list[list[str]]:
        """The table as a spreadsheet: a header, then a row per row (written through `core.csv`,
        which keeps every text cell from running as a formula)."""
        header = [str(self.chart.by_label), *(str(c.label) for c in self.chart.columns)]
        if any(row.group for row in self.rows):
            header.insert(0, _("School"))
        out = [header]
        for row in self.rows:
            cells = [row.label, *(rules.csv_text(c) for c in row.cells)]
            if len(header) > len(cells):
                cells.insert(0, row.group)
            out.append(cells)
        return out


@dataclass(frozen=True)
class Source:
    """A row before its cells are computed: cheap, so a long table is sorted and paged
    first and only the page's cells are computed."""

    key: object
    label: str
    sums: dict
    group: str = ""


def sources(
    *, chart: Chart, sums: dict, labels: Labels, filters: Filters, today: dt.date
) -> list[Source]:
    """The chart's rows in order (before their cells)."""
    return [Source(*row) for row in _rows(chart, sums, labels, filters, today)]


def build(*, chart: Chart, rows: list[Source], labels: Labels) -> Table:
    """The table of these rows: each cell suppressed where it must be."""
    context = {"guidance": labels.guidance}
    return Table(
        chart,
        tuple(
            Row(
                str(row.key),
                row.label,
                tuple(c.compute(Get(row.sums, row.key, context)) for c in chart.columns),
                row.group,
            )
            for row in rows
        ),
    )


def _merge(*parts: dict) -> dict:
    merged: dict = {}
    for part in parts:
        for k, v in part.items():
            merged[k] = merged.get(k, 0) + v
    return merged


def _rows(chart: Chart, sums: dict, labels: Labels, filters: Filters, today: dt.date):
    """(key, label, sums, group) of every row, in the order the chart shows them. A fixed
    dimension (levels, months, reasons, MRA municipalities) always shows all its rows, so a
    row's absence never tells that it is empty."""
    if chart.by == LEVEL:
        for level, label in LEVEL_CHOICES:
            if filters.level is None or filters.level == level:
                yield level, label, sums.get(level, {}), ""
    elif chart.by == SECTOR:
        for code in sorted(k for k in sums if k is not None):
            yield code, f"{code} {labels.sectors.get(code, '')}".strip(), sums[code], ""
        if None in sums:
            yield UNKNOWN, _("Sector unknown"), sums[None], ""
    elif chart.by == PROGRAMME:
        # A programme removed since the figures were computed has no label: left out.
        found = [labels.programmes[pk] for pk in sums if pk in labels.programmes]
        found.sort(key=lambda p: (p.school_name, p.name, p.pk))
        for p in found:
            yield p.pk, p.label, sums[p.pk], p.school
    elif chart.by == MUNICIPALITY:
        yield from _municipality_rows(sums, labels, filters)
    elif chart.by == KEY:
        keys = chart.keys or _month_keys(filters.school_year, today)
        for key, label in keys:
            yield key, str(label), sums.get(key, {}), ""


def _municipality_rows(sums: dict, labels: Labels, filters: Filters):
    outside = _merge(*(v for k, v in sums.items() if k is not None and k not in labels.mra))
    if filters.municipality == OUTSIDE_MRA:
        yield OUTSIDE_MRA, _("Outside the MRA"), outside, ""
        return
    for code, name in labels.mra.items():
        if not filters.municipality or filters.municipality == code:
            yield code, name, sums.get(code, {}), ""
    if not filters.municipality:
        yield OUTSIDE_MRA, _("Outside the MRA"), outside, ""
        yield UNKNOWN, _("Municipality unknown"), sums.get(None, {}), ""


def _month_keys(school_year: int, today: dt.date) -> list[tuple[str, str]]:
    """The months of the school year that have figures (those begun by today)."""
    return [
        (
            f"{i:02d}",
            date_format(rules.month_of_school_year(school_year, i), "F Y"),
        )
        for i in range(rules.months_passed(school_year, today))
    ]


def page_for(
    *, chart: Chart, filters: Filters, today: dt.date, offset: int, limit: int
) -> tuple[Labels, list[Source], int]:
    """Read one page of a chart's rows (the API): its labels, the rows, and how many rows
    there are in all. A chart by programme reads just the page; the others are short."""
    from stagebrug.insights import selectors

    labels = selectors.labels(institution=filters.institution, guidance=chart.slug == "allowance")
    if chart.by == PROGRAMME:
        count = selectors.programme_count(chart=chart, filters=filters)
        names, sums = selectors.programme_page(
            chart=chart, filters=filters, offset=offset, limit=limit
        )
        labels.programmes.update(names)
        rows = sources(chart=chart, sums=sums, labels=labels, filters=filters, today=today)
        return labels, rows, count
    sums = selectors.chart_sums(chart=chart, filters=filters)
    rows = sources(chart=chart, sums=sums, labels=labels, filters=filters, today=today)
    return labels, rows[offset : offset + limit], len(rows)
