"""Who is who: read-only lookups on people and memberships."""

from __future__ import annotations

from collections.abc import Iterable

from stagebrug.accounts.models import Membership, Role, User


def company_people(company_ids: Iterable[int]) -> dict[int, list[User]]:
    """Owners and colleagues per company: the people who answer students and rank candidates.
    Workplace supervisors without a company role are not included."""
    people: dict[int, dict[int, User]] = {}
    memberships = Membership.objects.filter(
        company_id__in=set(company_ids), role__in=[Role.COMPANY_OWNER, Role.COMPANY_MEMBER]
    ).select_related("user")
    for membership in memberships.order_by("pk"):
        people.setdefault(membership.company_id, {})[membership.user_id] = membership.user
    return {company_id: list(users.values()) for company_id, users in people.items()}
