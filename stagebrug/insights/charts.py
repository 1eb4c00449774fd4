"""The insight charts: what each one shows, which facts it sums, and how its columns are
computed from those sums. Pages, CSV files and the API all read these definitions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stagebrug.community.models import Event
from stagebrug.insights import refresh as m
from stagebrug.insights import rules
from stagebrug.insights.rules import Cell
from stagebrug.internships.models import StopReason
from stagebrug.supervision.models.evaluations import Decision

#: The sums of one row: (measure, key) → total. `Get(measure)` adds every key of a measure,
#: `Get(measure, key)` reads one.
Sums = Mapping[tuple[str, str], int]


class Get:
    """Read a row's sums: a measure over all its keys, or one key of it. `row` is the row's
    key (a level, a code, ...) and `context` what else a column may show (the guidance)."""

    def __init__(self, sums: Sums, row: object = None, context: Mapping | None = None) -> None:
        self.sums = sums
        self.row = row
        self.context = context or {}

    def __call__(self, measure: str, key: str | None = None) -> int:
        if key is not None:
            return self.sums.get((measure, key), 0)
        return sum(v for (mm, _k), v in self.sums.items() if mm == measure)


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    compute: Callable[[Get], Cell]
    #: Drawn in the chart (counts only; rates and means stay in the table).
    plot: bool = False
    #: Bars of columns with the same stack are stacked.
    stack: str = ""


def count(key: str, label, measure: str, fact_key: str | None = None, *, plot=True, stack=""):
    return Column(key, label, lambda get: rules.count_cell(get(measure, fact_key)), plot, stack)


def percent(key: str, label, part: tuple[str, str | None], whole: tuple[str, str | None]):
    return Column(key, label, lambda get: rules.percent_cell(get(*part), get(*whole)))


def ratio(key: str, label, part: tuple[str, str | None], whole: tuple[str, str | None]):
    return Column(key, label, lambda get: rules.ratio_cell(get(*part), get(*whole)))


def mean(key: str, label, total: tuple[str, str | None], n: tuple[str, str | None], prefix=""):
    return Column(key, label, lambda get: rules.mean_cell(get(*total), get(*n), prefix=prefix))


def chance(key: str, label):
    def compute(get: Get) -> Cell:
        found = rules.chance_of_a_place(get(m.PLACES), get(m.LOOKING))
        return rules.text_cell(found.label)

    return Column(key, label, compute)


# Dimensions a chart can be drawn by.
LEVEL, SECTOR, PROGRAMME, MUNICIPALITY, KEY = "level", "sector", "programme", "municipality", "key"


@dataclass(frozen=True)
class Chart:
    slug: str
    title: Promise
    #: One sentence: what the chart answers.
    question: Promise
    #: How its figures are defined (shown under the chart, in the docs and the API).
    about: Promise
    by: str
    by_label: Promise
    measures: tuple[str, ...]
    columns: tuple[Column, ...]
    #: bar, line; horizontal bars for long labels; stacked for shares of one whole.
    type: str = "bar"
    horizontal: bool = False
    #: For charts by KEY: the rows, in order (key, label).
    keys: tuple[tuple[str, Promise | str], ...] = field(default_factory=tuple)


PLACES = count("places", _("Places offered"), m.PLACES)
LOOKING = count("looking", _("Students looking"), m.LOOKING)
PLACED = count("placed", _("Students placed"), m.PLACED)
PER_STUDENT = ratio(
    "per_student", _("Places per student looking"), (m.PLACES, None), (m.LOOKING, None)
)
FILL_RATE = percent("fill_rate", _("Fill rate"), (m.TAKEN, None), (m.PLACES, None))

ABOUT_SUPPLY = _(
    "Places offered: the positions of every placement that was published and approved for "
    "the programme, in the school year of its first start date (a placement open to two "
    "programmes counts for each). Students looking: every student who needed a place that "
    "school year: their internship starts in it, their profile says they can start in it, or "
    "they took part in a matching round made in it. Students placed: internships that start "
    "in the school year."
)

CHARTS: tuple[Chart, ...] = (
    Chart(
        slug="levels",
        title=_("Supply and demand by level"),
        question=_("Are there enough places for each level?"),
        about=ABOUT_SUPPLY,
        by=LEVEL,
        by_label=_("Level"),
        measures=(m.PLACES, m.LOOKING, m.PLACED),
        columns=(PLACES, LOOKING, PLACED, PER_STUDENT),
    ),
    Chart(
        slug="sectors",
        title=_("Places by sector"),
        question=_("Which trades offer places, and how many are taken?"),
        about=_(
            "By the SBI section of the business. Places offered as in the other charts; places "
            "taken: the positions confirmed internships took; fill rate: taken of offered. "
            "Students looking choose a programme, not a trade, so they have no sector."
        ),
        by=SECTOR,
        by_label=_("Sector (SBI)"),
        measures=(m.PLACES, m.TAKEN, m.PLACED),
        columns=(
            PLACES,
            count("taken", _("Places taken"), m.TAKEN),
            FILL_RATE,
            PLACED,
        ),
        horizontal=True,
    ),
    Chart(
        slug="programmes",
        title=_("Supply and demand by programme"),
        question=_("For which programmes are places scarce?"),
        about=ABOUT_SUPPLY,
        by=PROGRAMME,
        by_label=_("Programme"),
        measures=(m.PLACES, m.LOOKING, m.PLACED),
        columns=(PLACES, LOOKING, PLACED, PER_STUDENT, chance("chance", _("Chance of a place"))),
        horizontal=True,
    ),
    Chart(
        slug="municipalities",
        title=_("Supply and demand by municipality"),
        question=_("Where in the Amsterdam region are the places, and where do the students live?"),
        about=_(
            "Every municipality of the Amsterdam Metropolitan Region (MRA); the rest of the "
            "country together. Places offered and students placed count where the placement "
            "is; students looking count where they live (their home postcode area, when they "
            "gave it)."
        ),
        by=MUNICIPALITY,
        by_label=_("Municipality"),
        measures=(m.PLACES, m.LOOKING, m.PLACED),
        columns=(PLACES, LOOKING, PLACED),
        horizontal=True,
    ),
    Chart(
        slug="fill",
        title=_("Fill rate and time to fill, by level"),
        question=_("How many places are taken, and how fast?"),
        about=_(
            "Fill rate: the positions confirmed internships took, of the places offered. Days "
            "to fill: from the day the placement was first published to the day an "
            "internship took a position, on average."
        ),
        by=LEVEL,
        by_label=_("Level"),
        measures=(m.PLACES, m.TAKEN, m.TTF, m.TTF_DAYS),
        columns=(
            PLACES,
            count("taken", _("Places taken"), m.TAKEN),
            FILL_RATE,
            mean("days", _("Days to fill (average)"), (m.TTF_DAYS, None), (m.TTF, None)),
        ),
    ),
    Chart(
        slug="time-to-fill",
        title=_("Time to fill a place"),
        question=_("How long does a published place wait for its student?"),
        about=_(
            "For every internship: the days from the first publication of its placement to "
            "the day the internship was confirmed, in the school year it starts."
        ),
        by=KEY,
        by_label=_("Days"),
        measures=(m.TTF,),
        columns=(count("filled", _("Places filled"), m.TTF),),
        keys=(
            ("0-7", _("Within a week")),
            ("8-30", _("8 to 30 days")),
            ("31-60", _("31 to 60 days")),
            ("61-90", _("61 to 90 days")),
            ("91+", _("More than 90 days")),
        ),
    ),
    Chart(
        slug="unplaced",
        title=_("Students still without a place, by month"),
        question=_("How many students are still looking as the school year goes on?"),
        about=_(
            "At the end of each month (or today, for this month): the students looking that "
            "school year who had begun looking and had no internship confirmed yet. The "
            "sector filter does not apply: students looking have no sector."
        ),
        by=KEY,
        by_label=_("Month"),
        measures=(m.UNPLACED,),
        columns=(count("unplaced", _("Without a place"), m.UNPLACED),),
        type="line",
    ),
    Chart(
        slug="stops",
        title=_("Early stops by reason"),
        question=_("Why do internships end early?"),
        about=_(
            "Internships that stopped before their end, by the reason given when they were "
            "stopped, in the school year they started. The notes written then are never shown."
        ),
        by=KEY,
        by_label=_("Reason"),
        measures=(m.STOPPED,),
        columns=(count("stopped", _("Stopped early"), m.STOPPED),),
        horizontal=True,
        keys=tuple((reason.value, reason.label) for reason in StopReason),
    ),
    Chart(
        slug="allowance",
        title=_("Allowance against the guidance, by level"),
        question=_("Do businesses pay the allowance the guidance asks (W5, W22)?"),
        about=_(
            "The placements offered, by their allowance per month against the guidance for "
            "their kind and the programme's level (an hourly guidance is converted with the "
            "placement's hours; gross and net are not told apart)."
        ),
        by=LEVEL,
        by_label=_("Level"),
        measures=(m.ALLOWANCE, m.ALLOWANCE_EUR),
        columns=(
            Column(
                "guidance",
                _("Guidance"),
                lambda get: rules.text_cell(get.context.get("guidance", {}).get(get.row, "")),
            ),
            # The total of the bands: hidden unless every band is shown (a band under five
            # would be the total less the others).
            Column(
                "placements",
                _("Placements"),
                lambda get: rules.total_cell([get(m.ALLOWANCE, band) for band in m.BANDS]),
            ),
            mean(
                "average",
                _("Average per month"),
                (m.ALLOWANCE_EUR, None),
                (m.ALLOWANCE, None),
                prefix="€ ",
            ),
            count("none", _("No allowance"), m.ALLOWANCE, m.BAND_NONE, stack="a"),
            count(
                "under_half", _("Less than half the guidance"), m.ALLOWANCE, m.BAND_HALF, stack="a"
            ),
            count("under", _("Below the guidance"), m.ALLOWANCE, m.BAND_UNDER, stack="a"),
            count("meets", _("Meets the guidance"), m.ALLOWANCE, m.BAND_MEETS, stack="a"),
            count(
                "no_guidance",
                _("No guidance, or gross and net not comparable"),
                m.ALLOWANCE,
                m.BAND_UNKNOWN,
                stack="a",
            ),
        ),
    ),
    Chart(
        slug="evaluations",
        title=_("Evaluation outcomes by level"),
        question=_("How do interns do at the mid-term and final evaluations?"),
        about=_(
            "The school's decisions on the mid-term and final evaluations, in the school year "
            "the internship started."
        ),
        by=LEVEL,
        by_label=_("Level"),
        measures=(m.MIDTERM, m.FINAL),
        columns=(
            count("on_track", Decision.ON_TRACK.label, m.MIDTERM, Decision.ON_TRACK, stack="mid"),
            count(
                "attention", _("With points to work on"), m.MIDTERM, Decision.ATTENTION, stack="mid"
            ),
            count("at_risk", _("At risk"), m.MIDTERM, Decision.AT_RISK, stack="mid"),
            count("passed", Decision.PASSED.label, m.FINAL, Decision.PASSED, stack="final"),
            count(
                "not_passed", Decision.NOT_PASSED.label, m.FINAL, Decision.NOT_PASSED, stack="final"
            ),
        ),
    ),
    Chart(
        slug="events",
        title=_("Events and guest lectures"),
        question=_("Do schools and businesses meet (W0, W7)?"),
        about=_(
            "Events that were not cancelled, by kind, in the school year they take place; the "
            "places confirmed at sign-up (not the waiting list) and who was marked present at "
            "the door. For a school: the events it organised."
        ),
        by=KEY,
        by_label=_("Kind of event"),
        measures=(m.EVENTS, m.REGISTERED, m.ATTENDED),
        columns=(
            count("events", _("Events"), m.EVENTS),
            count("registered", _("Signed up"), m.REGISTERED),
            count("attended", _("Attended"), m.ATTENDED),
        ),
        keys=tuple((kind.value, kind.label) for kind in Event.Kind),
    ),
)

BY_SLUG = {chart.slug: chart for chart in CHARTS}

#: The public page: the chance of a place per programme.
CHANCE = Chart(
    slug="chance",
    title=_("Chance of a place"),
    question=_("How many places are there for each student looking, per programme?"),
    about=_(
        "Places offered for the programme's students that school year, for each student of the "
        "programme looking for a place (see the definitions below). Good: 1.5 places or more "
        "per student; fair: 1 to 1.5; moderate: 0.5 to 1; poor: fewer."
    ),
    by=PROGRAMME,
    by_label=_("Programme"),
    measures=(m.PLACES, m.LOOKING),
    columns=(PLACES, LOOKING, PER_STUDENT, chance("chance", _("Chance of a place"))),
    horizontal=True,
)
