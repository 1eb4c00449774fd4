"""Who may see or change what. Every page and API call goes through these functions.

Memberships are read once per request and kept on the user object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stagebrug.accounts.models import Membership, Role

if TYPE_CHECKING:
    from stagebrug.accounts.models import User
    from stagebrug.registry.models import Company, Institution

COMPANY_EDITORS = {Role.COMPANY_OWNER, Role.COMPANY_MEMBER}
COMPANY_VIEWERS = COMPANY_EDITORS | {Role.COMPANY_SUPERVISOR}
SCHOOL_EDITORS = {Role.SCHOOL_COORDINATOR}
SCHOOL_STAFF = {Role.SCHOOL_COORDINATOR, Role.SCHOOL_SUPERVISOR}


def memberships(user: User) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_stagebrug_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related(
                "company", "institution", "programme"
            )
        )
        user._stagebrug_memberships = cached
    return cached


def forget_memberships(user: User) -> None:
    """Call after a membership changes within the same request."""
    if hasattr(user, "_stagebrug_memberships"):
        del user._stagebrug_memberships


def is_operator(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        m.role == Role.OPERATOR for m in memberships(user)
    )


def company_ids(user: User, roles: set[str] = COMPANY_VIEWERS) -> set[int]:
    return {m.company_id for m in memberships(user) if m.role in roles and m.company_id}


def institution_ids(user: User, roles: set[str] = SCHOOL_STAFF) -> set[int]:
    return {m.institution_id for m in memberships(user) if m.role in roles and m.institution_id}


def can_view_company(user: User, company: Company) -> bool:
    """Public companies are visible to all; private ones only to their own people."""
    return company.is_public or can_view_company_private(user, company)


def can_view_company_private(user: User, company: Company) -> bool:
    return is_operator(user) or company.pk in company_ids(user)


def can_edit_company(user: User, company: Company) -> bool:
    return is_operator(user) or company.pk in company_ids(user, COMPANY_EDITORS)


def can_manage_company_team(user: User, company: Company) -> bool:
    return is_operator(user) or company.pk in company_ids(user, {Role.COMPANY_OWNER})


def can_edit_institution(user: User, institution: Institution) -> bool:
    return is_operator(user) or institution.pk in institution_ids(user, SCHOOL_EDITORS)


def can_review_placement(user: User, placement) -> bool:
    """A school's coordinators see a placement once it is offered to one of their programmes
    (not while it is a draft); its own company and operators always."""
    if can_view_company_private(user, placement.company):
        return True
    if placement.status == "draft":
        return False
    schools = {t.programme.institution_id for t in placement.targets.all()}
    return bool(schools & institution_ids(user, SCHOOL_EDITORS))
