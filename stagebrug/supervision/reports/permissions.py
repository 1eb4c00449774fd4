"""Who may read and follow up a confidential report (`Report`, a melding bij school).

A report is between the student and their school. It may be read by:

- the student who filed it (their own reports only);
- the school supervisor assigned to the internship;
- the coordinators of the internship's school.

Nobody at the business may read it, whatever else they are: the owners and colleagues, the
workplace supervisor and the buddy, and anyone with a membership of the internship's company.
Platform operators are not the school and do not read reports either (they keep the platform
running, they do not follow up a student's complaint about a workplace). Everyone who may not
read a report gets 404: we do not even confirm that one exists.
"""

from __future__ import annotations

from django.db.models import Q

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.internships import permissions as internship_roles
from stagebrug.internships.models import Internship
from stagebrug.supervision.models import Report

#: The parts in an internship that belong to the business: never a reader of a report.
BUSINESS_ROLES = frozenset(
    {
        internship_roles.BUSINESS,
        internship_roles.WORKPLACE_SUPERVISOR,
        internship_roles.BUDDY,
    }
)


def is_business_side(user: User, internship: Internship) -> bool:
    """`user` is someone at the internship's company (any membership of it, or named as its
    workplace supervisor or buddy). Expects supervisor, buddy and placement select_related."""
    if not getattr(user, "is_authenticated", False):
        return False
    if internship.placement.company_id in perms.company_ids(user, perms.COMPANY_VIEWERS):
        return True
    if internship.supervisor_id and internship.supervisor.user_id == user.pk:
        return True
    return bool(internship.buddy_id and internship.buddy.user_id == user.pk)


def is_school_reader(user: User, internship: Internship) -> bool:
    """The internship's school supervisor or one of its school's coordinators (not operators),
    and not someone at the business as well."""
    if not getattr(user, "is_authenticated", False):
        return False
    school = internship.school_supervisor_id == user.pk or (
        internship.institution_id in perms.institution_ids(user, perms.SCHOOL_EDITORS)
    )
    return school and not is_business_side(user, internship)


def may_file(user: User, internship: Internship) -> bool:
    """Only the internship's own student files a report from it."""
    return bool(
        getattr(user, "is_authenticated", False)
        and internship.student_id
        and internship.student_id == user.pk
    )


def can_view(user: User, report: Report) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if report.student_id and report.student_id == user.pk:
        return True
    return is_school_reader(user, report.internship)


def can_handle(user: User, report: Report) -> bool:
    """The school acknowledges, follows up and closes a report, and replies to the student."""
    return is_school_reader(user, report.internship)


def school_filter(user: User) -> Q:
    """The reports the school side of `user` may read, as a filter (lists and the API)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    school = Q(internship__school_supervisor=user) | Q(
        internship__institution_id__in=perms.institution_ids(user, perms.SCHOOL_EDITORS)
    )
    business = (
        Q(internship__placement__company_id__in=perms.company_ids(user, perms.COMPANY_VIEWERS))
        | Q(internship__supervisor__user=user)
        | Q(internship__buddy__user=user)
    )
    return school & ~business


def visible_filter(user: User) -> Q:
    """Every report `user` may read: their own, and those the school side may read."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(student=user) | school_filter(user)
