"""The sections of the agreement: who owns each, its form, what Stagebrug proposes in the
draft, and how a section reads (on the page, in the PDF, in a comparison of versions).

Each party edits only its own sections (W20: employer, student and school agree together what
the internship looks like). A section is

* empty: nothing, or not enough, filled in: the owner's turn;
* proposed: Stagebrug filled it in from what it knows, and the owner has not checked it yet;
* done: the owner saved it and it is complete.

The school sends the agreement for signature once every section is done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagebrug.agreements import forms
from stagebrug.agreements.facts import MAX_GOALS, Facts
from stagebrug.agreements.models import Party

EMPTY, PROPOSED, DONE = "empty", "proposed", "done"


@dataclass(frozen=True)
class Section:
    key: str
    owner: str
    title: Promise
    form: type[forms.SectionForm]
    intro: Promise = ""

    def bound(self, data: dict | None, facts: Facts, **extra: Any) -> forms.SectionForm:
        return self.form(data=data or {}, facts=facts, **extra)

    def unbound(self, facts: Facts, *, initial: dict | None = None, **extra) -> forms.SectionForm:
        return self.form(initial=initial or {}, facts=facts, **extra)


SECTIONS: tuple[Section, ...] = (
    Section(
        "programme",
        Party.SCHOOL,
        gettext_lazy("Programme"),
        forms.ProgrammeForm,
        gettext_lazy("The programme the student follows and how."),
    ),
    Section(
        "period",
        Party.SCHOOL,
        gettext_lazy("Period and hours"),
        forms.PeriodForm,
        gettext_lazy("When the internship runs and how many hours it counts."),
    ),
    Section(
        "goals",
        Party.SCHOOL,
        gettext_lazy("Learning goals"),
        forms.GoalsForm,
        gettext_lazy("What the student learns, tied to the programme's learning outcomes (W18)."),
    ),
    Section(
        "supervision",
        Party.SCHOOL,
        gettext_lazy("Supervision and assessment"),
        forms.SupervisionForm,
        gettext_lazy("Who supervises the student, how often, and how they are assessed (W8)."),
    ),
    Section(
        "school_expectations",
        Party.SCHOOL,
        gettext_lazy("What the school expects"),
        forms.SchoolExpectationsForm,
    ),
    Section(
        "ending",
        Party.SCHOOL,
        gettext_lazy("Ending early, insurance and complaints"),
        forms.EndingForm,
    ),
    Section(
        "schedule",
        Party.BUSINESS,
        gettext_lazy("Weekly schedule"),
        forms.ScheduleForm,
        gettext_lazy("The days and times the student works; attendance follows this schedule."),
    ),
    Section(
        "tasks",
        Party.BUSINESS,
        gettext_lazy("Tasks"),
        forms.TasksForm,
        gettext_lazy("What the student does for each learning goal (W4)."),
    ),
    Section(
        "offer",
        Party.BUSINESS,
        gettext_lazy("What the business offers"),
        forms.OfferForm,
        gettext_lazy("Allowance, expenses, a side job, training and equipment (W5, W6, W22)."),
    ),
    Section(
        "workplace_rules",
        Party.BUSINESS,
        gettext_lazy("Agreements at the workplace"),
        forms.WorkplaceRulesForm,
        gettext_lazy("In plain words: being ill or late, phone use, clothing, behaviour (W1)."),
    ),
    Section(
        "student",
        Party.STUDENT,
        gettext_lazy("About me"),
        forms.StudentForm,
        gettext_lazy("How your workplace can reach you, and what you want to learn."),
    ),
    Section(
        "approach",
        Party.STUDENT,
        gettext_lazy("How best to approach me"),
        forms.ApproachForm,
        gettext_lazy("Your support notes, shared with the business only if you agree (W14)."),
    ),
)
BY_KEY = {s.key: s for s in SECTIONS}
OWNERS = (Party.SCHOOL, Party.BUSINESS, Party.STUDENT)


# --------------------------------------------------------------------------------------------
# State


def section_data(content: dict, key: str) -> dict:
    return dict((content.get(key) or {}).get("data") or {})


def state(content: dict, section: Section, facts: Facts, *, minor: bool = False) -> str:
    entry = content.get(section.key) or {}
    data = entry.get("data")
    if not data:
        return EMPTY
    extra = {"minor": minor} if section.key == "student" else {}
    if not section.bound(_as_form_data(section, data), facts, **extra).is_valid():
        return EMPTY
    return DONE if entry.get("saved_at") else PROPOSED


def states(content: dict, facts: Facts, *, minor: bool = False) -> dict[str, str]:
    return {s.key: state(content, s, facts, minor=minor) for s in SECTIONS}


def waiting_for(section_states: dict[str, str]) -> list[str]:
    """The parties with a section that is not done yet, in the order school, business,
    student."""
    return [
        owner
        for owner in OWNERS
        if any(section_states[s.key] != DONE for s in SECTIONS if s.owner == owner)
    ]


def _as_form_data(section: Section, data: dict) -> dict:
    """Stored content as form input (the tasks are stored as lists of lines)."""
    if section.key == "tasks":
        return {k: "\n".join(v) if isinstance(v, list) else v for k, v in data.items()}
    return {k: v for k, v in data.items() if not (isinstance(v, bool) and v is False)}


def as_initial(section: Section, data: dict) -> dict:
    return _as_form_data(section, data) | {k: v for k, v in data.items() if isinstance(v, bool)}


# --------------------------------------------------------------------------------------------
# The draft: what Stagebrug already knows


def draft_content(*, internship, facts: Facts) -> dict[str, Any]:
    """The first version's content, proposed from the internship, its placement, programme
    and requirements, in the site's language (Dutch). The parties check and complete it."""
    with translation.override(settings.LANGUAGE_CODE):
        proposals = _proposals(internship, facts)
    content: dict[str, Any] = {
        key: {"data": data, "saved_by": None, "saved_at": None} for key, data in proposals.items()
    }
    content["parties"] = parties_block(internship)
    return content


def _proposals(internship, facts: Facts) -> dict[str, dict]:
    placement = internship.placement
    programme = internship.programme
    requirements = getattr(programme, "requirements", None)
    weeks = internship.weeks
    path = {"mbo_bol": "bol", "mbo_bbl": "bbl"}.get(placement.kind, "fulltime")
    kind = {"mbo_bbl": "leerbaan", "hbo_graduation": "afstuderen"}.get(placement.kind, "stage")
    goals: dict[str, Any] = {}
    for i, outcome in enumerate(facts.learning_outcomes[:3], start=1):
        goals[f"goal_{i}"] = outcome[:300]
        goals[f"outcome_{i}"] = outcome
    if facts.is_mbo and facts.level <= 2:
        norm = _("The school supervisor is in touch with the student and the workplace every week.")
    else:
        norm = _(
            "The school supervisor is in touch with the student and the workplace every two weeks."
        )
    assessment = [f"• {o}" for o in facts.learning_outcomes]
    if requirements is not None:
        if requirements.notes:
            assessment.append(requirements.notes)
        assessment.append(
            _("(The requirements of %(programme)s of %(date)s.)")
            % {
                "programme": programme.name,
                "date": formats.date_format(requirements.updated_at.date(), "j F Y"),
            }
        )
    contact = programme.contact_name or programme.institution.name
    complaints = _(
        "Questions or complaints go first to the school supervisor, then to %(contact)s%(email)s."
    ) % {
        "contact": contact,
        "email": f" ({programme.contact_email})" if programme.contact_email else "",
    }
    if facts.is_mbo:
        complaints += " " + _(
            "A recognised host business can also turn to SBB (Samenwerkingsorganisatie "
            "Beroepsonderwijs Bedrijfsleven), www.s-bb.nl."
        )
        insurance = _(
            "During the internship the student is covered by the business's liability insurance; "
            "the school's insurance covers what that does not. A BBL student is insured as an "
            "employee."
        )
    else:
        insurance = _(
            "During the internship the student is covered by the business's liability insurance; "
            "the university's insurance covers what that does not."
        )
    proposals = {
        "programme": {"learning_path": path, "placement_type": kind},
        "period": {
            "start_date": internship.start_date.isoformat(),
            "end_date": internship.end_date.isoformat(),
            "hours_per_week": internship.hours_per_week,
            "total_hours": weeks * internship.hours_per_week,
            "hours_by_year": _("%(hours)s hours in the current study year")
            % {"hours": weeks * internship.hours_per_week},
        },
        "goals": goals,
        "supervision": {
            "school_norm": norm,
            "contact_moments": 3,
            "contact_on_site": True,
            "assessment": "\n".join(assessment),
        },
        "ending": {
            "early_ending": _(
                "Student, business or school can end the internship early after talking it over "
                "together, for example when it does not meet the programme's requirements (W18). "
                "The reason is recorded."
            ),
            "insurance": insurance,
            "complaints": complaints,
        },
        "tasks": {"tasks_1": list(facts.activities)} if facts.activities else {},
        "offer": {
            "allowance_amount": str(placement.allowance_amount),
            "allowance_unit": placement.allowance_unit,
            "allowance_basis": placement.allowance_basis,
            "side_job": placement.side_job_note if placement.side_job else "",
        },
    }
    return {k: v for k, v in proposals.items() if v}


def parties_block(internship) -> dict[str, Any]:
    """Who the parties are, as the agreement names them (refreshed until it is sent)."""
    placement = internship.placement
    company = placement.company
    programme = internship.programme

    def person(s) -> dict | None:
        if s is None:
            return None
        return {"name": s.name, "email": s.email, "phone": s.phone}

    leerbedrijf = ""
    if programme.kind == "mbo" and programme.qualification_id:
        recognition = company.recognitions.filter(
            qualification__dossier_crebo=programme.qualification.dossier_crebo
        ).first()
        leerbedrijf = recognition.leerbedrijf_id if recognition else ""
    teacher = internship.school_supervisor
    student = internship.student
    return {
        "student": {"name": student.full_name, "email": student.email} if student else None,
        "business": {
            "name": company.name,
            "kvk": company.kvk_number,
            "address": company.address_line,
            "leerbedrijf_id": leerbedrijf,
        },
        "workplace_supervisor": person(internship.supervisor),
        "buddy": person(internship.buddy),
        "school": {
            "name": internship.institution.name,
            "programme": programme.name,
            "code": programme.code,
            "level": programme.level_label,
        },
        "school_supervisor": {"name": teacher.full_name, "email": teacher.email}
        if teacher
        else None,
        "placement": placement.title,
    }


# --------------------------------------------------------------------------------------------
# Reading a section


def rows(section: Section, data: dict, facts: Facts) -> list[tuple[str, str]]:
    """(label, value) of every filled-in field, in the form's order, values as a person reads
    them (choices by their label, yes/no, dates in words, one task a line)."""
    if section.key == "schedule":
        return _schedule_rows(data)
    extra = {"minor": False} if section.key == "student" else {}
    form = section.unbound(facts, **extra)
    out = []
    for name, field in form.fields.items():
        if name in ("guardian_email",):
            continue  # only the school and the student see it (shown apart)
        value = data.get(name)
        if value in (None, "", [], False) and not isinstance(field, django_forms.BooleanField):
            continue
        out.append((str(field.label), display(field, value)))
    return out


def _schedule_rows(data: dict) -> list[tuple[str, str]]:
    """One row a working day: "Monday", "09:00–17:00"."""
    out = [
        (str(label), f"{data[f'{day}_start']}–{data[f'{day}_end']}")
        for day, label in forms.WEEKDAYS
        if data.get(f"{day}_start") and data.get(f"{day}_end")
    ]
    if data.get("notes"):
        out.append((_("Working times, breaks"), str(data["notes"])))
    return out


def display(field: django_forms.Field, value: Any) -> str:
    if isinstance(field, django_forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, django_forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(field, django_forms.DateField) and value:
        try:
            return formats.date_format(dt.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)
    if isinstance(field, django_forms.DecimalField) and value not in (None, ""):
        try:
            return f"€ {Decimal(str(value)):.2f}"
        except InvalidOperation:
            return str(value)
    return str(value)


def changes(old: dict, new: dict, facts: Facts) -> list[tuple[str, str, str, str]]:
    """What changed between two versions' contents, field by field: (section, field, before,
    after), in the sections' order."""
    out = []
    for section in SECTIONS:
        before, after = section_data(old, section.key), section_data(new, section.key)
        if before == after:
            continue
        extra = {"minor": False} if section.key == "student" else {}
        fields = section.unbound(facts, **extra).fields
        for name in sorted(set(before) | set(after), key=_field_order(fields)):
            if before.get(name) == after.get(name) or name == "guardian_email":
                continue
            field = fields.get(name)
            out.append(
                (
                    str(section.title),
                    str(field.label) if field else name,
                    _shown(field, before, name),
                    _shown(field, after, name),
                )
            )
    return out


def _shown(field, data: dict, name: str) -> str:
    if name not in data:
        return "—"
    return display(field, data[name]) if field else str(data[name])


def _field_order(fields: dict) -> Callable[[str], int]:
    order = {name: i for i, name in enumerate(fields)}
    return lambda name: order.get(name, len(order))


__all__ = ["BY_KEY", "DONE", "EMPTY", "MAX_GOALS", "PROPOSED", "SECTIONS", "Section"]
