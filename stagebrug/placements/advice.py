"""The advice a business sees while it writes a placement: which programmes it belongs to
(W15), whether it may host it for them (C2), and how to make it better (C3). Computed from the
form's raw data on every change (htmx), without saving anything."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone

from stagebrug.placements import eligibility, needs
from stagebrug.placements.facts import (
    company_facts,
    placement_facts,
    programme_facts,
    programmes_with_facts,
)
from stagebrug.placements.models import (
    HOURS_PER_MONTH_PER_WEEKLY_HOUR,
    AllowanceBasis,
    AllowanceUnit,
    Kind,
    Placement,
)
from stagebrug.placements.quality import QualityReport, assess
from stagebrug.placements.routing import Suggestion, get_router
from stagebrug.placements.selectors import quality_input
from stagebrug.registry.models import Company, Programme, Qualification


@dataclass
class ProgrammeAdvice:
    programme: Any
    verdicts: list[eligibility.Verdict]

    @property
    def status(self) -> str:
        return eligibility.worst(self.verdicts)


@dataclass
class SuggestionView:
    """A programme routing found, answered for the business (W15): which schools offer it on
    Stagebrug (or whom to ask when none does yet), and which SBB recognition it needs (W3)."""

    suggestion: Suggestion
    schools: list[tuple[int, str]]  # (programme id, school) to choose from
    recognition: str = ""  # what SBB recognition it needs; "" for HBO
    has_recognition: bool | None = None  # None: no company, or not an MBO qualification
    ask: str = ""  # whom to ask when no school offers it on Stagebrug yet


@dataclass
class Advice:
    suggestions: list[SuggestionView] = field(default_factory=list)
    programmes: list[ProgrammeAdvice] = field(default_factory=list)
    quality: QualityReport | None = None
    empty: bool = True


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= 1000 else None  # absurd values: ignore while typing


ID_MAX = 2**63 - 1  # the largest primary key the databases hold


def _id(value: Any) -> int | None:
    """A row id (a chosen programme or buddy): any positive number the database can hold."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= ID_MAX else None


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None
    if number is None or not number.is_finite() or abs(number) > 100_000:
        return None  # NaN, infinity or absurd values: ignore while typing
    return number


def _raw(form: forms.BaseForm) -> dict[str, Any]:
    """The form's current values, leniently parsed (the user is still typing)."""
    if form.is_bound:
        data = form.data
        get, getlist = data.get, data.getlist
    else:
        initial = {**{n: f.initial for n, f in form.fields.items()}, **form.initial}
        if form.instance.pk:
            initial.update(
                {
                    n: getattr(form.instance, n, None)
                    for n in (
                        "title",
                        "description",
                        "kind",
                        "hours_per_week",
                        "duration_weeks",
                        "allowance_amount",
                        "allowance_unit",
                        "allowance_basis",
                        "weekend_work",
                        "weekend_wage",
                        "side_job",
                        "supervision_hours_per_week",
                    )
                }
            )
            initial["activities"] = "\n".join(form.instance.activities or [])
            initial["levels"] = form.instance.levels
            initial["learning"] = form.instance.learning
            initial["buddy"] = form.instance.buddy_id
        get = initial.get

        def getlist(name: str) -> list:
            value = initial.get(name) or []
            return list(value) if isinstance(value, (list, tuple)) else [value]

    activities = get("activities") or ""
    if isinstance(activities, list):
        activities = "\n".join(activities)
    dates = []
    for i in (1, 2, 3):
        value = get(f"start_date_{i}")
        if isinstance(value, dt.date):
            dates.append(value)
        else:
            with contextlib.suppress(ValueError):
                dates.append(dt.date.fromisoformat(str(value)))
    hours = _int(get("hours_per_week"))
    amount = _decimal(get("allowance_amount")) or Decimal(0)
    unit = get("allowance_unit") or AllowanceUnit.MONTH
    monthly = (
        amount * Decimal(hours or 0) * HOURS_PER_MONTH_PER_WEEKLY_HOUR
        if unit == AllowanceUnit.HOUR
        else amount
    )
    checkbox = lambda name: get(name) in (True, "on", "true", "1")  # noqa: E731
    return {
        "title": get("title") or "",
        "description": get("description") or "",
        "activities": [a.strip() for a in str(activities).splitlines() if a.strip()],
        "learning": get("learning") or "",
        "kind": get("kind") or Kind.MBO_BOL,
        "levels": [lv for lv in (_int(v) for v in getlist("levels")) if lv],
        "hours_per_week": hours,
        "duration_weeks": _int(get("duration_weeks")),
        "start_dates": dates,
        "supervision_hours_per_week": _decimal(get("supervision_hours_per_week")),
        "buddy": _id(get("buddy")),
        "monthly_allowance": monthly,
        "allowance_amount": amount,
        "allowance_unit": unit,
        "allowance_basis": get("allowance_basis") or AllowanceBasis.GROSS,
        "weekend_work": checkbox("weekend_work"),
        "weekend_wage": checkbox("weekend_wage"),
        "side_job": checkbox("side_job"),
        "has_buddy": bool(_id(get("buddy"))),
        "programmes": [pk for pk in (_id(v) for v in getlist("programmes")) if pk],
        "is_duo": checkbox("is_duo"),
    }


def for_form(form: forms.BaseForm, company: Company) -> Advice:
    raw = _raw(form)
    advice = Advice(empty=not (raw["title"] or raw["description"] or raw["activities"]))
    if not advice.empty:
        kind = None if raw["is_duo"] else Kind.school_kind(raw["kind"])
        suggestions = get_router().route(
            title=raw["title"],
            description=raw["description"],
            activities=raw["activities"],
            kind=kind,
        )
        advice.suggestions = answer_suggestions(suggestions, company)
        advice.quality = assess(quality_input(raw))
    if raw["programmes"]:
        facts = placement_facts(raw)
        company_f = company_facts(company)
        for programme in programmes_with_facts(raw["programmes"]):
            verdicts = eligibility.evaluate(facts, programme_facts(programme), company_f)
            advice.programmes.append(ProgrammeAdvice(programme, verdicts))
    return advice


def answer_suggestions(
    suggestions: list[Suggestion], company: Company | None = None
) -> list[SuggestionView]:
    """Each routed programme with the schools that offer it, whom to ask when none does, and
    the SBB recognition it needs and whether the company has it today (two queries, two more
    with a company: its recognitions and supervisors)."""
    ids = {pid for s in suggestions for pid in s.programme_ids}
    schools = dict(
        Programme.objects.filter(pk__in=ids).values_list("pk", "institution__short_name")
    )
    crebos = {s.code for s in suggestions if s.kind == "mbo" and s.code}
    dossiers = dict(
        Qualification.objects.filter(crebo__in=crebos).values_list("crebo", "dossier_crebo")
    )
    held = company_facts(company).recognitions if company is not None else ()
    today = timezone.localdate()
    views = []
    for s in suggestions:
        view = SuggestionView(s, [(pid, schools.get(pid, "")) for pid in s.programme_ids])
        if not view.schools:
            view.ask = needs.no_school_yet(s.kind)
        if s.kind == "mbo" and s.code:
            level = _mbo_level(s.level_label)
            view.recognition = needs.recognition_needed(s.code, level)
            if company is not None:
                codes = {k.partition(":")[2] for k in s.keys}
                view.has_recognition = any(
                    (r.crebo in codes or r.dossier_crebo == dossiers.get(s.code))
                    and r.level == level
                    and r.valid_from <= today <= r.valid_until
                    for r in held
                )
        views.append(view)
    return views


def _mbo_level(level_label: str) -> int:
    digits = [c for c in level_label if c.isdigit()]
    return int(digits[-1]) if digits else 0


@dataclass
class PlacementReport:
    quality: QualityReport
    programmes: list[ProgrammeAdvice]


def for_placement(placement: Placement) -> PlacementReport:
    """Quality and live eligibility of a saved placement (for the business and the school)."""
    from stagebrug.placements.services import placement_verdicts

    verdicts = placement_verdicts(placement)
    targets = getattr(placement, "all_targets", None) or list(
        placement.targets.select_related("programme__institution")
    )
    programmes = [ProgrammeAdvice(t.programme, verdicts.get(t.programme_id, [])) for t in targets]
    return PlacementReport(quality=assess(quality_input(placement)), programmes=programmes)
