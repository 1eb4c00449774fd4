"""Quality advisor (C3): a score out of 100 with concrete, friendly hints.

Each check returns a Check with the points it earned of its weight, a hint in plain words,
and its whitepaper recommendation. The weights are data (WEIGHTS), not scattered constants.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from stagebrug.core.text import flesch_douma, tokenize

WEIGHTS = {
    "tasks": 20,  # W4
    "level": 10,  # W4
    "allowance": 15,  # W5, W22
    "weekend": 5,  # W5
    "buddy": 15,  # W9
    "title": 10,  # W16
    "readability": 15,  # W16
    "side_job": 5,  # W6
    "learning": 5,  # W4, W20
}
assert sum(WEIGHTS.values()) == 100

INTERNSHIP_WORDS = {
    "stage",
    "stages",
    "stagiair",
    "stagiaire",
    "stagiair(e)",
    "stageplaats",
    "meewerkstage",
    "afstudeerstage",
    "afstudeeropdracht",
    "afstudeeronderzoek",
    "afstudeer",
    "bbl",
    "leerbaan",
    "leerwerkplek",
    "internship",
    "intern",
    "werkervaringsplek",
    "bol",
}
# Words that show bachelor-level work in an activity (W4: tasks at the right level).
HBO_LEVEL_WORDS = {
    "onderzoek",
    "onderzoeken",
    "analyse",
    "analyseren",
    "advies",
    "adviseren",
    "strategie",
    "ontwerp",
    "ontwerpen",
    "ontwikkelen",
    "plan",
    "plannen",
    "opstellen",
    "evalueren",
    "verbeteren",
    "concept",
    "rapport",
    "rapporteren",
    "beleid",
    "project",
    "projectleiding",
    "coördineren",
    "data",
    "meten",
    "presenteren",
    "uitwerken",
    "opzetten",
    "implementeren",
}
READABLE = 60.0  # Flesch-Douma: 60+ is plain Dutch (about B1); below 45 is hard
HARD = 45.0


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    earned: int
    weight: int
    message: str
    w: str
    detail: str = ""  # how the figures were worked out, e.g. an hourly amount per month

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Guidance:
    """Allowance guidance converted to euro per month for this placement's hours."""

    per_month: Decimal
    label: str
    source: str
    basis: str = "gross"  # "gross" | "net", as the source states it
    conversion: str = ""  # how an hourly guidance became a month, shown to the reader


MEETS, BELOW, UNCLEAR = "meets", "below", "unclear"


def compare_allowance(amount: Decimal, basis: str, target: Decimal, target_basis: str) -> str:
    """Like with like (W5, W22): does an allowance per month meet a guidance per month?

    Net is never more than gross. So a net allowance at or above a gross guidance meets it,
    and a gross allowance below a net guidance is below it; the other two cases cannot be
    decided without the student's tax situation, and are UNCLEAR rather than guessed.
    """
    if basis == target_basis:
        return MEETS if amount >= target else BELOW
    if basis == "net":  # net allowance, gross guidance
        return MEETS if amount >= target else UNCLEAR
    if target <= 0:  # gross allowance, net guidance of nothing: any net amount meets it
        return MEETS
    return BELOW if amount < target else UNCLEAR


def month_conversion(amount: Decimal, hours_per_week: int | None) -> tuple[Decimal, str]:
    """An hourly amount per month for these weekly hours, and the sum shown to the reader."""
    hours = hours_per_week if hours_per_week and 0 < hours_per_week <= 168 else 0
    per_month = (Decimal(amount) * Decimal(hours) * Decimal(52) / Decimal(12)).quantize(
        Decimal("0.01")
    )
    shown = _(
        "€ %(amount)s an hour × %(hours)s hours a week × 52 weeks ÷ 12 = € %(month)s a month"
    ) % {
        "amount": f"{Decimal(amount):.2f}",
        "hours": hours,
        "month": f"{per_month:.0f}",
    }
    return per_month, shown


@dataclass(frozen=True)
class QualityInput:
    title: str
    description: str
    activities: Sequence[str]
    learning: str
    school_kind: str  # "mbo" | "hbo"
    levels: Sequence[int]
    monthly_allowance: Decimal
    weekend_work: bool
    weekend_wage: bool
    side_job: bool
    has_buddy: bool
    guidance: Guidance | None
    allowance_basis: str = "gross"  # "gross" | "net"
    allowance_conversion: str = ""  # the sum that turned an hourly allowance into a month


@dataclass(frozen=True)
class QualityReport:
    score: int
    checks: tuple[Check, ...]

    @property
    def hints(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def _check(code: str, fraction: float, ok: bool, message: str, w: str, detail: str = "") -> Check:
    weight = WEIGHTS[code]
    earned = round(weight * max(0.0, min(1.0, fraction)))
    return Check(code, ok, earned, weight, message, w, detail)


def check_tasks(q: QualityInput) -> Check:
    """Varied tasks keep students motivated (W4)."""
    acts = [a for a in q.activities if a.strip()]
    first_words = {a.split()[0].lower() for a in acts}
    distinct = len(first_words)
    if len(acts) >= 4 and distinct >= 3:
        return _check(
            "tasks", 1, True, _("Good: %(n)s varied activities.") % {"n": len(acts)}, "W4"
        )
    if len(acts) >= 2:
        return _check(
            "tasks",
            0.5,
            False,
            _(
                "Add a few more, different activities, so the student learns more than one thing (%(n)s now)."
            )
            % {"n": len(acts)},
            "W4",
        )
    return _check(
        "tasks",
        0.1 if acts else 0,
        False,
        _("Describe at least four concrete activities: what will the student do on a normal day?"),
        "W4",
    )


def check_level(q: QualityInput) -> Check:
    """HBO students need bachelor-level tasks; MBO 1–2 students need short, concrete ones (W4)."""
    words = set(tokenize(" ".join(q.activities)))
    if q.school_kind == "hbo":
        if words & HBO_LEVEL_WORDS:
            return _check(
                "level",
                1,
                True,
                _("The tasks include research, analysis or advice: right for HBO."),
                "W4",
            )
        return _check(
            "level",
            0.3,
            False,
            _(
                "HBO students need a task at bachelor level: research, analysis, an advice or a design."
            ),
            "W4",
        )
    if q.levels and min(q.levels) <= 2:
        long_ones = [a for a in q.activities if len(a.split()) > 12]
        if long_ones:
            return _check(
                "level",
                0.5,
                False,
                _("For MBO 1–2, write short, concrete tasks, one action each."),
                "W13",
            )
    return _check("level", 1, True, _("The tasks suit the level."), "W4")


def check_allowance(q: QualityInput) -> Check:
    """A fair allowance (W5, W22), compared like with like with the operator's guidance:
    per month (hourly amounts converted, the sum shown) and gross with gross, net with net."""
    amount = Decimal(q.monthly_allowance or 0)
    w = "W5" if q.school_kind == "mbo" else "W22"
    if q.guidance is None:
        if amount > 0:
            return _check("allowance", 1, True, _("You offer an allowance."), "W5")
        return _check(
            "allowance",
            0,
            False,
            _("Offer an allowance: students take you more seriously (W5)."),
            "W5",
        )
    target = q.guidance.per_month
    values = {
        "amount": f"{amount:.0f}",
        "target": f"{target:.0f}",
        "label": q.guidance.label,
        "source": q.guidance.source,
        "basis": _("net") if q.allowance_basis == "net" else _("gross"),
        "target_basis": _("net") if q.guidance.basis == "net" else _("gross"),
    }
    shown = " ".join(x for x in (q.allowance_conversion, q.guidance.conversion) if x)
    if amount <= 0:
        return _check(
            "allowance",
            0,
            False,
            _(
                "No allowance yet. Guidance: %(label)s, about € %(target)s a month (source: %(source)s). Students already have a public-transport card, so pay something else than travel costs."
            )
            % values,
            w,
            shown,
        )
    verdict = compare_allowance(amount, q.allowance_basis, target, q.guidance.basis)
    if verdict == MEETS:
        return _check(
            "allowance",
            1,
            True,
            _(
                "€ %(amount)s a month %(basis)s meets the guidance of € %(target)s %(target_basis)s (%(label)s; source: %(source)s)."
            )
            % values,
            w,
            shown,
        )
    if verdict == UNCLEAR:
        return _check(
            "allowance",
            min(1.0, float(amount / target)) / 2,
            False,
            _(
                "€ %(amount)s a month %(basis)s cannot be compared with the guidance of € %(target)s %(target_basis)s (%(label)s; source: %(source)s): state the amount %(target_basis)s as well, so students compare like with like."
            )
            % values,
            w,
            shown,
        )
    return _check(
        "allowance",
        float(amount / target),
        False,
        _(
            "€ %(amount)s a month %(basis)s is below the guidance of about € %(target)s %(target_basis)s (%(label)s; source: %(source)s)."
        )
        % values,
        w,
        shown,
    )


def check_weekend(q: QualityInput) -> Check:
    """Weekend work is paid as a wage (W5)."""
    if not q.weekend_work:
        return _check("weekend", 1, True, _("No weekend work."), "W5")
    if q.weekend_wage:
        return _check("weekend", 1, True, _("Weekend work is paid as wage."), "W5")
    return _check(
        "weekend",
        0,
        False,
        _("Pay weekend work as a wage, not as part of the placement (W5)."),
        "W5",
    )


def check_buddy(q: QualityInput) -> Check:
    """A named buddy the student can always go to (W9)."""
    if q.has_buddy:
        return _check("buddy", 1, True, _("There is a named buddy."), "W9")
    return _check(
        "buddy",
        0,
        False,
        _("Name a buddy: someone the student can always go to with questions (W9)."),
        "W9",
    )


def check_title(q: QualityInput) -> Check:
    """The title says which internship it is (W16)."""
    words = re.findall(r"[\wÀ-ÿ()]+", q.title.lower())
    has_kind = any(
        w in INTERNSHIP_WORDS or w.startswith(("stage", "stagiair", "afstudeer")) for w in words
    )
    meaningful = [w for w in words if w not in INTERNSHIP_WORDS and len(w) > 2]
    if has_kind and meaningful:
        return _check("title", 1, True, _("The title says which internship it is."), "W16")
    if meaningful:
        return _check(
            "title",
            0.5,
            False,
            _("Put the kind of internship in the title, e.g. “Stage marketing (MBO 4)”."),
            "W16",
        )
    return _check(
        "title",
        0.2,
        False,
        _("Say in the title what the student will do, e.g. “Stage marketing (MBO 4)”."),
        "W16",
    )


def check_readability(q: QualityInput) -> Check:
    """A clear, readable description (W16), measured with the Dutch Flesch-Douma score."""
    words = q.description.split()
    if len(words) < 40:
        return _check(
            "readability",
            0.3 if words else 0,
            False,
            _(
                "Tell a bit more (%(n)s words now): the team, a normal day, what makes this placement special."
            )
            % {"n": len(words)},
            "W16",
        )
    score = flesch_douma(q.description)
    if score >= READABLE:
        return _check(
            "readability",
            1,
            True,
            _("The description reads easily (reading ease %(s)s).") % {"s": round(score)},
            "W16",
        )
    if score >= HARD:
        return _check(
            "readability",
            0.6,
            False,
            _(
                "The description is fairly hard to read (reading ease %(s)s). Use shorter sentences and words."
            )
            % {"s": round(score)},
            "W16",
        )
    return _check(
        "readability",
        0.2,
        False,
        _(
            "The description is hard to read (reading ease %(s)s). Use short sentences and everyday words."
        )
        % {"s": round(score)},
        "W16",
    )


def check_side_job(q: QualityInput) -> Check:
    """A side job next to the placement binds the student (W6)."""
    if q.side_job:
        return _check("side_job", 1, True, _("You offer a side job as well."), "W6")
    return _check(
        "side_job",
        0,
        False,
        _("Can you offer a side job too? It binds the student to your business (W6)."),
        "W6",
    )


def check_learning(q: QualityInput) -> Check:
    """Say what the student will learn (W4, W20)."""
    if len(q.learning.split()) >= 8:
        return _check("learning", 1, True, _("You say what the student will learn."), "W20")
    return _check("learning", 0, False, _("Say what the student will learn with you."), "W20")


CHECKS = (
    check_tasks,
    check_level,
    check_allowance,
    check_weekend,
    check_buddy,
    check_title,
    check_readability,
    check_side_job,
    check_learning,
)


def assess(q: QualityInput) -> QualityReport:
    checks = tuple(check(q) for check in CHECKS)
    return QualityReport(score=sum(c.earned for c in checks), checks=checks)
