"""Who may see and change the contact moments of an internship (W8).

- Every party of the internship sees its moments and their records (the student, the
  workplace supervisor and buddy, the business's owners and colleagues, the school supervisor,
  the school's coordinators): the records are short and about the internship, not the student's
  private life. Everyone else gets 404.
- The three who meet plan: the school supervisor, the school's coordinators and the workplace
  supervisor reschedule, add and cancel moments (while the internship is current).
- Only those who were there as supervisors write the record: the school supervisor and the
  workplace supervisor. The business's owner or colleague who is not the workplace supervisor,
  the buddy and the coordinator read it but do not write it (they were not at the table);
  the student reads it.
"""

from __future__ import annotations

from stagebrug.accounts.models import User
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship

PLANNERS = frozenset({can.SCHOOL_SUPERVISOR, can.COORDINATOR, can.WORKPLACE_SUPERVISOR})
RECORDERS = frozenset({can.SCHOOL_SUPERVISOR, can.WORKPLACE_SUPERVISOR})


def can_view(user: User, internship: Internship) -> bool:
    return can.can_view(user, internship)


def may_plan(user: User, internship: Internship) -> bool:
    """Reschedule, add and cancel; only while the internship is confirmed or under way."""
    return bool(can.roles(user, internship) & PLANNERS) and internship.is_open


def may_record(user: User, internship: Internship) -> bool:
    return bool(can.roles(user, internship) & RECORDERS)
