"""The sources of the facts, each one grouped query built with the ORM."""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractMonth,
    ExtractYear,
    Floor,
)

from stagebrug.applications.models import StudentProfile
from stagebrug.community.models import Event, Registration
from stagebrug.insights import rules
from stagebrug.insights.refresh.expressions import (
    Days,
    _int,
    allowance_band,
    first_publication,
    guidance_basis,
    guidance_per_month,
    local_date,
    programme_level,
    school_year,
)
from stagebrug.insights.refresh.measures import DIMENSIONS, EVENTS, TEMP, TTF_BANDS
from stagebrug.internships.models import Internship
from stagebrug.internships.models import Status as InternshipStatus
from stagebrug.matching.models import RoundStudent
from stagebrug.placements.models import (
    AllowanceGuidance,
    PlacementEvent,
    PlacementProgramme,
    ProgrammeDecision,
)
from stagebrug.placements.models import Status as PlacementStatus
from stagebrug.supervision.models import Evaluation

# --------------------------------------------------------------------------------------------
# The sources, grouped


def supply(guidance: list[AllowanceGuidance]) -> QuerySet:
    """The placements offered to each programme, grouped by the dimensions and the allowance
    band: places, places taken, placements and the sum of their monthly allowances."""
    published = Exists(
        PlacementEvent.objects.filter(placement=OuterRef("placement_id"), action="published")
    )
    approved = Exists(
        PlacementEvent.objects.filter(
            placement=OuterRef("placement_id"),
            programme=OuterRef("programme_id"),
            action="approved",
        )
    )
    was_public = (
        Q(placement__published_at__isnull=False)
        | Q(placement__status__in=[PlacementStatus.PUBLISHED, PlacementStatus.FILLED])
        | published
    )
    start = Coalesce(
        "placement__earliest_start",
        local_date("placement__published_at"),
        local_date("placement__created_at"),
    )
    return (
        PlacementProgramme.objects.filter(was_public)
        .filter(Q(decision=ProgrammeDecision.APPROVED) | approved)
        .annotate(
            f_school_year=school_year(start),
            f_institution=F("programme__institution_id"),
            f_programme=F("programme_id"),
            f_level=programme_level("programme__"),
            f_sector=F("placement__company__sector__insight_section__section"),
            f_municipality=F("placement__municipality_id"),
            f_guidance=guidance_per_month(guidance),
            f_guidance_basis=guidance_basis(guidance),
            f_band=allowance_band(),
        )
        .values("f_school_year", *DIMENSIONS, "f_band")
        .annotate(
            f_places=Sum("placement__positions"),
            f_taken=Sum("placement__positions_taken"),
            f_n=Count("pk"),
            f_eur=Sum("placement__monthly_allowance"),
        )
        .order_by()
    )


def _month_number(moment) -> Func:
    """The month of a moment (Amsterdam time) counted from year 0: year × 12 + month - 1."""
    day = local_date(moment)
    return _int(ExtractYear(day)) * 12 + _int(ExtractMonth(day)) - 1


def _home(prefix: str) -> F:
    return F(f"{prefix}student_profile__home_pc4__municipality_id")


def search_sources() -> list[QuerySet]:
    """Every sign that a student looks for a place, one row each: the student, the school
    year, the month the search began (counted from year 0), how telling the row is (1 is
    best) and the dimensions. A student looks in a school year when
    1. an internship of theirs starts in it (they needed, and found, a place then: the
       search began at the latest when it was confirmed); or
    2. their profile says they can start in it (`available_from`; else the day they made the
       profile): the open market; or
    3. they take part in a matching round made in it.
    The dimensions come from the most telling row: an internship's programme, else the
    profile's, else the round's; home from the profile."""
    columns = ("f_student", "f_school_year", "f_month", "f_rank", *DIMENSIONS)
    own = {"f_sector": Value(None, output_field=CharField())}
    search_day = Coalesce("available_from", local_date("created_at"))
    internship = Internship.objects.annotate(
        # An erased student's internship still counts, as a student of its own.
        f_student=Coalesce(F("student_id"), -F("pk")),
        f_school_year=school_year(F("start_date")),
        f_month=_month_number("created_at"),
        f_rank=Value(1),
        f_institution=F("institution_id"),
        f_programme=F("programme_id"),
        f_level=programme_level("programme__"),
        f_municipality=_home("student__"),
        **own,
    )
    profile = StudentProfile.objects.annotate(
        f_student=F("user_id"),
        f_school_year=school_year(search_day),
        f_month=_int(ExtractYear(search_day)) * 12 + _int(ExtractMonth(search_day)) - 1,
        f_rank=Value(2),
        f_institution=F("programme__institution_id"),
        f_programme=F("programme_id"),
        f_level=programme_level("programme__"),
        f_municipality=F("home_pc4__municipality_id"),
        **own,
    )
    in_round = RoundStudent.objects.annotate(
        f_student=F("student_id"),
        f_school_year=school_year(local_date("round__created_at")),
        f_month=_month_number("round__created_at"),
        f_rank=Value(3),
        f_institution=F("round__programme__institution_id"),
        f_programme=F("round__programme_id"),
        f_level=programme_level("round__programme__"),
        f_municipality=_home("student__"),
        **own,
    )
    return [qs.values(*columns).order_by() for qs in (internship, profile, in_round)]


def confirmations() -> QuerySet:
    """Per student and school year of the internship's start: the month (counted from year
    0) the student's first such internship was confirmed."""
    return (
        Internship.objects.annotate(
            f_student=Coalesce(F("student_id"), -F("pk")),
            f_year=school_year(F("start_date")),
        )
        .values("f_student", "f_year")
        .annotate(f_month=Min(_month_number("created_at")))
        .order_by()
    )


def sources_sql() -> tuple[str, list]:
    parts = [qs.query.sql_with_params() for qs in search_sources()]
    return " UNION ALL ".join(sql for sql, _ in parts), [p for _, ps in parts for p in ps]


def searches_sql(sources: str = "", sources_params: list | None = None) -> tuple[str, list]:
    """One search per student and school year, grouped by the dimensions, the month of the
    school year the search began (`f_s`, 0 = August) and the month the student was placed
    (`f_p`; 99: not yet): the student is still without a place at the end of months
    f_s … f_p - 1. Placed: an internship was confirmed that starts in that school year or
    later."""
    placed, params = confirmations().query.sql_with_params()
    sources = sources or TEMP["sources"]
    params = [*(sources_params or []), *params]
    dims = ", ".join(DIMENSIONS)
    a_dims = ", ".join(f"a.{d}" for d in DIMENSIONS)
    august = rules.SCHOOL_YEAR_STARTS[0] - 1
    first = f"(f_school_year * 12 + {august})"
    return (
        f"SELECT f_school_year, {dims}, f_s, f_p, COUNT(*) AS f_n FROM ("
        f" SELECT a.f_school_year, {a_dims}, a.f_s,"
        f" COALESCE(MIN(t.f_month) - (a.f_school_year * 12 + {august}), 99) AS f_p"
        " FROM ("
        f"  SELECT f_student, f_school_year, {dims},"
        f"  CASE WHEN f_start < {first} THEN 0 ELSE f_start - {first} END AS f_s"
        "   FROM ("
        "    SELECT s.*, ROW_NUMBER() OVER ("
        # Ties (two rounds of one year) go the same way every run.
        "     PARTITION BY f_student, f_school_year"
        "     ORDER BY f_rank, f_month, f_programme, f_institution) AS f_row,"
        "     MIN(f_month) OVER (PARTITION BY f_student, f_school_year) AS f_start"
        f"    FROM {sources} s"
        "   ) w WHERE f_row = 1"
        f" ) a LEFT JOIN ({placed}) t"
        "  ON t.f_student = a.f_student AND t.f_year >= a.f_school_year"
        f" GROUP BY a.f_student, a.f_school_year, {a_dims}, a.f_s"
        f") x GROUP BY f_school_year, {dims}, f_s, f_p",
        params,
    )


def internships() -> QuerySet:
    """Internships, one row each (grouped in SQL afterwards): the dimensions, the stop reason
    (empty unless stopped) and the days from the placement's first publication to the
    internship's confirmation (empty when the placement has no publication on record)."""
    days = Floor(Days("created_at") - Days("f_published"))
    return (
        Internship.objects.annotate(f_published=first_publication("placement_id"))
        .annotate(
            f_school_year=school_year(F("start_date")),
            f_institution=F("institution_id"),
            f_programme=F("programme_id"),
            f_level=programme_level("programme__"),
            f_sector=F("placement__company__sector__insight_section__section"),
            f_municipality=F("placement__municipality_id"),
            f_reason=Case(
                When(status=InternshipStatus.STOPPED, then=F("stop_reason")),
                default=Value(""),
                output_field=CharField(),
            ),
            # Negative (confirmed before a later first publication on record): clamped to 0
            # when summed. Not here: GREATEST skips a NULL on PostgreSQL but not on SQLite.
            f_days=_int(days),
        )
        .values("f_school_year", *DIMENSIONS, "f_reason", "f_days")
        .order_by()
    )


DAYS = "(CASE WHEN f_days < 0 THEN 0 ELSE f_days END)"


def ttf_band_sql(column: str) -> str:
    """The band of a number of days, in SQL."""
    whens = " ".join(
        f"WHEN {column} <= {upper} THEN '{key}'" for key, upper in TTF_BANDS if upper is not None
    )
    return f"CASE {whens} ELSE '{TTF_BANDS[-1][0]}' END"


def evaluations() -> QuerySet:
    """Decided evaluations by kind (the measure) and decision (the key)."""
    return (
        Evaluation.objects.exclude(decision="")
        .annotate(
            f_school_year=school_year(F("internship__start_date")),
            f_measure=F("kind"),
            f_key=F("decision"),
            f_institution=F("internship__institution_id"),
            f_programme=F("internship__programme_id"),
            f_level=programme_level("internship__programme__"),
            f_sector=F("internship__placement__company__sector__insight_section__section"),
            f_municipality=F("internship__placement__municipality_id"),
        )
        .values("f_school_year", "f_measure", "f_key", *DIMENSIONS)
        .annotate(f_value=Count("pk"))
        .order_by()
    )


def _event_dimensions(prefix: str) -> dict:
    return {
        "f_school_year": school_year(local_date(f"{prefix}starts_at")),
        "f_institution": F(f"{prefix}institution_id"),
        "f_programme": F(f"{prefix}programme_id"),
        "f_level": Case(
            When(**{f"{prefix}programme__isnull": True}, then=Value(0)),
            default=programme_level(f"{prefix}programme__"),
            output_field=IntegerField(),
        ),
        "f_sector": F(f"{prefix}sector__insight_section__section"),
        "f_municipality": F(f"{prefix}pc4__municipality_id"),
    }


def events() -> QuerySet:
    """Events that were not cancelled, by kind."""
    return (
        Event.objects.exclude(state=Event.State.CANCELLED)
        .annotate(
            f_measure=Value(EVENTS, output_field=CharField()),
            f_key=F("kind"),
            **_event_dimensions(""),
        )
        .values("f_school_year", "f_measure", "f_key", *DIMENSIONS)
        .annotate(f_value=Count("pk"))
        .order_by()
    )


def registrations() -> QuerySet:
    """Sign-ups for those events (confirmed places) and who came, by the event's kind."""
    return (
        Registration.objects.exclude(event__state=Event.State.CANCELLED)
        .annotate(f_key=F("event__kind"), **_event_dimensions("event__"))
        .values("f_school_year", "f_key", *DIMENSIONS)
        .annotate(
            f_registered=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
            f_attended=Count("pk", filter=Q(attended_at__isnull=False)),
        )
        .order_by()
    )
