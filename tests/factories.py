"""Test data factories. Companies and their children are made through the services, so a
factory-made object passed the same validation a user's input does."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from stagebrug.accounts.models import User
from stagebrug.registry import services
from stagebrug.registry.models import (
    Company,
    EducationLevel,
    EducationSector,
    Qualification,
    Recognition,
    SectorCode,
    Supervisor,
)
from tests import dates

PASSWORD = "correct-horse-battery"
_kvk = itertools.count(10_000_001)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.django.Password(PASSWORD)


def company_data(**overrides) -> dict:
    data = {
        "kvk_number": str(next(_kvk)),
        "name": "Testbedrijf",
        "street": "Javastraat",
        "house_number": "1",
        "postcode": "1094 HB",
        "city": "Amsterdam",
        "sector": SectorCode.objects.get(code="56"),
        "employee_count": 8,
        "website": "",
        "description": "",
        "is_public": True,
    }
    data.update(overrides)
    return data


def CompanyFactory(*, owner: User | None = None, **overrides) -> Company:
    owner = owner or UserFactory()
    return services.company_register(by=owner, **company_data(**overrides))


def supervisor_data(**overrides) -> dict:
    data = {
        "name": "Petra Praktijk",
        "email": f"petra{next(_kvk)}@example.org",
        "phone": "",
        "job_title": "Praktijkopleider",
        "education_level": EducationLevel.BACHELOR,
        "education_sector": EducationSector.ECONOMIE,
        "education_name": "Communicatie",
    }
    data.update(overrides)
    return data


def SupervisorFactory(*, company: Company, by: User, **overrides) -> Supervisor:
    return services.supervisor_create(company=company, by=by, **supervisor_data(**overrides))


def RecognitionFactory(
    *, company: Company, by: User, crebo: str = "25180", valid_from: dt.date | None = None, **kw
) -> Recognition:
    return services.recognition_create(
        company=company,
        by=by,
        leerbedrijf_id=kw.pop("leerbedrijf_id", "100234567"),
        qualification=Qualification.objects.get(crebo=crebo),
        valid_from=valid_from or dates.on(1, 1, -1),
        **kw,
    )


def confirm_internship(*, student: User, placement, programme=None, source: str = "application"):
    """A confirmed internship made the way the platform makes one (the service that takes the
    position and answers the other applicants). The programme defaults to the student's own,
    else the placement's first approved one."""
    from stagebrug.applications.hooks import Confirmation
    from stagebrug.internships.services import internship_confirm
    from stagebrug.placements.models import ProgrammeDecision

    if programme is None:
        membership = student.memberships.filter(programme__isnull=False).first()
        programme_id = membership.programme_id if membership else None
        profile = getattr(student, "student_profile", None)
        if programme_id is None and profile is not None:
            programme_id = profile.programme_id
        if programme_id is None:
            target = placement.targets.filter(decision=ProgrammeDecision.APPROVED).first()
            programme_id = (target or placement.targets.first()).programme_id
    else:
        programme_id = programme.pk
    (internship,) = internship_confirm(
        confirmations=[
            Confirmation(
                student_id=student.pk,
                programme_id=programme_id,
                placement=placement,
                source=source,
            )
        ],
        by=None,
    )
    return internship
