"""Events (C8; W0, W7): publishing, changing and cancelling; sign-up with a waiting list that
moves up by itself when someone cancels; attendance at the door; reminders the day before.

Sign-up and cancelling lock the event's row, so capacity holds under concurrent requests (on
PostgreSQL `SELECT … FOR UPDATE`; SQLite runs one writer at a time). Every change is in the
audit log; e-mail (with the calendar file) is queued on commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import Role, User
from stagebrug.accounts.services import speaking_to
from stagebrug.applications.services import notify
from stagebrug.community import ics
from stagebrug.community.models import Audience, Event, Registration
from stagebrug.core.audit import audit_log
from stagebrug.core.mail import queue_email
from stagebrug.registry.models import Company, Institution, Postcode
from stagebrug.registry.validators import normalize_postcode

#: Attendance at the door is taken from an hour before the start until the next day.
DOOR_OPENS = dt.timedelta(hours=1)
DOOR_CLOSES = dt.timedelta(days=1)
#: The reminder goes this long before the start.
REMIND_BEFORE = dt.timedelta(days=1)
MAX_LENGTH = dt.timedelta(days=3)

NOT_ORGANISER = _("Only the school's coordinators and the operator organise its events.")
IN_THE_PAST = _("Choose a start in the future.")
ENDS_BEFORE = _("The end must be after the start.")
TOO_LONG = _("An event lasts at most three days.")
NEEDS_LINK = _("Give the link to join online.")
NEEDS_PLACE = _("Give the place: the name of the venue, or the street and the town.")
POSTCODE_UNKNOWN = _("We do not know this postcode. Write it as 1234 AB.")
CAPACITY_BELOW = _(
    "%(n)s people are signed up already: the number of places cannot be lower than that."
)
CANCELLED_EVENT = _("This event was cancelled.")
STARTED = _("This event has started or is over: signing up and cancelling are closed.")
FOR_BUSINESSES = _("This event is for businesses: sign up from a business account.")
FOR_STUDENTS = _("This event is for students: sign up from a student account.")
ALREADY = _("You are signed up already.")
ALREADY_CANCELLED = _("You cancelled already.")
NOT_YOURS = _("This is someone else's sign-up.")
DOOR_CLOSED = _("Attendance is taken on the day of the event.")
NOT_SIGNED_UP = _("Only people with a place can be marked at the door.")


# --------------------------------------------------------------------------------------------
# Who organises


def organises(user: User, event: Event) -> bool:
    """The school's coordinators for a school's event; operators for every event."""
    if perms.is_operator(user):
        return True
    return event.institution_id is not None and perms.can_edit_institution(user, event.institution)


def may_organise_for(user: User, institution: Institution | None) -> bool:
    if institution is None:
        return perms.is_operator(user)
    return perms.can_edit_institution(user, institution)


# --------------------------------------------------------------------------------------------
# Publishing


FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "online",
    "online_url",
    "venue",
    "street",
    "postcode",
    "city",
    "audience",
    "programme",
    "sector",
    "capacity",
    "company",
)


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def aware(value: Any) -> Any:
    """A time without a zone (an API client's "2027-01-10T10:00") is Amsterdam time."""
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        return value.replace(tzinfo=AMSTERDAM)
    return value


def _check(values: dict[str, Any], *, now: dt.datetime, new: bool) -> dict[str, list]:
    errors: dict[str, list] = {}
    for name in ("starts_at", "ends_at"):
        values[name] = aware(values.get(name))
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and new and starts <= now:
        errors["starts_at"] = [IN_THE_PAST]
    if starts and ends:
        if ends <= starts:
            errors["ends_at"] = [ENDS_BEFORE]
        elif ends - starts > MAX_LENGTH:
            errors["ends_at"] = [TOO_LONG]
    if values.get("online"):
        if not values.get("online_url"):
            errors["online_url"] = [NEEDS_LINK]
    elif not (values.get("venue") or (values.get("street") and values.get("city"))):
        errors["venue"] = [NEEDS_PLACE]
    if values.get("postcode"):
        try:
            values["postcode"] = normalize_postcode(values["postcode"])
        except ValidationError:
            errors["postcode"] = [POSTCODE_UNKNOWN]
        else:
            values["pc4"] = Postcode.objects.filter(code=values["postcode"][:4]).first()
            if values["pc4"] is None:
                errors["postcode"] = [POSTCODE_UNKNOWN]
    return errors


def event_publish(
    *, by: User, institution: Institution | None, now: dt.datetime | None = None, **values: Any
) -> Event:
    """A school (its coordinators) or the operator publishes an event."""
    if not may_organise_for(by, institution):
        raise PermissionDenied(NOT_ORGANISER)
    return create_event(by=by, institution=institution, now=now, **values)


def create_event(
    *, by: User, institution: Institution | None, now: dt.datetime | None = None, **values: Any
) -> Event:
    """Check and save a new event (the caller checked who may: `event_publish`, or a business
    accepting a guest-lecture request)."""
    now = now or timezone.now()
    values = {k: v for k, v in values.items() if k in FIELDS}
    errors = _check(values, now=now, new=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = Event(institution=institution, created_by=by, **values)
        event.full_clean(exclude=["pc4"])
        event.save()
        audit_log(actor=by, action="event.published", obj=event, changes={"kind": event.kind})
    return event


def event_change(*, event: Event, by: User, now: dt.datetime | None = None, **values: Any) -> Event:
    """Change an event; the people signed up get the new time or place (and calendar file)."""
    if not organises(by, event):
        raise PermissionDenied(NOT_ORGANISER)
    now = now or timezone.now()
    if event.state == Event.State.CANCELLED:
        raise ValidationError(CANCELLED_EVENT)
    if event.starts_at <= now:
        raise ValidationError(STARTED)
    values = {k: v for k, v in values.items() if k in FIELDS}
    merged = {f: getattr(event, f) for f in FIELDS} | values
    errors = _check(merged, now=now, new=True)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        taken = locked.registrations.filter(status=Registration.Status.CONFIRMED).count()
        capacity = merged.get("capacity")
        if capacity is not None and capacity < taken:
            errors["capacity"] = [ValidationError(CAPACITY_BELOW, params={"n": taken})]
        if errors:
            raise ValidationError(errors)
        moved = any(
            merged[f] != getattr(locked, f)
            for f in ("starts_at", "ends_at", "online", "online_url", "venue", "street", "city")
        )
        for name, value in merged.items():
            setattr(locked, name, value)
        if "pc4" in merged:
            locked.pc4 = merged["pc4"]
        locked.sequence += 1
        locked.full_clean(exclude=["pc4"])
        locked.save()
        _move_up(locked)
        audit_log(actor=by, action="event.changed", obj=locked, changes={"moved": moved})
        if moved:
            _tell_registered(locked, kind="event.changed", title=MOVED_TITLE, body=MOVED_BODY)
    return locked


def event_cancel(*, event: Event, by: User) -> Event:
    """Cancel an event; everyone signed up or waiting is told (with a cancelling calendar
    file)."""
    if not organises(by, event):
        raise PermissionDenied(NOT_ORGANISER)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.state == Event.State.CANCELLED:
            raise ValidationError(CANCELLED_EVENT)
        locked.state = Event.State.CANCELLED
        locked.sequence += 1
        locked.save(update_fields=["state", "sequence", "updated_at"])
        audit_log(actor=by, action="event.cancelled", obj=locked)
        _tell_registered(
            locked,
            kind="event.cancelled",
            title=CANCELLED_TITLE,
            body=CANCELLED_BODY,
            waiting_too=True,
            method=ics.CANCEL,
        )
    return locked


# --------------------------------------------------------------------------------------------
# Sign-up and the waiting list


def may_attend(user: User, event: Event, company: Company | None) -> None:
    """Businesses-only events are for company people signing up for their business;
    students-only events for students."""
    if event.audience == Audience.BUSINESSES and company is None:
        raise ValidationError(FOR_BUSINESSES)
    if event.audience == Audience.STUDENTS and not any(
        m.role == Role.STUDENT for m in perms.memberships(user)
    ):
        raise ValidationError(FOR_STUDENTS)


def event_sign_up(
    *, event: Event, by: User, company: Company | None = None, now: dt.datetime | None = None
) -> Registration:
    """Take a place, or a place on the waiting list when the event is full. Signing up twice
    is refused with the reason."""
    now = now or timezone.now()
    if company is not None and company.pk not in perms.company_ids(by):
        raise PermissionDenied
    may_attend(by, event, company)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.state == Event.State.CANCELLED:
            raise ValidationError(CANCELLED_EVENT)
        if locked.starts_at <= now:
            raise ValidationError(STARTED)
        if (
            Registration.objects.filter(event=locked, user=by)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        ):
            raise ValidationError(ALREADY)
        taken = locked.registrations.filter(status=Registration.Status.CONFIRMED).count()
        full = locked.capacity is not None and taken >= locked.capacity
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=locked,
                    user=by,
                    company=company,
                    name=by.full_name,
                    status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
                    confirmed_at=None if full else now,
                )
        except IntegrityError:
            raise ValidationError(ALREADY) from None
        audit_log(
            actor=by,
            action="event.signed_up",
            obj=registration,
            changes={"event": locked.pk, "status": registration.status},
        )
        if registration.status == Registration.Status.CONFIRMED:
            _send_calendar(registration, kind="event.confirmed", title=CONFIRMED_TITLE)
    return registration


def registration_cancel(
    *, registration: Registration, by: User, now: dt.datetime | None = None
) -> Registration:
    """Give up a place (or a place on the waiting list); the first one waiting moves up."""
    now = now or timezone.now()
    if registration.user_id != by.pk and not organises(by, registration.event):
        raise PermissionDenied(NOT_YOURS)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == Registration.Status.CANCELLED:
            raise ValidationError(ALREADY_CANCELLED)
        if event.state == Event.State.CANCELLED:
            raise ValidationError(CANCELLED_EVENT)
        if event.starts_at <= now:
            raise ValidationError(STARTED)
        was = locked.status
        locked.status = Registration.Status.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        audit_log(actor=by, action="event.cancelled_place", obj=locked, changes={"was": was})
        if was == Registration.Status.CONFIRMED:
            _move_up(event, now=now)
    return locked


def _move_up(event: Event, *, now: dt.datetime | None = None) -> list[Registration]:
    """Fill free places from the waiting list, first come first served (the event is locked by
    the caller); the people who move up are told, with the calendar file."""
    now = now or timezone.now()
    taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    free = None if event.capacity is None else event.capacity - taken
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by(
        "created_at", "pk"
    )
    moved = list(waiting if free is None else waiting[: max(free, 0)])
    for registration in moved:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        audit_log(actor=None, action="event.moved_up", obj=registration)
        _send_calendar(registration, kind="event.moved_up", title=MOVED_UP_TITLE)
    return moved


# --------------------------------------------------------------------------------------------
# At the door


def attendance_mark(
    *, registration: Registration, by: User, present: bool, now: dt.datetime | None = None
) -> Registration:
    """The organiser ticks off who came, on the day (a list on a phone)."""
    now = now or timezone.now()
    event = registration.event
    if not organises(by, event):
        raise PermissionDenied(NOT_ORGANISER)
    if not (event.starts_at - DOOR_OPENS <= now <= event.ends_at + DOOR_CLOSES):
        raise ValidationError(DOOR_CLOSED)
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(NOT_SIGNED_UP)
    registration.attended_at = now if present else None
    registration.save(update_fields=["attended_at"])
    audit_log(actor=by, action="event.attended", obj=registration, changes={"present": present})
    return registration


# --------------------------------------------------------------------------------------------
# Reminders the day before


def events_remind(*, now: dt.datetime | None = None) -> int:
    """Hourly: the people with a place at an event that starts within a day get a reminder
    with the calendar file, once."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminded_at__isnull=True,
        event__state=Event.State.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMIND_BEFORE,
    ).select_related("event", "user")
    sent = 0
    while batch := list(due[:500]):
        with transaction.atomic():
            for registration in batch:
                _send_calendar(registration, kind="event.reminder", title=REMINDER_TITLE)
            Registration.objects.filter(pk__in=[r.pk for r in batch]).update(reminded_at=now)
        sent += len(batch)
    return sent


# --------------------------------------------------------------------------------------------
# Telling people


CONFIRMED_TITLE = _("You are signed up for %(title)s on %(when)s")
MOVED_UP_TITLE = _("A place came free: you are signed up for %(title)s on %(when)s")
REMINDER_TITLE = _("Tomorrow: %(title)s, %(when)s")
MOVED_TITLE = _("%(title)s has changed: now %(when)s")
MOVED_BODY = _("The time or the place changed. The calendar file has the new details.")
CANCELLED_TITLE = _("%(title)s on %(when)s is cancelled")
CANCELLED_BODY = _("The organiser cancelled the event. We are sorry.")


def _when(event: Event) -> str:
    return date_format(timezone.localtime(event.starts_at), "l j F Y, H:i")


def _send_calendar(registration: Registration, *, kind: str, title, body="") -> None:
    person = registration.user
    if person is None:
        return
    event = registration.event
    with speaking_to(person):
        values = {"title": event.title, "when": _when(event)}
        text = str(title) % values
        notify(
            user=person,
            kind=kind,
            title=text,
            body=str(body) or event.place_line,
            url=event.get_absolute_url(),
            email=False,
        )
        if person.email:
            queue_email(
                to=person.email,
                language=person.language,
                template="notification",
                context={
                    "title": text,
                    "body": str(body) or event.place_line,
                    "url": f"{settings.SITE_URL}{event.get_absolute_url()}",
                },
                attachments=[
                    (
                        "stagebrug-event.ics",
                        ics.calendar([event], with_link=True).decode(),
                        ics.MIME,
                    )
                ],
            )


def _tell_registered(
    event: Event,
    *,
    kind: str,
    title,
    body,
    waiting_too: bool = False,
    method: str = ics.PUBLISH,
) -> None:
    statuses = [Registration.Status.CONFIRMED]
    if waiting_too:
        statuses.append(Registration.Status.WAITING)
    for registration in event.registrations.filter(status__in=statuses).select_related("user"):
        person = registration.user
        if person is None:
            continue
        with speaking_to(person):
            values = {"title": event.title, "when": _when(event)}
            notify(
                user=person,
                kind=kind,
                title=str(title) % values,
                body=str(body),
                url=event.get_absolute_url(),
                email=False,
            )
            if person.email:
                queue_email(
                    to=person.email,
                    language=person.language,
                    template="notification",
                    context={
                        "title": str(title) % values,
                        "body": str(body),
                        "url": f"{settings.SITE_URL}{event.get_absolute_url()}",
                    },
                    attachments=[
                        (
                            "stagebrug-event.ics",
                            ics.calendar(
                                [event],
                                method=method,
                                with_link=registration.status == Registration.Status.CONFIRMED,
                            ).decode(),
                            ics.MIME,
                        )
                    ],
                )


# --------------------------------------------------------------------------------------------
# Privacy


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """`accounts.hooks.erasing`: sign-ups keep the count (and the business they were for), not
    the person."""
    rows = Registration.objects.filter(user=user)
    ids = list(rows.values_list("pk", flat=True))
    rows.update(user=None, name="")
    return [("community.registration", ids)]
