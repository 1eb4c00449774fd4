"""The agreement of the internship of tests/internships/conftest.py, and helpers that fill in
each party's part the way the parties would, through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stagebrug.agreements import services
from stagebrug.agreements.models import Agreement
from tests.dates import on

SCHEDULE = {f"{d}_start": "09:00" for d in ("mon", "tue", "wed", "thu")} | {
    f"{d}_end": "17:00" for d in ("mon", "tue", "wed", "thu")
}
# Kok (MBO 2) at ROC van Amsterdam: the reference data's requirements ask 24–40 hours a week.


@pytest.fixture
def agreement(internship) -> Agreement:
    return Agreement.objects.get(internship=internship)


def school_part(agreement, by) -> None:
    version = services.open_version(agreement)
    for key in ("programme", "period", "goals", "supervision", "ending"):
        data = dict((version.content.get(key) or {}).get("data") or {})
        if key == "goals":
            data.setdefault("goal_1", "Zelfstandig eenvoudige gerechten bereiden")
        services.agreement_section_save(agreement=agreement, by=by, key=key, data=data)
    services.agreement_section_save(
        agreement=agreement,
        by=by,
        key="school_expectations",
        data={
            "expectations": "De student meldt zich elke ochtend bij de chef; de school belt elke week."
        },
    )


def business_part(agreement, by) -> None:
    version = services.open_version(agreement)
    goals = (version.content.get("goals") or {}).get("data") or {}
    services.agreement_section_save(agreement=agreement, by=by, key="schedule", data=SCHEDULE)
    tasks = {
        f"tasks_{i}": "Groenten snijden\nSoep bereiden"
        for i in range(1, 7)
        if goals.get(f"goal_{i}")
    } or {"tasks_1": "Groenten snijden"}
    services.agreement_section_save(agreement=agreement, by=by, key="tasks", data=tasks)
    offer = dict((version.content.get("offer") or {}).get("data") or {})
    offer |= {"expected_costs": "20.00", "expense_allowance": "25.00"}
    services.agreement_section_save(agreement=agreement, by=by, key="offer", data=offer)
    services.agreement_section_save(
        agreement=agreement,
        by=by,
        key="workplace_rules",
        data={"sick_and_late": "Bel chef Bram vóór 8:00 op 06 12345678."},
    )


def student_part(agreement, by, *, birth_date: dt.date | None = None, guardian: bool = False):
    data = {"phone": "0611111111", "learning_wishes": "Brood bakken."}
    if guardian:
        data |= {"guardian_name": "Petra Student", "guardian_email": "ouder@example.org"}
    services.agreement_section_save(
        agreement=agreement,
        by=by,
        key="student",
        data=data,
        birth_date=birth_date or on(5, 5, -22),
    )
    services.agreement_section_save(
        agreement=agreement, by=by, key="approach", data={"share_notes": "on"}
    )


def deadline(days: float = 7) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def signed_by_everyone(internship, personas) -> Agreement:
    """Every party fills in its part and signs (the student of age): the internship may start."""
    agreement = Agreement.objects.get(internship=internship)
    school_part(agreement, personas.coordinator)
    business_part(agreement, personas.owner)
    student_part(agreement, personas.student)
    version = services.agreement_send(
        agreement=agreement, by=personas.coordinator, deadline=deadline()
    )
    for who in (personas.student, personas.owner, personas.coordinator):
        services.agreement_sign(
            agreement=agreement,
            by=who,
            content_hash=version.content_hash,
            full_name=who.full_name,
            confirm=True,
        )
    agreement.refresh_from_db()
    return agreement
