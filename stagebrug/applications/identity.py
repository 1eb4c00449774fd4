"""An anonymous first look (W2, W14): where the student's programme asks for it, a business
first sees an applicant without anything that identifies them (name, CV, motivation, the
names on messages and history), only the fit, the reasons and what the student wants to do,
until it shortlists them (or invites or offers: each reveals who it is). Every channel that
shows a business an application (pages, API, inbox, e-mail, the CV download) asks here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from stagebrug.applications.models import Application, ApplicationStatus

#: The business's moves that show it who the applicant is.
REVEALING = frozenset(
    {ApplicationStatus.SHORTLISTED, ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER}
)


def hidden_from(application: Application, user: Any = None) -> bool:
    """Whether `user` sees this application without the student's identity: anyone but the
    student while the application is anonymous and not yet revealed. `user=None` is the
    business side (its inbox and e-mails)."""
    if not application.anonymous or application.revealed_at is not None:
        return False
    return user is None or getattr(user, "pk", None) != application.student_id


def applicant_label(application: Application) -> str:
    """The name an anonymous applicant goes by: its number, which says nothing about them."""
    return _("Applicant %(number)s") % {"number": application.pk}


def applicant_name(application: Application, user: Any = None) -> str:
    """The student's name, or the anonymous label for whoever may not see it yet."""
    if hidden_from(application, user):
        return applicant_label(application)
    return application.student.full_name


def person_name(application: Application, person: Any, user: Any = None) -> str:
    """A name on a message or in the history: the student's is hidden like the applicant's."""
    if person is None:
        return ""
    if person.pk == application.student_id:
        return applicant_name(application, user)
    return person.full_name
