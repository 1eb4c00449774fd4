"""Eligibility (C2): may this business host this placement for this programme?

Each rule is a plain function over plain facts and returns a Verdict with its status
(ok / not_ok / warning / unknown), the reason, what to do about it, and the whitepaper
recommendation it comes from. `evaluate()` runs all rules for one programme; a programme with a
`not_ok` verdict is never offered the placement (the services enforce it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagebrug.registry.levels import level_label

OK = "ok"
NOT_OK = "not_ok"
WARNING = "warning"
UNKNOWN = "unknown"
_ORDER = {OK: 0, UNKNOWN: 1, WARNING: 2, NOT_OK: 3}

HBO_MIN_EMPLOYEES = 5  # W17
#: W17: an HBO student's supervisor has an HBO education (an associate degree or higher,
#: `registry.EducationLevel`), whatever the programme's own requirement says.
HBO_SUPERVISOR_MIN_LEVEL = 5


# --------------------------------------------------------------------------------------------
# Facts: plain data, built from the database by `facts.py`, or by hand in tests.


@dataclass(frozen=True)
class RecognitionFacts:
    crebo: str
    dossier_crebo: str
    level: int
    valid_from: dt.date
    valid_until: dt.date
    name: str = ""


@dataclass(frozen=True)
class SupervisorFacts:
    id: int
    name: str
    education_level: int
    education_sector: str


@dataclass(frozen=True)
class CompanyFacts:
    employee_count: int
    recognitions: tuple[RecognitionFacts, ...] = ()
    supervisors: tuple[SupervisorFacts, ...] = ()


@dataclass(frozen=True)
class Requirement:
    min_employees: int | None = None
    supervisor_min_level: int | None = None
    supervisor_same_sector: bool = False
    min_supervision_hours_per_week: Decimal | None = None
    hours_per_week_min: int | None = None
    hours_per_week_max: int | None = None
    duration_weeks_min: int | None = None
    duration_weeks_max: int | None = None
    start_months: tuple[int, ...] = ()


@dataclass(frozen=True)
class ProgrammeFacts:
    id: int
    name: str
    kind: str  # "mbo" | "hbo"
    level: int  # MBO 1-4, HBO = 5
    sector: str
    crebo: str = ""
    dossier_crebo: str = ""
    requirement: Requirement = field(default_factory=Requirement)


@dataclass(frozen=True)
class PlacementFacts:
    kind: str  # "mbo" | "hbo" (the school kind of the placement's kind)
    levels: tuple[int, ...]
    hours_per_week: int | None
    duration_weeks: int | None
    start_dates: tuple[dt.date, ...]
    supervision_hours_per_week: Decimal | None = None
    buddy_id: int | None = None
    is_duo: bool = False  # one MBO and one HBO student together (W21)
    today: dt.date | None = None  # a recognition that ended before today no longer counts


@dataclass(frozen=True)
class Verdict:
    rule: str
    status: str
    reason: str
    fix: str
    w: str
    programme_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def worst(verdicts: Iterable[Verdict]) -> str:
    """The overall status: not_ok beats warning beats unknown beats ok."""
    return max((v.status for v in verdicts), key=_ORDER.__getitem__, default=OK)


def _date(day: dt.date) -> str:
    return date_format(day, "j F Y")


# --------------------------------------------------------------------------------------------
# Rules


def rule_kind(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> Verdict | None:
    """The placement is written for the programme's kind of education (W18); a duo placement
    has a seat for each kind (W21)."""
    if p.is_duo:
        return Verdict(
            "kind",
            OK,
            _("A duo placement has a seat for an %(kind)s student.") % {"kind": prog.kind.upper()},
            "",
            "W21",
        )
    if p.kind == prog.kind:
        return Verdict(
            "kind", OK, _("This is an %(kind)s placement.") % {"kind": prog.kind.upper()}, "", "W18"
        )
    return Verdict(
        "kind",
        NOT_OK,
        _("%(programme)s is an %(school)s programme, but this placement is for %(kind)s.")
        % {"programme": prog.name, "school": prog.kind.upper(), "kind": p.kind.upper()},
        _("Choose a programme of the right kind, or change the kind of placement."),
        "W18",
    )


def rule_level(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> Verdict | None:
    """The placement suits the programme's level (W4: tasks at the right level)."""
    if prog.level in p.levels:
        return Verdict(
            "level",
            OK,
            _("The placement suits %(level)s.") % {"level": level_label(prog.level)},
            "",
            "W4",
        )
    levels = ", ".join(level_label(lv) for lv in p.levels) or "—"
    return Verdict(
        "level",
        NOT_OK,
        _("%(programme)s is at %(level)s, but the placement is for %(levels)s.")
        % {"programme": prog.name, "level": level_label(prog.level), "levels": levels},
        _("Add %(level)s to the levels if the tasks fit it, or choose another programme.")
        % {"level": level_label(prog.level)},
        "W4",
    )


def covers(r: RecognitionFacts, prog: ProgrammeFacts) -> bool:
    """Whether a recognition is for this MBO programme: its crebo or dossier, and its level (W3).
    Validity on a date is checked apart."""
    same = r.crebo == prog.crebo or (prog.dossier_crebo and r.dossier_crebo == prog.dossier_crebo)
    return bool(same) and r.level == prog.level


def rule_recognition(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> Verdict | None:
    """MBO: a valid SBB recognition for the crebo (or its dossier) and level on every start
    date (W3). Recognitions for the dossier count because SBB recognises related professions."""
    if prog.kind != "mbo":
        return None
    matching = [r for r in c.recognitions if covers(r, prog)]
    if not matching:
        other_level = [
            r
            for r in c.recognitions
            if r.crebo == prog.crebo
            or (prog.dossier_crebo and r.dossier_crebo == prog.dossier_crebo)
        ]
        if other_level:
            return Verdict(
                "recognition",
                NOT_OK,
                _(
                    "Your SBB recognition for %(name)s is at level %(has)s; this programme is level %(needs)s."
                )
                % {
                    "name": other_level[0].name or other_level[0].crebo,
                    "has": other_level[0].level,
                    "needs": prog.level,
                },
                _("Ask SBB for a recognition at level %(level)s.") % {"level": prog.level},
                "W3",
            )
        return Verdict(
            "recognition",
            NOT_OK,
            _("You have no SBB recognition for %(programme)s (crebo %(crebo)s).")
            % {"programme": prog.name, "crebo": prog.crebo},
            _("Apply for a recognition as leerbedrijf at SBB (s-bb.nl); it is free."),
            "W3",
        )
    if p.today is not None and all(r.valid_until < p.today for r in matching):
        ended = max(r.valid_until for r in matching)
        return Verdict(
            "recognition",
            NOT_OK,
            _("Your SBB recognition for %(programme)s ended on %(until)s.")
            % {"programme": prog.name, "until": _date(ended)},
            _(
                "Renew your recognition at SBB and enter the new dates under your company's "
                "recognitions: the placement is offered again as soon as it is valid."
            ),
            "W3",
        )
    if not p.start_dates:
        return Verdict(
            "recognition",
            UNKNOWN,
            _("Recognised, but without a start date we cannot check it is valid then."),
            _("Add a start date."),
            "W3",
        )
    uncovered = [
        d for d in p.start_dates if not any(r.valid_from <= d <= r.valid_until for r in matching)
    ]
    if len(uncovered) == len(p.start_dates):
        last = max(matching, key=lambda r: r.valid_until)
        return Verdict(
            "recognition",
            NOT_OK,
            _(
                "Your SBB recognition is not valid on the start date %(date)s (valid %(from)s to %(until)s)."
            )
            % {
                "date": _date(uncovered[0]),
                "from": _date(last.valid_from),
                "until": _date(last.valid_until),
            },
            _("Renew your recognition at SBB, or choose a start date within its validity."),
            "W3",
        )
    if uncovered:
        return Verdict(
            "recognition",
            WARNING,
            _("Your SBB recognition is not valid on %(dates)s.")
            % {"dates": ", ".join(_date(d) for d in uncovered)},
            _("Renew your recognition before then, or drop those start dates."),
            "W3",
        )
    last_end = max(p.start_dates) + dt.timedelta(weeks=p.duration_weeks or 0)
    if all(r.valid_until < last_end for r in matching):
        return Verdict(
            "recognition",
            WARNING,
            _("Your SBB recognition ends on %(until)s, before the placement ends.")
            % {"until": _date(max(r.valid_until for r in matching))},
            _("Renew it in time at SBB."),
            "W3",
        )
    return Verdict(
        "recognition", OK, _("You have a valid SBB recognition for this qualification."), "", "W3"
    )


def rule_employees(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> Verdict | None:
    """HBO: at least 5 employees (W17), or more if the programme asks for more."""
    minimum = prog.requirement.min_employees or 0
    if prog.kind == "hbo":
        minimum = max(minimum, HBO_MIN_EMPLOYEES)
    if not minimum:
        return None
    if c.employee_count >= minimum:
        return Verdict(
            "employees",
            OK,
            _("You have %(n)s employees (at least %(min)s needed).")
            % {"n": c.employee_count, "min": minimum},
            "",
            "W17",
        )
    return Verdict(
        "employees",
        NOT_OK,
        _("%(programme)s asks for at least %(min)s employees; you have %(n)s.")
        % {"programme": prog.name, "min": minimum, "n": c.employee_count},
        _("Consider an MBO programme, or a duo placement with a larger partner."),
        "W17",
    )


def _supervisor_fits(prog: ProgrammeFacts) -> Callable[[SupervisorFacts], bool] | None:
    """Whether a supervisor's background suits the programme (W17: HBO asks for the same field;
    any programme may set a minimum education level), or None when it asks nothing."""
    req = prog.requirement
    same_sector = prog.kind == "hbo" or req.supervisor_same_sector
    min_level = req.supervisor_min_level
    if prog.kind == "hbo":
        min_level = max(min_level or 0, HBO_SUPERVISOR_MIN_LEVEL)
    if not same_sector and min_level is None:
        return None

    def fits(s: SupervisorFacts) -> bool:
        return (not same_sector or s.education_sector == prog.sector) and (
            min_level is None or s.education_level >= min_level
        )

    return fits


def qualified_supervisor(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> int | None:
    """The id of the supervisor whose background makes the placement eligible for this
    programme (W17): the buddy when they fit, else the first who does. None when the programme
    asks nothing of the supervisor's background, or nobody fits."""
    fits = _supervisor_fits(prog)
    if fits is None:
        return None
    buddy = next((s for s in c.supervisors if s.id == p.buddy_id), None)
    if buddy is not None and fits(buddy):
        return buddy.id
    return next((s.id for s in c.supervisors if fits(s)), None)


def rule_supervisor(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> Verdict | None:
    """HBO: a supervisor with the same educational background as the student (W17); and any
    minimum education level the programme sets."""
    fits = _supervisor_fits(prog)
    if fits is None:
        return None
    if not c.supervisors:
        return Verdict(
            "supervisor",
            NOT_OK,
            _("There is no workplace supervisor yet."),
            _("Add a supervisor with their education to your company."),
            "W17",
        )

    buddy = next((s for s in c.supervisors if s.id == p.buddy_id), None)
    fitting = [s for s in c.supervisors if fits(s)]
    if buddy is not None and fits(buddy):
        return Verdict(
            "supervisor",
            OK,
            _("Supervisor %(name)s has a matching background.") % {"name": buddy.name},
            "",
            "W17",
        )
    if fitting and buddy is not None:
        return Verdict(
            "supervisor",
            WARNING,
            _("Buddy %(buddy)s has another background; %(other)s matches.")
            % {"buddy": buddy.name, "other": fitting[0].name},
            _(
                "Make %(other)s the supervisor, or keep both: %(other)s for the school, %(buddy)s as buddy."
            )
            % {"buddy": buddy.name, "other": fitting[0].name},
            "W17",
        )
    if fitting:
        return Verdict(
            "supervisor",
            OK,
            _("%(name)s has a matching background.") % {"name": fitting[0].name},
            _("Name %(name)s as the supervisor of this placement.") % {"name": fitting[0].name},
            "W17",
        )
    return Verdict(
        "supervisor",
        NOT_OK,
        _("No supervisor has the background %(programme)s asks for.") % {"programme": prog.name},
        _("Add a supervisor who studied in the same field, at the level the programme asks."),
        "W17",
    )


def _range_rule(
    rule: str, value: int | None, low: int | None, high: int | None, unit_label: str, what: str
) -> Verdict | None:
    if low is None and high is None:
        return None
    if value is None:
        return Verdict(
            rule,
            UNKNOWN,
            _("The %(what)s is not filled in.") % {"what": what},
            _("Fill it in."),
            "W18",
        )
    if low is not None and value < low:
        return Verdict(
            rule,
            NOT_OK,
            _("The programme asks for at least %(low)s %(unit)s; the placement has %(value)s.")
            % {"low": low, "unit": unit_label, "value": value},
            _("Raise the %(what)s to at least %(low)s.") % {"what": what, "low": low},
            "W18",
        )
    if high is not None and value > high:
        return Verdict(
            rule,
            NOT_OK,
            _("The programme allows at most %(high)s %(unit)s; the placement has %(value)s.")
            % {"high": high, "unit": unit_label, "value": value},
            _("Lower the %(what)s to at most %(high)s.") % {"what": what, "high": high},
            "W18",
        )
    return Verdict(rule, OK, _("The %(what)s fits the programme.") % {"what": what}, "", "W18")


def rule_hours(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> Verdict | None:
    """Hours per week within the programme's range (W18)."""
    r = prog.requirement
    return _range_rule(
        "hours",
        p.hours_per_week,
        r.hours_per_week_min,
        r.hours_per_week_max,
        _("hours per week"),
        _("hours per week"),
    )


def rule_duration(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> Verdict | None:
    """Duration within the programme's range (W18)."""
    r = prog.requirement
    return _range_rule(
        "duration",
        p.duration_weeks,
        r.duration_weeks_min,
        r.duration_weeks_max,
        _("weeks"),
        _("duration"),
    )


def rule_start_period(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> Verdict | None:
    """Start dates in the programme's start periods (W18)."""
    months = prog.requirement.start_months
    if not months:
        return None
    if not p.start_dates:
        return Verdict("start", UNKNOWN, _("No start date yet."), _("Add a start date."), "W18")
    periods = ", ".join(str(MONTHS[mo]) for mo in months)
    wrong = [d for d in p.start_dates if d.month not in months]
    if len(wrong) == len(p.start_dates):
        return Verdict(
            "start",
            NOT_OK,
            _("Students of %(programme)s start in %(periods)s.")
            % {"programme": prog.name, "periods": periods},
            _("Choose a start date in %(periods)s.") % {"periods": periods},
            "W18",
        )
    if wrong:
        return Verdict(
            "start",
            WARNING,
            _("Some start dates fall outside %(periods)s.") % {"periods": periods},
            _("Keep the start dates in %(periods)s.") % {"periods": periods},
            "W18",
        )
    return Verdict("start", OK, _("The start date fits the programme's start periods."), "", "W18")


def rule_supervision(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> Verdict | None:
    """Enough supervision time per week (W18, W9)."""
    need = prog.requirement.min_supervision_hours_per_week
    if need is None:
        return None
    if p.supervision_hours_per_week is None:
        return Verdict(
            "supervision",
            UNKNOWN,
            _("The programme asks for at least %(h)s hours of supervision a week.") % {"h": need},
            _("Say how many hours a week the supervisor has for the student."),
            "W18",
        )
    if Decimal(p.supervision_hours_per_week) < Decimal(need):
        return Verdict(
            "supervision",
            NOT_OK,
            _(
                "The programme asks for at least %(h)s hours of supervision a week; you offer %(has)s."
            )
            % {"h": need, "has": p.supervision_hours_per_week},
            _("Plan more supervision time."),
            "W18",
        )
    return Verdict("supervision", OK, _("Enough supervision time."), "", "W18")


RULES: Sequence[Callable[[PlacementFacts, ProgrammeFacts, CompanyFacts], Verdict | None]] = (
    rule_kind,
    rule_level,
    rule_recognition,
    rule_employees,
    rule_supervisor,
    rule_hours,
    rule_duration,
    rule_start_period,
    rule_supervision,
)


def evaluate(p: PlacementFacts, prog: ProgrammeFacts, c: CompanyFacts) -> list[Verdict]:
    """All verdicts for one programme, tagged with the programme's id."""
    out = []
    for rule in RULES:
        verdict = rule(p, prog, c)
        if verdict is not None:
            out.append(Verdict(**{**verdict.as_dict(), "programme_id": prog.id}))
    return out


def is_eligible(verdicts: Iterable[Verdict]) -> bool:
    return worst(verdicts) != NOT_OK
