"""The partnership record (W7): per business and school, what the business did for the school
year by year — placements offered (including the years it offered fewer, or none), interns
hosted, completed and stopped, the final evaluations' outcomes, guest lectures given and events
attended. Read from what Stagebrug records, in a handful of grouped queries whatever the number
of years or schools."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from stagebrug.community.models import Event, Registration
from stagebrug.internships.models import Internship, Status
from stagebrug.placements.models import PlacementProgramme
from stagebrug.registry.models import Company, Institution
from stagebrug.supervision.models import Evaluation

#: A school year starts on 1 August.
YEAR_STARTS = 8
MEASURES = (
    "placements",
    "positions",
    "interns",
    "completed",
    "stopped",
    "passed",
    "not_passed",
    "lectures",
    "events",
)


def school_year(day: dt.date) -> int:
    """The school year a day falls in, by the calendar year it starts in (2026: 2026–2027)."""
    return day.year if day.month >= YEAR_STARTS else day.year - 1


def year_label(year: int) -> str:
    return f"{year}–{year + 1}"


def year_start(year: int) -> dt.date:
    return dt.date(year, YEAR_STARTS, 1)


@dataclass
class YearRow:
    year: int
    placements: int = 0
    positions: int = 0
    interns: int = 0
    completed: int = 0
    stopped: int = 0
    passed: int = 0
    not_passed: int = 0
    lectures: int = 0
    events: int = 0

    @property
    def label(self) -> str:
        return year_label(self.year)


@dataclass
class Record:
    institution: Institution
    years: list[YearRow] = field(default_factory=list)

    @property
    def totals(self) -> YearRow:
        out = YearRow(year=0)
        for row in self.years:
            for name in MEASURES:
                setattr(out, name, getattr(out, name) + getattr(row, name))
        return out


def _add(merged: dict, school: int | None, year: int, values: dict) -> None:
    bucket = merged[(school, year)]
    for name, value in values.items():
        bucket[name] = bucket.get(name, 0) + (value or 0)


def _grouped(rows: Iterable[dict], merged: dict) -> None:
    """Rows grouped by school, calendar year `y` and month `m` → summed per school year."""
    for row in rows:
        year = row["y"] if row["m"] >= YEAR_STARTS else row["y"] - 1
        _add(
            merged,
            row["school"],
            year,
            {k: v for k, v in row.items() if k not in ("y", "m", "school")},
        )


def company_record(
    *, company: Company, institution: Institution | None = None, today: dt.date | None = None
) -> list[Record]:
    """The business's record per school (or with one school), a row per school year from its
    first year with the school to this one, the newest first; years without anything are
    included (W7: a partner in good and bad times)."""
    today = today or timezone.localdate()
    offered = PlacementProgramme.objects.filter(
        placement__company=company, placement__published_at__isnull=False
    )
    interns = Internship.objects.filter(placement__company=company)
    outcomes = Evaluation.objects.filter(
        internship__placement__company=company,
        kind=Evaluation.Kind.FINAL,
        decided_at__isnull=False,
    )
    lectures = Event.objects.filter(
        company=company,
        kind=Event.Kind.GUEST_LECTURE,
        state=Event.State.PUBLISHED,
        starts_at__lte=timezone.now(),
    )
    attended = Registration.objects.filter(company=company, attended_at__isnull=False)
    if institution is not None:
        offered = offered.filter(programme__institution=institution)
        interns = interns.filter(institution=institution)
        outcomes = outcomes.filter(internship__institution=institution)
        lectures = lectures.filter(institution=institution)
        attended = attended.filter(event__institution=institution)

    merged: dict[tuple[int | None, int], dict] = defaultdict(dict)
    seen: set[tuple[int, int]] = set()
    for school, placement_id, published_at, positions in offered.values_list(
        "programme__institution_id",
        "placement_id",
        "placement__published_at",
        "placement__positions",
    ).distinct():
        if (school, placement_id) not in seen:
            seen.add((school, placement_id))
            year = school_year(timezone.localdate(published_at))
            _add(merged, school, year, {"placements": 1, "positions": positions})
    _grouped(
        interns.values(
            school=F("institution_id"), y=ExtractYear("start_date"), m=ExtractMonth("start_date")
        )
        .annotate(
            interns=Count("pk"),
            completed=Count("pk", filter=Q(status=Status.COMPLETED)),
            stopped=Count("pk", filter=Q(status=Status.STOPPED)),
        )
        .order_by(),
        merged,
    )
    _grouped(
        outcomes.values(
            school=F("internship__institution_id"),
            y=ExtractYear("due_on"),
            m=ExtractMonth("due_on"),
        )
        .annotate(
            passed=Count("pk", filter=Q(decision=Evaluation.Decision.PASSED)),
            not_passed=Count("pk", filter=Q(decision=Evaluation.Decision.NOT_PASSED)),
        )
        .order_by(),
        merged,
    )
    _grouped(
        lectures.values(
            school=F("institution_id"), y=ExtractYear("starts_at"), m=ExtractMonth("starts_at")
        )
        .annotate(lectures=Count("pk"))
        .order_by(),
        merged,
    )
    _grouped(
        attended.values(
            school=F("event__institution_id"),
            y=ExtractYear("event__starts_at"),
            m=ExtractMonth("event__starts_at"),
        )
        .annotate(events=Count("event_id", distinct=True))
        .order_by(),
        merged,
    )
    schools = {i.pk: i for i in Institution.objects.filter(pk__in={s for s, _y in merged if s})}
    if institution is not None:
        schools.setdefault(institution.pk, institution)
    now_year = school_year(today)
    records = []
    for school_id in sorted(schools, key=lambda pk: schools[pk].name):
        years = sorted(y for s, y in merged if s == school_id)
        first = min(years[0], now_year) if years else now_year
        rows = [
            YearRow(year=y, **merged.get((school_id, y), {}))
            for y in range(first, max(now_year, years[-1] if years else now_year) + 1)
        ]
        records.append(Record(institution=schools[school_id], years=list(reversed(rows))))
    return records


def _count(qs, on: str):
    """The number of distinct `on` in a correlated queryset, as a subquery (0 when none)."""
    return Coalesce(
        Subquery(
            qs.order_by()
            .values(_group=F("pk") * 0)
            .annotate(n=Count(on, distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


SORTS = {
    "-last_offered": F("last_offered").desc(nulls_last=True),
    "last_offered": F("last_offered").asc(nulls_first=True),
    "-offered_this_year": F("offered_this_year").desc(),
    "-interns": F("interns").desc(),
    "-lectures": F("lectures").desc(),
    "name": F("name").asc(),
}


def partners(
    *,
    institution: Institution,
    order: str = "-last_offered",
    quiet_for_a_year: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Company]:
    """The businesses that offered a place to one of the school's programmes, hosted one of
    its students or gave it a guest lecture, with what they did (`last_offered`,
    `offered_this_year`, `interns`, `lectures`); sortable; `quiet_for_a_year`: those that have
    not offered a place for a year."""
    today = today or timezone.localdate()
    this_year = year_start(school_year(today))
    offered = PlacementProgramme.objects.filter(
        placement__company=OuterRef("pk"),
        programme__institution=institution,
        placement__published_at__isnull=False,
    )
    hosted = Internship.objects.filter(placement__company=OuterRef("pk"), institution=institution)
    given = Event.objects.filter(
        company=OuterRef("pk"), institution=institution, kind=Event.Kind.GUEST_LECTURE
    )
    qs = Company.objects.filter(Exists(offered) | Exists(hosted) | Exists(given)).annotate(
        last_offered=Subquery(
            offered.order_by("-placement__published_at").values("placement__published_at")[:1]
        ),
        offered_this_year=_count(
            offered.filter(placement__published_at__date__gte=this_year), "placement_id"
        ),
        interns=_count(hosted, "pk"),
        lectures=_count(given, "pk"),
    )
    if quiet_for_a_year:
        qs = qs.filter(
            Q(last_offered__lt=timezone.now() - dt.timedelta(days=365))
            | Q(last_offered__isnull=True)
        )
    return qs.select_related("pc4__municipality", "sector").order_by(
        SORTS.get(order, SORTS["-last_offered"]), "name", "pk"
    )
