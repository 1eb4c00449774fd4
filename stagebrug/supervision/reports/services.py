"""A safe place to report (C7): a student reports discrimination, intimidation or an unsafe
situation at the workplace to their school, confidentially; the school acknowledges it,
follows it up and closes it, and the student sees the status and the school's reply.

Confidential means: never anything to the business. No page, API answer, export, inbox message
or e-mail of anyone at the internship's company holds a report or says that one exists. The
messages Stagebrug sends (to the school when a report arrives, to the student when its status
changes) never hold the report's text or the reply: only that there is something to read on
Stagebrug. The audit log records who did what, never what the report or the reply said.

When a report may be filed: while the internship is confirmed or under way, and for
`REPORT_WINDOW_DAYS` days after it was completed, stopped or (without either) its end date
(what happened often comes out only after the internship). After that, the student goes to
their school directly.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagebrug.accounts.models import Role, User
from stagebrug.accounts.services import speaking_to
from stagebrug.applications.services import notify
from stagebrug.core.audit import audit_log
from stagebrug.internships.models import CURRENT_STATUSES, Internship
from stagebrug.supervision.models import Report
from stagebrug.supervision.reports import permissions as can

REPORT_WINDOW_DAYS = 90
TEXT_MAX = 5000
REPLY_MAX = 2000

NOT_THE_STUDENT = _("Only the student of this internship can send a report from it.")
WINDOW_CLOSED = _(
    "This internship ended more than %(days)s days ago. Please contact your school directly."
)
KIND_REQUIRED = _("Choose what your report is about.")
TEXT_REQUIRED = _("Tell us in your own words what happened.")
TEXT_TOO_LONG = _("Please keep it under %(max)s characters.")
REPLY_TOO_LONG = _("Please keep the message under %(max)s characters.")
NOT_THE_SCHOOL = _("Only the student's school follows up a report.")
STATE_UNKNOWN = _("Choose a status.")
STEP_BACK = _("A report moves forward only: it cannot go back from “%(from)s” to “%(to)s”.")
ALREADY_CLOSED = _("This report is closed.")
NOTHING_CHANGED = _("Change the status or write a message to the student.")

NEW_TITLE = _("A new confidential report")
NEW_BODY = _(
    "A student sent a confidential report to the school. Open Stagebrug to read it and let the "
    "student know you have read it."
)
UPDATED_TITLE = _("Your school has updated your report")
UPDATED_BODY = _("Open Stagebrug to see the status of your report and the school's message.")

#: The order a report moves through; it may skip a step forward, never go back.
STEPS = [
    Report.State.NEW,
    Report.State.ACKNOWLEDGED,
    Report.State.IN_PROGRESS,
    Report.State.CLOSED,
]


def ended_on(internship: Internship) -> dt.date | None:
    """The day a finished internship ended (completed, stopped, else its end date); None while
    it is current."""
    if internship.status in CURRENT_STATUSES:
        return None
    closed = internship.stopped_at or internship.completed_at
    return timezone.localdate(closed) if closed else internship.end_date


def may_report(internship: Internship, *, today: dt.date | None = None) -> bool:
    """Reports are taken while the internship is current and `REPORT_WINDOW_DAYS` after."""
    end = ended_on(internship)
    if end is None:
        return True
    today = today or timezone.localdate()
    return (today - end).days <= REPORT_WINDOW_DAYS


def school_recipients(internship: Internship) -> list[User]:
    """Who hears of a new report: the internship's school supervisor and the school's
    coordinators; never anyone at the business, never the student."""
    people = list(
        User.objects.filter(
            memberships__institution_id=internship.institution_id,
            memberships__role=Role.SCHOOL_COORDINATOR,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    supervisor = internship.school_supervisor
    if supervisor is not None and supervisor.is_active and supervisor not in people:
        people.insert(0, supervisor)
    return [
        p
        for p in people
        if p.pk != internship.student_id and not can.is_business_side(p, internship)
    ]


def report_create(*, internship: Internship, by: User, kind: str, text: str) -> Report:
    """The student files a confidential report with their school; the school is told that
    there is a new report (not what it says)."""
    if not can.may_file(by, internship):
        raise PermissionDenied(NOT_THE_STUDENT)
    if not may_report(internship):
        raise ValidationError(WINDOW_CLOSED, params={"days": REPORT_WINDOW_DAYS})
    errors: dict[str, list] = {}
    if kind not in Report.Kind.values:
        errors["kind"] = [KIND_REQUIRED]
    text = (text or "").strip()
    if not text:
        errors["text"] = [TEXT_REQUIRED]
    elif len(text) > TEXT_MAX:
        errors["text"] = [ValidationError(TEXT_TOO_LONG, params={"max": TEXT_MAX})]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = Report.objects.create(internship=internship, student=by, kind=kind, text=text)
        audit_log(
            actor=by,
            action="report.create",
            obj=report,
            changes={"kind": kind, "state": report.state, "internship": internship.pk},
        )
        url = reverse("supervision:report_detail", args=[report.pk])
        for person in school_recipients(internship):
            with speaking_to(person):
                notify(
                    user=person,
                    kind="report.new",
                    title=str(NEW_TITLE),
                    body=str(NEW_BODY),
                    url=url,
                )
    return report


def report_update(*, report: Report, by: User, state: str, reply: str) -> Report:
    """The school moves the report on (received → read → being followed up → closed) and/or
    writes to the student. Acknowledging records who read it and when; the student is told
    that there is news (not what it says)."""
    if not can.can_handle(by, report):
        raise PermissionDenied(NOT_THE_SCHOOL)
    if state not in Report.State.values:
        raise ValidationError({"state": [STATE_UNKNOWN]})
    reply = (reply or "").strip()
    if len(reply) > REPLY_MAX:
        raise ValidationError(
            {"reply": [ValidationError(REPLY_TOO_LONG, params={"max": REPLY_MAX})]}
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        before = locked.state
        if before == Report.State.CLOSED:
            raise ValidationError(ALREADY_CLOSED)
        if STEPS.index(state) < STEPS.index(before):
            raise ValidationError(
                {
                    "state": [
                        ValidationError(
                            STEP_BACK,
                            params={
                                "from": Report.State(before).label,
                                "to": Report.State(state).label,
                            },
                        )
                    ]
                }
            )
        reply_changed = reply != locked.reply
        if state == before and not reply_changed:
            raise ValidationError(NOTHING_CHANGED)
        now = timezone.now()
        locked.state = state
        locked.reply = reply
        if before == Report.State.NEW and state != Report.State.NEW:
            locked.acknowledged_at = now
            locked.handled_by = by
        if locked.handled_by_id is None and state != Report.State.NEW:
            locked.handled_by = by
        if state == Report.State.CLOSED:
            locked.closed_at = now
        locked.save()
        changes: dict = {"reply_changed": reply_changed}
        if state != before:
            changes["state"] = [before, state]
        audit_log(actor=by, action="report.update", obj=locked, changes=changes)
        student = locked.student
        if student is not None and student.is_active:
            with speaking_to(student):
                notify(
                    user=student,
                    kind="report.updated",
                    title=str(UPDATED_TITLE),
                    body=str(UPDATED_BODY),
                    url=reverse("supervision:report_detail", args=[locked.pk]),
                )
    # The caller's object shows the new state (the view, the API).
    for field in ("state", "reply", "acknowledged_at", "handled_by", "closed_at", "updated_at"):
        setattr(report, field, getattr(locked, field))
    return report


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """`accounts.hooks.erasing`: the student's reports lose what they said and the school's
    reply (privacy first); what kind of report it was and how far the school followed it up
    stay, without the person, for the school's record of its internship places."""
    rows = Report.objects.filter(student=user)
    ids = list(rows.values_list("pk", flat=True))
    rows.update(text="", reply="", student=None)
    return [("supervision.report", ids)]
