"""The operator's view of the platform: who changed what (the audit log, filterable and
exported), and the health of the task queue (waiting, running, failed, the oldest job waiting).
Plain functions; the pages are in `operator_views`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from stagebrug.core.forms import DateInput, StyledForm
from stagebrug.core.models import AuditEvent

#: A queue whose oldest waiting job is older than this is not keeping up.
BEHIND_AFTER = dt.timedelta(minutes=15)
#: Failures shown on the queue page, newest first.
FAILURES_SHOWN = 20


class AuditFilterForm(StyledForm, forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("The start is enough: “placement.” finds every change to placements."),
    )
    actor = forms.CharField(label=_("Who (e-mail address)"), required=False, max_length=254)
    object_type = forms.CharField(
        label=_("Kind of object"),
        required=False,
        max_length=64,
        help_text=_("For example placements.placement or accounts.user."),
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Up to and including"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("This date is before the “From” date."))
        return data


def audit_events(
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log, newest first, narrowed by what is given. "Who" matches the e-mail
    address (a part of it will do); the dates are whole days in the site's time zone."""
    events = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    if action.strip():
        events = events.filter(action__startswith=action.strip())
    if actor.strip():
        events = events.filter(actor__email__icontains=actor.strip())
    if object_type.strip():
        events = events.filter(object_type=object_type.strip().lower())
    if since:
        events = events.filter(created_at__gte=_start_of(since))
    if until:
        events = events.filter(created_at__lt=_start_of(until + dt.timedelta(days=1)))
    return events


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


AUDIT_COLUMNS = (
    _("Time"),
    _("Who"),
    _("Action"),
    _("Kind of object"),
    _("Object id"),
    _("Object"),
    _("Changes"),
)


def audit_rows(events: QuerySet[AuditEvent]) -> Iterator[list]:
    """The events as CSV rows, read in chunks (an export of a year stays in small memory)."""
    import json

    for e in events.iterator(chunk_size=2000):
        yield [
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor.email if e.actor else "",
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            json.dumps(e.changes, ensure_ascii=False, sort_keys=True) if e.changes else "",
        ]


@dataclass(frozen=True)
class QueueHealth:
    waiting: int
    #: Waiting and due (not scheduled for later).
    due: int
    running: int
    failed_today: int
    failed: int
    oldest_due_since: dt.datetime | None
    failures: list[DBTaskResult]

    @property
    def later(self) -> int:
        return self.waiting - self.due

    @property
    def behind(self) -> bool:
        return self.oldest_due_since is not None and (
            timezone.now() - self.oldest_due_since > BEHIND_AFTER
        )


def queue_health(*, now: dt.datetime | None = None) -> QueueHealth:
    """How the task queue is doing, in seven queries whatever its size."""
    now = now or timezone.now()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    # A job without a time to wait for carries the far future as its `run_after`.
    at_once = Q(run_after=get_date_max())
    due = ready.filter(at_once | Q(run_after__lte=now))
    oldest = due.aggregate(
        queued=Min("enqueued_at", filter=at_once), scheduled=Min("run_after", filter=~at_once)
    )
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    day_start = _start_of(timezone.localdate(now))
    return QueueHealth(
        waiting=ready.count(),
        due=due.count(),
        running=DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        failed_today=failed.filter(Q(finished_at__gte=day_start)).count(),
        failed=failed.count(),
        oldest_due_since=min((t for t in oldest.values() if t is not None), default=None),
        failures=list(
            failed.order_by("-finished_at").only(
                "id", "task_path", "finished_at", "exception_class_path", "enqueued_at"
            )[:FAILURES_SHOWN]
        ),
    )
