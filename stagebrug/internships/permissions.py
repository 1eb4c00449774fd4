"""Who may see or change an internship, from their part in it. Outsiders, a foreign company
or a foreign school, get 404: we do not confirm an internship exists.

The parts: the student; the workplace supervisor and the buddy (the supervisors named on the
internship, through their accounts); the business (the company's owners and colleagues); the
school supervisor assigned to it; the school's coordinators (and platform operators).
"""

from __future__ import annotations

from django.db.models import Q

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.internships.models import Internship

STUDENT = "student"
WORKPLACE_SUPERVISOR = "workplace_supervisor"
BUDDY = "buddy"
BUSINESS = "business"
SCHOOL_SUPERVISOR = "school_supervisor"
COORDINATOR = "coordinator"


def roles(user: User, internship: Internship) -> frozenset[str]:
    """The parts `user` plays in this internship (empty: they may not see it). Expects the
    internship's supervisor, buddy, placement and institution to be select_related."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    found = set()
    if internship.student_id and internship.student_id == user.pk:
        found.add(STUDENT)
    if internship.supervisor_id and internship.supervisor.user_id == user.pk:
        found.add(WORKPLACE_SUPERVISOR)
    if internship.buddy_id and internship.buddy.user_id == user.pk:
        found.add(BUDDY)
    if internship.placement.company_id in perms.company_ids(user, perms.COMPANY_EDITORS):
        found.add(BUSINESS)
    if internship.school_supervisor_id == user.pk:
        found.add(SCHOOL_SUPERVISOR)
    if perms.can_edit_institution(user, internship.institution):
        found.add(COORDINATOR)
    return frozenset(found)


def can_view(user: User, internship: Internship) -> bool:
    return bool(roles(user, internship))


def edit_as_business(user: User, internship: Internship) -> bool:
    """The company's owners and colleagues (and operators) name supervisor and buddy."""
    return perms.can_edit_company(user, internship.placement.company)


def manage_as_school(user: User, internship: Internship) -> bool:
    """The school's coordinators (and operators) assign the school supervisor, set dates and
    hours, start, complete and stop."""
    return perms.can_edit_institution(user, internship.institution)


def may_read_timeline(user: User, internship: Internship) -> bool:
    """The audit timeline is for the school that follows the internship."""
    return bool(roles(user, internship) & {COORDINATOR, SCHOOL_SUPERVISOR})


def visible_filter(user: User) -> Q:
    """The internships `user` may see, as a filter (the API's list and the selectors)."""
    if perms.is_operator(user):
        return Q()
    return (
        Q(student=user)
        | Q(supervisor__user=user)
        | Q(buddy__user=user)
        | Q(school_supervisor=user)
        | Q(placement__company_id__in=perms.company_ids(user, perms.COMPANY_EDITORS))
        | Q(institution_id__in=perms.institution_ids(user, perms.SCHOOL_EDITORS))
    )
