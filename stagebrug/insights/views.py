"""Regional insight pages (C10): the operator's over all data, each school's over its own,
and the public chance of a place. Every page reads the precomputed facts only
(`selectors`), shows what `presentation` lets through, and says how fresh the figures are."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from stagebrug.accounts.operator_views import operator_only
from stagebrug.core.csv import csv_response
from stagebrug.core.forms import as_id
from stagebrug.insights import charts, presentation, rules, selectors
from stagebrug.insights.forms import FilterForm
from stagebrug.insights.refresh import WITHOUT_SECTOR
from stagebrug.insights.tasks import EVERY
from stagebrug.registry.decorators import institution_manage_view
from stagebrug.registry.models import Institution

#: Rows of a long table per page (programmes); the CSV holds them all.
ROWS_PER_PAGE = 50


#: The region's figures: the operator (the regional working group) only.
operator_view = operator_only


def _chart(slug: str) -> charts.Chart:
    chart = charts.BY_SLUG.get(slug)
    if chart is None:
        raise Http404
    return chart


def _programme_choice(request: HttpRequest, institution: Institution | None) -> int | None:
    """The school whose programmes the programme filter offers: the page's own, or the one
    the operator chose."""
    if institution is not None:
        return institution.pk
    # Plain ASCII digits only: "²".isdigit() is true, but int("²") fails.
    return as_id(request.GET.get("school"))


@dataclass
class Prepared:
    state: object
    form: FilterForm
    filters: selectors.Filters
    labels: selectors.Labels
    rows: list[presentation.Source]
    #: A table by programme read a page at a time: the page (rows holds just that page).
    page: object = None


def _prepare(
    request: HttpRequest,
    chart: charts.Chart,
    institution: Institution | None,
    *,
    every_row: bool = False,
) -> Prepared:
    """The filters chosen, and the chart's rows (not yet their cells): for a chart by
    programme one page, read as such (thousands of programmes nationally), unless
    `every_row` (the CSV)."""
    state = selectors.freshness()
    years = selectors.school_years(state)
    today = timezone.localdate()
    current = rules.school_year_of(today)
    school = _programme_choice(request, institution)
    labels = selectors.labels(institution=school, guidance=chart.slug == "allowance")
    form = FilterForm(
        request.GET or None,
        years=years,
        labels=labels,
        schools=institution is None,
        programmes=list(labels.programmes.values()) if school else None,
    )
    filters = form.filters(
        institution=institution.pk if institution else None,
        default_year=current if current in years else years[0],
    )
    sums, page = _sums(request, chart, filters, labels, every_row=every_row)
    rows = presentation.sources(chart=chart, sums=sums, labels=labels, filters=filters, today=today)
    return Prepared(state, form, filters, labels, rows, page)


def _sums(request, chart, filters, labels, *, every_row: bool):
    if chart.by != charts.PROGRAMME:
        return selectors.chart_sums(chart=chart, filters=filters), None
    if every_row:
        sums = selectors.chart_sums(chart=chart, filters=filters)
        selectors.add_programmes(labels, sums)
        return sums, None
    count = selectors.programme_count(chart=chart, filters=filters)
    page = Paginator(range(count), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    names, sums = selectors.programme_page(
        chart=chart,
        filters=filters,
        offset=page.start_index() - 1 if count else 0,
        limit=ROWS_PER_PAGE,
    )
    labels.programmes.update(names)
    return sums, page if page.has_other_pages() else None


def _page(request: HttpRequest, prepared: Prepared, chart: charts.Chart):
    """A long table a page at a time; the chart draws the page's rows."""
    if prepared.page is not None or chart.by == charts.PROGRAMME:
        return presentation.build(chart=chart, rows=prepared.rows, labels=prepared.labels), (
            prepared.page
        )
    rows, page = prepared.rows, None
    if len(rows) > ROWS_PER_PAGE:
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    return presentation.build(chart=chart, rows=rows, labels=prepared.labels), page


def _context(request, *, chart, institution, prepared: Prepared, urls) -> dict:
    table, page = _page(request, prepared, chart)
    query = request.GET.copy()
    query.pop("page", None)
    filters = prepared.filters
    return {
        "chart": chart,
        "charts": charts.CHARTS,
        "institution": institution,
        "state": prepared.state,
        "every": EVERY,
        "form": prepared.form,
        "filtered": prepared.form.filtered,
        "filters": filters,
        "year_label": rules.school_year_label(filters.school_year),
        "table": table,
        "chart_data": table.chart_data(),
        "page": page,
        "query": query.urlencode(),
        "urls": urls,
        # The sector filter passes students looking by: they have no sector.
        "sector_note": bool(filters.sector and set(chart.measures) & WITHOUT_SECTOR),
    }


def _csv(chart: charts.Chart, prepared: Prepared, filename: str) -> HttpResponse:
    table = presentation.build(chart=chart, rows=prepared.rows, labels=prepared.labels)
    return _csv_response(table, filename)


def _csv_response(table: presentation.Table, filename: str) -> HttpResponse:
    response, writer = csv_response(filename)
    writer.writerows(table.csv_rows())
    return response


def _filename(chart: charts.Chart, filters: selectors.Filters, who: str) -> str:
    return f"inzicht-{who}-{chart.slug}-{filters.school_year}.csv"


# --------------------------------------------------------------------------------------------
# The operator: the whole region


@operator_view
def region(request: HttpRequest) -> HttpResponse:
    """The charts of the region, with what each answers."""
    return render(
        request,
        "insights/index.html",
        {
            "charts": charts.CHARTS,
            "state": selectors.freshness(),
            "every": EVERY,
            "institution": None,
            "links": [(c, reverse("insights:region_chart", args=[c.slug])) for c in charts.CHARTS],
        },
    )


def _region_urls(chart: charts.Chart) -> dict:
    return {
        "index": reverse("insights:region"),
        "csv": reverse("insights:region_csv", args=[chart.slug]),
        "chart": reverse("insights:region_chart", args=[chart.slug]),
        "others": [(c, reverse("insights:region_chart", args=[c.slug])) for c in charts.CHARTS],
    }


@operator_view
def region_chart(request: HttpRequest, slug: str) -> HttpResponse:
    """One chart of the region, its table, filters and CSV."""
    chart = _chart(slug)
    prepared = _prepare(request, chart, None)
    return render(
        request,
        "insights/chart.html",
        _context(
            request, chart=chart, institution=None, prepared=prepared, urls=_region_urls(chart)
        ),
    )


@operator_view
def region_csv(request: HttpRequest, slug: str) -> HttpResponse:
    chart = _chart(slug)
    prepared = _prepare(request, chart, None, every_row=True)
    return _csv(chart, prepared, _filename(chart, prepared.filters, "regio"))


# --------------------------------------------------------------------------------------------
# A school: its own data


def _school_urls(chart: charts.Chart, institution: Institution) -> dict:
    slug = institution.slug
    return {
        "index": reverse("insights:school", args=[slug]),
        "csv": reverse("insights:school_csv", args=[slug, chart.slug]),
        "chart": reverse("insights:school_chart", args=[slug, chart.slug]),
        "others": [
            (c, reverse("insights:school_chart", args=[slug, c.slug])) for c in charts.CHARTS
        ],
    }


@institution_manage_view
def school(request: HttpRequest, institution: Institution) -> HttpResponse:
    return render(
        request,
        "insights/index.html",
        {
            "charts": charts.CHARTS,
            "state": selectors.freshness(),
            "every": EVERY,
            "institution": institution,
            "links": [
                (c, reverse("insights:school_chart", args=[institution.slug, c.slug]))
                for c in charts.CHARTS
            ],
        },
    )


@institution_manage_view
def school_chart(request: HttpRequest, institution: Institution, chart: str) -> HttpResponse:
    """One chart of the school's own figures."""
    found = _chart(chart)
    prepared = _prepare(request, found, institution)
    return render(
        request,
        "insights/chart.html",
        _context(
            request,
            chart=found,
            institution=institution,
            prepared=prepared,
            urls=_school_urls(found, institution),
        ),
    )


@institution_manage_view
def school_csv(request: HttpRequest, institution: Institution, chart: str) -> HttpResponse:
    found = _chart(chart)
    prepared = _prepare(request, found, institution, every_row=True)
    return _csv(found, prepared, _filename(found, prepared.filters, institution.slug))


# --------------------------------------------------------------------------------------------
# Everyone: the chance of a place


def _chance(request: HttpRequest, *, every_row: bool = False) -> Prepared:
    chart = charts.CHANCE
    state = selectors.freshness()
    years = selectors.school_years(state)
    today = timezone.localdate()
    current = rules.school_year_of(today)
    labels = selectors.labels(institution=None)
    form = FilterForm(
        request.GET or None, years=years, labels=labels, schools=True, programmes=None, public=True
    )
    filters = form.filters(institution=None, default_year=current if current in years else years[0])
    sums, page = _sums(request, chart, filters, labels, every_row=every_row)
    rows = presentation.sources(chart=chart, sums=sums, labels=labels, filters=filters, today=today)
    return Prepared(state, form, filters, labels, rows, page)


def chance(request: HttpRequest) -> HttpResponse:
    """The chance of a place per programme ("kans op stage"), from live data, for everyone."""
    prepared = _chance(request)
    urls = {"csv": reverse("insights:chance_csv"), "chart": reverse("insights:chance")}
    context = _context(request, chart=charts.CHANCE, institution=None, prepared=prepared, urls=urls)
    context["bands"] = rules.CHANCE_BANDS
    return render(request, "insights/chance.html", context)


def chance_csv(request: HttpRequest) -> HttpResponse:
    prepared = _chance(request, every_row=True)
    return _csv(charts.CHANCE, prepared, f"kans-op-stage-{prepared.filters.school_year}.csv")
