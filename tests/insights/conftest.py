"""A small region whose figures are known, made the way the platform makes them, with the
clock on 15 October of the school year the test placements start in (tests.dates.START is 1
February next year), so August to October have passed.

region      Company A (Bakkerij A, SBI 56: section I, in Amsterdam) offers Kok (MBO 2, ROC van
            Amsterdam):
              * the kitchen placement (2 positions, € 2 an hour for 32 hours: meets the
                guidance), taken by Stan (the persona student: running, mid-term decided "on
                track") and Sara (stopped early: expectations), so it is filled;
              * a second placement (1 position, no allowance) nobody took;
              * a draft that was never offered.
            Ties, a third Kok student living in Zaandam, made a profile and has no place.
            ROC van Amsterdam held a guest lecture on the start day: two businesses signed up,
            one came.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import membership_grant
from stagebrug.applications import services as application_services
from stagebrug.community import events as event_services
from stagebrug.community.models import Event
from stagebrug.insights import rules
from stagebrug.insights.models import Fact, Grain
from stagebrug.insights.services import figures_refresh
from stagebrug.internships import services as internship_services
from stagebrug.placements import services as placement_services
from stagebrug.registry.models import Postcode
from stagebrug.supervision.evaluations import services as evaluations
from stagebrug.supervision.models import Evaluation
from tests.dates import START, YEAR
from tests.factories import UserFactory
from tests.internships.conftest import accept_offer
from tests.placements.factories import kok_programme, make_placement
from tests.supervision.conftest import running  # noqa: F401 (the fixture)

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
#: The clock of these tests: 15 October, in the school year of START.
NOW = dt.datetime(YEAR - 1, 10, 15, 10, 0, tzinfo=AMSTERDAM)
SCHOOL_YEAR = rules.school_year_of(START)


@pytest.fixture(autouse=True)
def october():
    """Every insight test runs on 15 October (before any other fixture makes data)."""
    assert rules.school_year_of(NOW.date()) == SCHOOL_YEAR
    with time_machine.travel(NOW, tick=True):
        yield


def make_kok_student(personas, email: str, name: str, pc4: str = "1094"):
    """A Kok student of ROC van Amsterdam with a profile (no start date given)."""
    user = UserFactory(email=email, full_name=name)
    membership_grant(
        user=user, role=Role.STUDENT, institution=personas.rocva, programme=kok_programme()
    )
    application_services.profile_save(
        user=user,
        by=user,
        programme=kok_programme(),
        year=1,
        home_pc4=Postcode.objects.get(code=pc4),
        wanted_activities="Koken in een restaurant.",
        activity_tags=["koken"],
        hours_per_week=32,
        max_travel_km=25,
    )
    return user


def publish(placement, personas):
    placement_services.placement_submit(placement=placement, by=personas.owner)
    placement_services.placement_decide(
        target=placement.targets.get(), by=personas.coordinator, approve=True
    )
    placement.refresh_from_db()
    return placement


def decide_midterm(internship, personas, decision: str = "on_track") -> Evaluation:
    def get() -> Evaluation:
        return Evaluation.objects.select_related("internship").get(
            internship=internship, kind="midterm"
        )

    keys = {c["key"]: "sufficient" for c in get().criteria}
    evaluations.evaluation_assess(
        evaluation=get(), by=personas.supervisor, scores=keys, comment="Werkt netjes."
    )
    evaluations.evaluation_self_assess(
        evaluation=get(), by=personas.student, scores=keys, comment="Ik leer veel."
    )
    return evaluations.evaluation_decide(
        evaluation=get(), by=personas.teacher, decision=decision, comment="Op koers."
    )


@pytest.fixture
def region(running, published, personas):  # noqa: F811
    p = personas
    decide_midterm(running, p)
    sara = make_kok_student(p, "sara@rocva.example", "Sara Stagiair")
    second = accept_offer(student=sara, placement=published, owner=p.owner)
    internship_services.internship_stop(
        internship=second,
        by=p.coordinator,
        reason="expectations",
        note="Sara wilde liever in de bediening werken.",
        contact="all_three",
    )
    make_kok_student(p, "ties@rocva.example", "Ties Zoekt", pc4="1506")  # Zaandam
    publish(
        make_placement(
            p.company,
            p.owner,
            title="Stage bakkerij (MBO 2)",
            allowance_amount=Decimal("0"),
            buddy=published.buddy,
        ),
        p,
    )
    make_placement(p.company, p.owner, title="Stage afwas (MBO 2)")  # a draft, never offered
    starts = dt.datetime.combine(START, dt.time(15), tzinfo=AMSTERDAM)
    lecture = event_services.event_publish(
        by=p.coordinator,
        institution=p.rocva,
        kind=Event.Kind.GUEST_LECTURE,
        title="Gastles: werken in een bakkerij",
        description="Bakkerij A vertelt over het vak.",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        venue="ROC van Amsterdam, Jan van Zutphenweg",
        programme=kok_programme(),
    )
    came = event_services.event_sign_up(event=lecture, by=p.owner, company=p.company)
    event_services.event_sign_up(event=lecture, by=p.outsider, company=p.other_company)
    event_services.attendance_mark(registration=came, by=p.coordinator, present=True, now=starts)
    return p


@pytest.fixture
def computed(region):
    """The region's figures, computed."""
    figures_refresh(force=True)
    return region


def fact(measure: str, key: str | None = None, grain: int = Grain.FINEST, **dims) -> int:
    """The sum of a measure's facts (of one key) in the test school year."""
    qs = Fact.objects.filter(grain=grain, school_year=SCHOOL_YEAR, measure=measure, **dims)
    if key is not None:
        qs = qs.filter(key=key)
    return sum(qs.values_list("value", flat=True))


@pytest.fixture
def client():
    """The pages in English: the tests read the source texts, whatever the Dutch catalogue
    says (it is filled in later)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")
