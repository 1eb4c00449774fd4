"""API of regional insight: the same figures as the pages, read-only, with the same
permissions and the same suppression (a count under 5 is null with its text "<5"). The
region's charts: the operator; a school's: its coordinators and the operator (404 for anyone
else); the chance of a place: everyone."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.api_auth import AUTH
from stagebrug.core.api import MAX_OFFSET
from stagebrug.core.schemas import ERRORS, Id
from stagebrug.insights import charts, presentation, rules, selectors
from stagebrug.registry.models import Institution

router = Router(tags=["insights"])

#: What Django's <slug:…> path converter accepts.
SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


class ChartInfo(Schema):
    slug: str
    title: str
    question: str
    about: str = Field(..., description="How the chart's figures are defined")


class CellOut(Schema):
    value: float | None = Field(
        ..., description="null when it may not be shown (fewer than 5), or does not apply"
    )
    text: str = Field(..., description='As the page shows it: "<5", "–", "12", "45%"')
    suppressed: bool


class RowOut(Schema):
    key: str
    label: str
    school: str = Field("", description="For a programme: its school")
    cells: dict[str, CellOut]


class ColumnOut(Schema):
    key: str
    label: str


class ChartOut(Schema):
    chart: str
    title: str
    about: str
    by: str
    school_year: int
    school_year_label: str
    refreshed_at: dt.datetime | None = Field(
        ..., description="The moment of the live data the figures show (refreshed hourly)"
    )
    columns: list[ColumnOut]
    count: int = Field(..., description="Rows in all (`limit` and `offset` page through them)")
    rows: list[RowOut]


class ChartQuery(Schema):
    school_year: int | None = Field(None, ge=2000, le=2100, description="2025 is 2025/26")
    school: Id | None = Field(None, description="A school's id (the region's charts only)")
    level: int | None = Field(None, ge=1, le=5, description="1–4: MBO level; 5: HBO")
    # Letters and digits only: a NUL byte would reach PostgreSQL, which refuses it (a 500).
    sector: str | None = Field(
        None, max_length=2, pattern=r"^[A-Za-z]+$", description="An SBI section letter"
    )
    municipality: str | None = Field(
        None,
        max_length=8,
        pattern=r"^[0-9A-Za-z]+$",
        description='A CBS municipality code, or "outside" the MRA',
    )
    programme: Id | None = None
    limit: int = Field(100, ge=1, le=1000, description="Rows per answer")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ChanceQuery(Schema):
    school_year: int | None = Field(None, ge=2000, le=2100)
    school: Id | None = None
    level: int | None = Field(None, ge=1, le=5)
    limit: int = Field(100, ge=1, le=1000, description="Rows per answer")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _chart(slug: str) -> charts.Chart:
    chart = charts.BY_SLUG.get(slug)
    if chart is None:
        raise Http404
    return chart


def _filters(query, institution: int | None) -> selectors.Filters:
    year = query.school_year or rules.school_year_of(timezone.localdate())
    return selectors.Filters(
        school_year=year,
        institution=institution,
        level=query.level,
        sector=getattr(query, "sector", None) or None,
        municipality=getattr(query, "municipality", None) or None,
        programme=getattr(query, "programme", None),
    )


def _out(chart: charts.Chart, filters: selectors.Filters, *, limit: int, offset: int) -> dict:
    labels, rows, count = presentation.page_for(
        chart=chart, filters=filters, today=timezone.localdate(), offset=offset, limit=limit
    )
    table = presentation.build(chart=chart, rows=rows, labels=labels)
    state = selectors.freshness()
    keys = [c.key for c in chart.columns]
    return {
        "chart": chart.slug,
        "title": str(chart.title),
        "about": str(chart.about),
        "by": chart.by,
        "school_year": filters.school_year,
        "school_year_label": rules.school_year_label(filters.school_year),
        "refreshed_at": state.refreshed_at if state else None,
        "columns": [{"key": c.key, "label": str(c.label)} for c in chart.columns],
        "count": count,
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "school": row.group,
                "cells": {
                    k: {"value": c.value, "text": c.text, "suppressed": c.suppressed}
                    for k, c in zip(keys, row.cells, strict=True)
                },
            }
            for row in table.rows
        ],
    }


@router.get("/insights/charts", response=list[ChartInfo])
def chart_list(request: HttpRequest):
    """The insight charts and how their figures are defined."""
    return [
        {
            "slug": c.slug,
            "title": str(c.title),
            "question": str(c.question),
            "about": str(c.about),
        }
        for c in charts.CHARTS
    ]


@router.get("/insights/charts/{slug}", response={200: ChartOut, **ERRORS}, auth=AUTH)
def region_chart(request: HttpRequest, slug: str, query: Query[ChartQuery]):
    """One chart of the whole region (the operator), optionally of one school."""
    if not perms.is_operator(request.user):
        raise PermissionDenied
    return _out(_chart(slug), _filters(query, query.school), limit=query.limit, offset=query.offset)


@router.get("/schools/{slug}/insights/{chart}", response={200: ChartOut, **ERRORS}, auth=AUTH)
def school_chart(request: HttpRequest, slug: str, chart: str, query: Query[ChartQuery]):
    """One chart of a school's own figures (its coordinators)."""
    # A slug as the page's address takes it: no NUL byte reaches the database.
    institution = Institution.objects.filter(slug=slug).first() if SLUG.match(slug) else None
    if institution is None or not perms.can_edit_institution(request.user, institution):
        raise Http404
    return _out(
        _chart(chart), _filters(query, institution.pk), limit=query.limit, offset=query.offset
    )


@router.get("/insights/chance", response={200: ChartOut, **ERRORS})
def chance(request: HttpRequest, query: Query[ChanceQuery]):
    """The chance of a place per programme ("kans op stage"): places offered and students
    looking, for everyone."""
    return _out(
        charts.CHANCE, _filters(query, query.school), limit=query.limit, offset=query.offset
    )
