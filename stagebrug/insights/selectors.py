"""What the insight pages, CSV files and the API read: the precomputed facts summed for one
chart, the labels of what they are grouped by, and how fresh they are. Each chart costs one
query on the facts, whatever the scale; the labels a few more, always the same ones.

Everything returned here is exact; `presentation` decides what may be shown."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format

from stagebrug.insights import refresh, rules
from stagebrug.insights.charts import KEY, LEVEL, MUNICIPALITY, PROGRAMME, SECTOR, Chart
from stagebrug.insights.models import Fact, Grain, Refresh
from stagebrug.placements.models import AllowanceGuidance
from stagebrug.registry.models import (
    HboLevel,
    Institution,
    Municipality,
    Programme,
    SchoolKind,
    SectorCode,
)

#: The municipality filter's value for "outside the Amsterdam Metropolitan Region".
OUTSIDE_MRA = "outside"
UNKNOWN = ""

FIELD = {
    LEVEL: "level",
    SECTOR: "sector_id",
    PROGRAMME: "programme_id",
    MUNICIPALITY: "municipality_id",
    KEY: "key",
}


@dataclass(frozen=True)
class Filters:
    """What a chart is narrowed to. `institution` is the school of a school's own page, or the
    operator's choice; None is everyone."""

    school_year: int
    institution: int | None = None
    level: int | None = None
    sector: str | None = None
    municipality: str | None = None  # a CBS code, or OUTSIDE_MRA
    programme: int | None = None

    def within(self, institution: int | None) -> Filters:
        return replace(self, institution=institution)


@dataclass(frozen=True)
class ProgrammeLabel:
    pk: int
    name: str
    institution_id: int
    school_name: str
    school: str  # the short name, as tables show it
    level_label: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.level_label})"


@dataclass
class Labels:
    """Names of what facts are grouped by, read once per request (constant queries)."""

    mra: dict[str, str] = field(default_factory=dict)  # code → name, by name
    sectors: dict[str, str] = field(default_factory=dict)  # section letter → name
    institutions: dict[int, str] = field(default_factory=dict)
    programmes: dict[int, ProgrammeLabel] = field(default_factory=dict)
    guidance: dict[int, str] = field(default_factory=dict)  # level → the guidance in words


def freshness() -> Refresh | None:
    """The state of the precomputed figures (None: never computed)."""
    return Refresh.objects.filter(pk=1).first()


def school_years(state: Refresh | None) -> list[int]:
    """The school years a page offers: those with figures, and the current one."""
    years = set(state.school_years if state else [])
    years.add(rules.school_year_of(timezone.localdate()))
    return sorted(years, reverse=True)


def _facts(chart: Chart, filters: Filters) -> QuerySet:
    grain = Grain.for_query(
        programme=chart.by == PROGRAMME or filters.programme is not None,
        sector=chart.by == SECTOR or bool(filters.sector),
        municipality=chart.by == MUNICIPALITY or bool(filters.municipality),
    )
    qs = Fact.objects.filter(
        grain=grain,
        school_year=filters.school_year,
        measure__in=chart.measures,
    )
    if filters.institution is not None:
        qs = qs.filter(institution_id=filters.institution)
    if filters.programme is not None:
        qs = qs.filter(programme_id=filters.programme)
    if filters.level is not None:
        qs = qs.filter(level=filters.level)
    if filters.sector:
        # Students looking have no sector: the filter narrows the rest of the chart only.
        qs = qs.filter(Q(sector_id=filters.sector) | Q(measure__in=refresh.WITHOUT_SECTOR))
    if filters.municipality == OUTSIDE_MRA:
        qs = qs.filter(municipality__isnull=False).exclude(municipality__is_mra=True)
    elif filters.municipality:
        qs = qs.filter(municipality_id=filters.municipality)
    return qs


def chart_sums(
    *, chart: Chart, filters: Filters, programmes: list[int] | None = None
) -> dict[object, dict[tuple[str, str], int]]:
    """The chart's facts summed per row (what it is drawn by): row → {(measure, key): sum};
    only these `programmes`' when given (a page of a long table). One query."""
    group = FIELD[chart.by]
    rows: dict[object, dict[tuple[str, str], int]] = defaultdict(dict)
    facts = _facts(chart, filters)
    if programmes is not None:
        facts = facts.filter(programme_id__in=programmes)
    found = facts.values_list(group, "measure", "key").annotate(total=Sum("value")).order_by()
    for row, measure, key, total in found:
        rows[row][(measure, key)] = int(total)
    return dict(rows)


def labels(*, institution: int | None, guidance: bool = False) -> Labels:
    """The names every page needs: the MRA municipalities and SBI sections (the filters offer
    them), the schools, the programmes of `institution` (its filter), the guidance by level.
    The same queries whatever the data."""
    out = Labels()
    out.mra = dict(
        Municipality.objects.filter(is_mra=True).order_by("name").values_list("code", "name")
    )
    out.sectors = {s.code: s.name for s in SectorCode.objects.filter(level="sectie")}
    out.institutions = dict(Institution.objects.order_by("name").values_list("pk", "name"))
    if institution is not None:
        out.programmes = programme_names(Q(institution_id=institution))
    if guidance:
        out.guidance = guidance_by_level()
    return out


#: The order of a table of programmes: by school, then by name.
PROGRAMME_ORDER = ("institution__name", "name", "pk")


_LABEL_FIELDS = (
    "pk",
    "name",
    "institution_id",
    "institution__name",
    "institution__short_name",
    "kind",
    "mbo_level",
    "hbo_level",
)


def _labels_of(found) -> dict[int, ProgrammeLabel]:
    hbo = dict(HboLevel.choices)
    out = {}
    for pk, name, school, school_name, short, kind, mbo_level, hbo_level in found:
        if kind == SchoolKind.MBO:
            level = f"MBO {mbo_level}"
        else:
            level = f"HBO {str(hbo.get(hbo_level, '')).lower()}".strip()
        out[pk] = ProgrammeLabel(pk, name, school, school_name, short or school_name, level)
    return out


def programme_names(which: Q) -> dict[int, ProgrammeLabel]:
    """Names of programmes as plain values (a national table holds thousands), in the order
    of a table of programmes."""
    return _labels_of(
        Programme.objects.filter(which).order_by(*PROGRAMME_ORDER).values_list(*_LABEL_FIELDS)
    )


def _with_figures(chart: Chart, filters: Filters) -> QuerySet:
    return Programme.objects.filter(pk__in=_facts(chart, filters).values("programme_id"))


def programme_count(*, chart: Chart, filters: Filters) -> int:
    """How many programmes a chart by programme has a row for. One query."""
    return _with_figures(chart, filters).count()


def programme_page(
    *, chart: Chart, filters: Filters, offset: int, limit: int
) -> tuple[dict[int, ProgrammeLabel], dict]:
    """One page of a chart by programme, in the table's order: the programmes' names and
    their sums. Two queries, whatever the number of programmes (thousands nationally)."""
    names = _labels_of(
        _with_figures(chart, filters)
        .order_by(*PROGRAMME_ORDER)
        .values_list(*_LABEL_FIELDS)[offset : offset + limit]
    )
    return names, chart_sums(chart=chart, filters=filters, programmes=list(names) or [0])


def add_programmes(out: Labels, rows: dict) -> None:
    """The programmes a chart by programme has rows for, if not known yet (one query)."""
    missing = [pk for pk in rows if pk is not None and pk not in out.programmes]
    out.programmes.update(programme_names(Q(pk__in=missing or [0])))


def guidance_by_level() -> dict[int, str]:
    """The guidance in words per level, as the placement's quality advisor shows it (MBO: a
    BOL internship's; HBO: an HBO internship's)."""
    texts = {}
    for row in AllowanceGuidance.objects.filter(kind__in=["mbo_bol", "hbo_placement"]):
        amount = number_format(row.amount, decimal_pos=2)
        texts[row.level] = f"€ {amount} {row.get_unit_display()} {row.get_basis_display()}"
    return texts
