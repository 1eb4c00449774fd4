"""Who may read, edit and sign an agreement. Everyone with a part in the internship reads it
(a foreign company or school gets 404); each party edits only its own sections and signs only
for itself."""

from __future__ import annotations

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.agreements.models import Agreement, Party
from stagebrug.internships import permissions as internship_permissions


def can_view(user: User, agreement: Agreement) -> bool:
    return internship_permissions.can_view(user, agreement.internship)


def edits_for(user: User, agreement: Agreement) -> set[str]:
    """The parties whose sections `user` edits: the student their own; the business's owners,
    colleagues and the workplace supervisor the business's; the coordinators and the assigned
    school supervisor the school's."""
    roles = internship_permissions.roles(user, agreement.internship)
    parties = set()
    if internship_permissions.STUDENT in roles:
        parties.add(Party.STUDENT)
    if roles & {internship_permissions.BUSINESS, internship_permissions.WORKPLACE_SUPERVISOR}:
        parties.add(Party.BUSINESS)
    if roles & {internship_permissions.COORDINATOR, internship_permissions.SCHOOL_SUPERVISOR}:
        parties.add(Party.SCHOOL)
    return parties


def signs_for(user: User, agreement: Agreement) -> set[str]:
    """The parties `user` signs for: the student for themselves; the company's owners and
    colleagues for the business; the school's coordinators for the school. (A parent or
    guardian, or a business signer without an account, signs with a link.)"""
    internship = agreement.internship
    parties = set()
    if internship.student_id and internship.student_id == user.pk:
        parties.add(Party.STUDENT)
    if internship.placement.company_id in perms.company_ids(user, perms.COMPANY_EDITORS):
        parties.add(Party.BUSINESS)
    if internship.institution_id in perms.institution_ids(user, perms.SCHOOL_EDITORS):
        parties.add(Party.SCHOOL)
    return parties


def manages(user: User, agreement: Agreement) -> bool:
    """The school owns the draft (for MBO the school draws up the POK): it sends, reopens and
    amends."""
    return perms.can_edit_institution(user, agreement.internship.institution)


def sees_birth_date(user: User, agreement: Agreement) -> bool:
    """The student's date of birth: the student and the school, nobody else."""
    internship = agreement.internship
    return (internship.student_id and internship.student_id == user.pk) or manages(user, agreement)
