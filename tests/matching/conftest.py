"""A small matching world: three placements approved for Kok (ROC van Amsterdam) at two
businesses, one placement the round must not offer, and five Kok students with a home area.

    A1  Bakkerij A, 1 position        A2  Bakkerij A, 2 positions
    B1  Garage B, 1 position          X   Bakkerij A, waiting for the school (not offered)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from stagebrug.accounts.models import Role, User
from stagebrug.accounts.services import membership_grant
from stagebrug.applications.models import StudentProfile
from stagebrug.matching import services
from stagebrug.matching.models import Round
from stagebrug.placements import services as placement_services
from stagebrug.placements.models import Placement
from stagebrug.registry.models import EducationLevel, Postcode, Programme
from tests.dates import on
from tests.factories import RecognitionFactory, SupervisorFactory, UserFactory
from tests.personas import Personas
from tests.placements.factories import kok_programme, make_placement

STUDENTS = [
    ("Anna Aydin", "1094"),
    ("Bram Bakker", "1011"),
    ("Chen Cohen", "1055"),
    ("Dewi Dekker", "1102"),
    ("Emre Erdem", "1501"),
]


@dataclass
class World:
    personas: Personas
    programme: Programme
    a1: Placement
    a2: Placement
    b1: Placement
    x: Placement
    students: list[User]


def make_student(name: str, pc4: str | None, programme: Programme, *, year: int = 2) -> User:
    email = name.lower().replace(" ", ".") + "@student.rocva.example"
    user = UserFactory(email=email, full_name=name)
    membership_grant(
        user=user, role=Role.STUDENT, institution=programme.institution, programme=programme
    )
    StudentProfile.objects.create(
        user=user,
        programme=programme,
        year=year,
        home_pc4=Postcode.objects.get(code=pc4) if pc4 else None,
    )
    return user


def publish(placement: Placement, coordinator: User) -> Placement:
    placement_services.placement_submit(
        placement=placement,
        by=placement.company.memberships.filter(role=Role.COMPANY_OWNER).first().user,
    )
    for target in placement.targets.all():
        placement_services.placement_decide(target=target, by=coordinator, approve=True)
    placement.refresh_from_db()
    return placement


@pytest.fixture
def world(recognised) -> World:
    p = recognised
    RecognitionFactory(
        company=p.other_company, by=p.outsider, crebo="25180", valid_from=on(1, 1, -1)
    )
    SupervisorFactory(
        company=p.other_company,
        by=p.outsider,
        name="Chef Wim",
        education_level=EducationLevel.MBO_4,
    )
    kok = kok_programme()
    a1 = publish(make_placement(p.company, p.owner, title="Stage keuken A1 (MBO 2)"), p.coordinator)
    a2 = publish(
        make_placement(p.company, p.owner, title="Stage lunchroom A2 (MBO 2)", positions=2),
        p.coordinator,
    )
    b1 = publish(
        make_placement(p.other_company, p.outsider, title="Stage kantine B1 (MBO 2)"),
        p.coordinator,
    )
    x = make_placement(p.company, p.owner, title="Stage wachtend X (MBO 2)")
    placement_services.placement_submit(placement=x, by=p.owner)
    students = [make_student(name, pc4, kok) for name, pc4 in STUDENTS]
    return World(personas=p, programme=kok, a1=a1, a2=a2, b1=b1, x=x, students=students)


def soon(days: int = 7) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def open_round(world: World, **kwargs) -> Round:
    round = services.round_create(
        programme=world.programme,
        by=world.personas.coordinator,
        name="Kok 2027, ronde 1",
        deadline=kwargs.pop("deadline", soon()),
        **kwargs,
    )
    return services.round_open(round=round, by=world.personas.coordinator)


@pytest.fixture
def round_open(world) -> Round:
    return open_round(world, seed=7)
