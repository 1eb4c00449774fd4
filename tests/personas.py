"""Named personas with documented roles, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass

from stagebrug.accounts.models import Role, User
from stagebrug.accounts.services import membership_grant
from stagebrug.registry.models import Company, Institution
from tests.factories import CompanyFactory, UserFactory


@dataclass
class Personas:
    owner: User
    member: User
    supervisor: User
    outsider: User
    coordinator: User
    other_coordinator: User
    teacher: User
    student: User
    operator: User
    company: Company
    other_company: Company
    rocva: Institution
    hva: Institution


def create() -> Personas:
    rocva = Institution.objects.get(brin="25PZ")
    hva = Institution.objects.get(brin="28DN")
    owner = UserFactory(email="owner@a.example", full_name="Olga Owner")
    company = CompanyFactory(owner=owner, name="Bakkerij A")
    member = UserFactory(email="member@a.example", full_name="Mo Member")
    membership_grant(user=member, role=Role.COMPANY_MEMBER, company=company)
    supervisor = UserFactory(email="supervisor@a.example", full_name="Sam Supervisor")
    membership_grant(user=supervisor, role=Role.COMPANY_SUPERVISOR, company=company)
    outsider = UserFactory(email="owner@b.example", full_name="Otto Outsider")
    other_company = CompanyFactory(owner=outsider, name="Garage B")
    coordinator = UserFactory(email="coordinator@rocva.example", full_name="Cora Coordinator")
    membership_grant(user=coordinator, role=Role.SCHOOL_COORDINATOR, institution=rocva)
    other_coordinator = UserFactory(email="coordinator@hva.example", full_name="Hans HvA")
    membership_grant(user=other_coordinator, role=Role.SCHOOL_COORDINATOR, institution=hva)
    teacher = UserFactory(email="teacher@rocva.example", full_name="Tess Teacher")
    membership_grant(user=teacher, role=Role.SCHOOL_SUPERVISOR, institution=rocva)
    student = UserFactory(email="student@rocva.example", full_name="Stan Student")
    membership_grant(user=student, role=Role.STUDENT, institution=rocva)
    operator = UserFactory(email="operator@stagebrug.example", full_name="Op Erator")
    membership_grant(user=operator, role=Role.OPERATOR)
    return Personas(
        owner=owner,
        member=member,
        supervisor=supervisor,
        outsider=outsider,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        teacher=teacher,
        student=student,
        operator=operator,
        company=company,
        other_company=other_company,
        rocva=rocva,
        hva=hva,
    )
