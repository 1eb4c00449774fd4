"""What an agreement's sections need to know about their internship: plain data, read once per
page from the internship, its placement, programme and requirements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from stagebrug.internships.models import Internship
from stagebrug.registry.levels import HBO_LEVEL

MAX_GOALS = 6


@dataclass(frozen=True)
class Facts:
    school_kind: str  # "mbo" | "hbo"
    level: int  # MBO 1–4, HBO = 5
    programme: str
    placement_kind: str  # Placement.kind
    start_date: dt.date
    end_date: dt.date
    hours_per_week: int  # as the agreement's period says, else the internship's
    hours_min: int | None = None
    hours_max: int | None = None
    learning_outcomes: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    goals: tuple[str, ...] = field(default=())  # the school's goals so far (for the tasks)

    @property
    def is_mbo(self) -> bool:
        return self.school_kind == "mbo"

    @property
    def needs_close_attention(self) -> bool:
        """MBO 1 and 2: the school fills in more expectations (W13)."""
        return self.is_mbo and self.level <= 2

    @property
    def is_graduation(self) -> bool:
        return self.placement_kind == "hbo_graduation"


def facts_for(internship: Internship, content: dict | None = None) -> Facts:
    """Expects the internship's programme (with requirements) and placement select_related."""
    programme = internship.programme
    requirements = getattr(programme, "requirements", None)
    goals = ()
    hours = internship.hours_per_week
    if content:
        agreed = ((content.get("period") or {}).get("data") or {}).get("hours_per_week")
        if isinstance(agreed, int) or (isinstance(agreed, str) and agreed.isdigit()):
            hours = int(agreed)
        data = (content.get("goals") or {}).get("data") or {}
        goals = tuple(
            str(data.get(f"goal_{i}") or "")
            for i in range(1, MAX_GOALS + 1)
            if data.get(f"goal_{i}")
        )
    return Facts(
        school_kind=programme.kind,
        level=programme.level if programme.kind == "mbo" else HBO_LEVEL,
        programme=programme.name,
        placement_kind=internship.placement.kind,
        start_date=internship.start_date,
        end_date=internship.end_date,
        hours_per_week=hours,
        hours_min=requirements.hours_per_week_min if requirements else None,
        hours_max=requirements.hours_per_week_max if requirements else None,
        learning_outcomes=tuple(requirements.learning_outcomes or ()) if requirements else (),
        activities=tuple(str(a) for a in internship.placement.activities or ()),
        goals=goals,
    )
