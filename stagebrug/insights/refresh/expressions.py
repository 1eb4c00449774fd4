"""ORM expressions the sources share: school years, months, levels, the allowance
guidance, days between two moments; the same SQL on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractMonth,
    ExtractYear,
    Round,
    TruncDate,
)
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from stagebrug.insights import rules
from stagebrug.insights.refresh.measures import (
    AMSTERDAM,
    BAND_HALF,
    BAND_MEETS,
    BAND_NONE,
    BAND_UNDER,
    BAND_UNKNOWN,
)
from stagebrug.placements.models import (
    HOURS_PER_MONTH_PER_WEEKLY_HOUR,
    AllowanceGuidance,
    AllowanceUnit,
    PlacementEvent,
)
from stagebrug.registry.levels import HBO_LEVEL
from stagebrug.registry.models import SchoolKind

# --------------------------------------------------------------------------------------------
# Expressions


class Days(Func):
    """A moment as days since the epoch (fractional), so two moments subtract to days on
    both databases."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="julianday(%(expressions)s)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)",
            **extra,
        )


def _int(expression) -> Cast:
    # EXTRACT gives numeric on PostgreSQL: integers group and compare alike everywhere.
    return Cast(expression, IntegerField())


def school_year(day) -> Case:
    """The school year (by its first calendar year) of a date expression."""
    year = _int(ExtractYear(day))
    return Case(
        When(LessThan(_int(ExtractMonth(day)), rules.SCHOOL_YEAR_STARTS[0]), then=year - 1),
        default=year,
        output_field=IntegerField(),
    )


def month_index(day) -> Case:
    """0 for August … 11 for July: the month of a date within its own school year."""
    month = _int(ExtractMonth(day))
    first = rules.SCHOOL_YEAR_STARTS[0]
    return Case(
        When(GreaterThanOrEqual(month, first), then=month - first),
        default=month + (12 - first),
        output_field=IntegerField(),
    )


def local_date(moment) -> TruncDate:
    return TruncDate(moment, tzinfo=AMSTERDAM)


def programme_level(prefix: str) -> Case:
    """A programme's level on the placements' scale: MBO 1–4, HBO 5."""
    return Case(
        When(**{f"{prefix}kind": SchoolKind.HBO}, then=Value(HBO_LEVEL)),
        default=Coalesce(F(f"{prefix}mbo_level"), Value(0)),
        output_field=IntegerField(),
    )


def _level_q(prefix: str, level: int) -> Q:
    if level >= HBO_LEVEL:
        return Q(**{f"{prefix}kind": SchoolKind.HBO})
    return Q(**{f"{prefix}kind": SchoolKind.MBO, f"{prefix}mbo_level": level})


def guidance_per_month(guidance: list[AllowanceGuidance]) -> Case:
    """The guidance's allowance per month for a placement (kind) offered to a programme
    (level), in whole euros, as `placements.selectors.guidance_for` computes it for one
    placement's quality advice (so a placement the advisor says meets it, meets it here)."""
    whens = []
    for row in guidance:
        if row.unit == AllowanceUnit.HOUR:
            amount = (
                Value(row.amount)
                * F("placement__hours_per_week")
                * Value(HOURS_PER_MONTH_PER_WEEKLY_HOUR.quantize(Decimal("0.0001")))
            )
        else:
            amount = Value(row.amount)
        whens.append(
            When(Q(placement__kind=row.kind) & _level_q("programme__", row.level), Round(amount))
        )
    return Case(*whens, default=None, output_field=DecimalField(max_digits=12, decimal_places=4))


def guidance_basis(guidance: list[AllowanceGuidance]) -> Case:
    """The basis (gross or net) of the guidance `guidance_per_month` picks for a row."""
    whens = [
        When(Q(placement__kind=row.kind) & _level_q("programme__", row.level), Value(row.basis))
        for row in guidance
    ]
    return Case(*whens, default=None, output_field=CharField())


def allowance_band() -> Case:
    """The allowance against the guidance, like with like (`placements.quality.
    compare_allowance`): a gross allowance at or above a net guidance, or a net one below a
    gross guidance, cannot be compared and counts as unknown rather than guessed."""
    allowance = "placement__monthly_allowance"
    return Case(
        When(**{f"{allowance}__lte": 0}, then=Value(BAND_NONE)),
        When(f_guidance__isnull=True, then=Value(BAND_UNKNOWN)),
        When(
            Q(placement__allowance_basis="gross", f_guidance_basis="net", f_guidance__gt=0)
            & Q(**{f"{allowance}__gte": F("f_guidance")}),
            then=Value(BAND_UNKNOWN),
        ),
        When(
            Q(placement__allowance_basis="net", f_guidance_basis="gross")
            & Q(**{f"{allowance}__lt": F("f_guidance")}),
            then=Value(BAND_UNKNOWN),
        ),
        When(**{f"{allowance}__lt": F("f_guidance") / Value(2)}, then=Value(BAND_HALF)),
        When(**{f"{allowance}__lt": F("f_guidance")}, then=Value(BAND_UNDER)),
        default=Value(BAND_MEETS),
        output_field=CharField(),
    )


def first_publication(placement_ref: str) -> Coalesce:
    """When a placement was first published: its history's first "published", else (data
    loaded without a history) its `published_at`."""
    events = (
        PlacementEvent.objects.filter(placement=OuterRef(placement_ref), action="published")
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(events), F("placement__published_at"))
