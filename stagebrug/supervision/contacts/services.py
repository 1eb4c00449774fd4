"""Contact moments (W8, W13, W14): at least three meetings of student, school supervisor and
workplace supervisor per internship (start, mid-term and end by default, at least one at the
workplace, as the Stagepact mbo asks), planned from the internship's dates, with calendar
invitations to all three, rescheduling, cancelling, and a short record of each.

Times are Europe/Amsterdam. Every change is in the audit log; e-mail (with the .ics attached)
is queued on commit, so a rolled-back change sends nothing. Services that look at the clock
take `now=`, so tests (and the reminder job) freeze it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stagebrug.accounts.models import User
from stagebrug.accounts.services import speaking_to
from stagebrug.agreements.models import Version
from stagebrug.agreements.sections import section_data
from stagebrug.applications.services import notify
from stagebrug.core.audit import audit_log, audit_log_many
from stagebrug.core.mail import queue_email
from stagebrug.core.models import AuditEvent
from stagebrug.internships.models import CURRENT_STATUSES, Internship
from stagebrug.supervision.contacts import ics
from stagebrug.supervision.contacts import permissions as can
from stagebrug.supervision.models import ContactMoment

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: The time of day a planned moment gets (Europe/Amsterdam); the parties move it to suit them.
DEFAULT_TIME = dt.time(10, 0)
#: At least this many per internship (Stagepact mbo), whatever the agreement says.
MINIMUM = 3
#: The reminder goes this long before a moment.
REMIND_BEFORE = dt.timedelta(days=1)
AGREED_MAX = 2000
LOCATION_MAX = 200

NOT_YOURS = _(
    "Only the school supervisor, the coordinator or the workplace supervisor plan the "
    "contact moments."
)
NOT_A_RECORDER = _(
    "Only the school supervisor or the workplace supervisor records a contact moment."
)
NOT_OPEN = _("This internship has ended: its contact moments can no longer be changed.")
IN_THE_PAST = _("Choose a time in the future.")
BEFORE_START = _("The internship starts on %(date)s: choose a day from then on.")
AFTER_END = _("The internship ends on %(date)s: choose a day until then.")
CANCELLED = _("This contact moment was cancelled.")
ALREADY_HELD = _("This contact moment has been held and recorded; it cannot be moved or cancelled.")
NOT_YET = _("This contact moment has not started yet: record it afterwards.")
AGREED_REQUIRED = _("Write down what was agreed.")
TOO_LONG = _("Please keep it under %(max)s characters.")
TOO_FEW = _(
    "An internship has at least %(min)s contact moments: plan another one before you "
    "cancel this one."
)
LAST_ON_SITE = _(
    "At least one contact moment is at the workplace: plan another one there "
    "before you cancel or move this one elsewhere."
)
CONFIRM_REQUIRED = _("Tick the box to confirm that you cancel this contact moment.")
DURATION_RANGE = _("A contact moment lasts between 10 and 480 minutes.")

RECORDED_TITLE = _("The record of a contact moment is on Stagebrug")
RECORDED_BODY = _(
    "What was agreed and the next steps of the contact moment are on the internship's page."
)


# --------------------------------------------------------------------------------------------
# Planning from the internship's dates


def wanted_count(content: dict | None) -> int:
    """How many moments the signed agreement's supervision section asks for (at least 3)."""
    data = section_data(content or {}, "supervision")
    try:
        count = int(data.get("contact_moments") or MINIMUM)
    except (TypeError, ValueError):
        count = MINIMUM
    return max(MINIMUM, min(count, 20))


def _weekday_from(day: dt.date, *, forward: bool, lo: dt.date, hi: dt.date) -> dt.date:
    """The nearest Monday–Friday from `day` in the given direction, within [lo, hi]; if the
    range has no weekday that way, the day itself (clamped)."""
    step = dt.timedelta(days=1 if forward else -1)
    probe = day
    while lo <= probe <= hi:
        if probe.weekday() < 5:
            return probe
        probe += step
    return min(max(day, lo), hi)


def plan_days(start: dt.date, end: dt.date, count: int = MINIMUM) -> list[dt.date]:
    """The days of `count` moments between `start` and `end` (inclusive), in order: the first
    in the first week (two days in, so the student has arrived), the last in the last week (two
    days before the end), the rest spread evenly between; each on a weekday where one is near.
    A short internship gets its moments closer together (several on one day if it is a day)."""
    if end < start:
        end = start
    first, last = start + dt.timedelta(days=2), end - dt.timedelta(days=2)
    if last < first:
        first, last = start, end
    span = (last - first).days
    days = []
    for i in range(count):
        target = first + dt.timedelta(days=round(span * i / (count - 1)))
        days.append(_weekday_from(target, forward=i < count - 1, lo=start, hi=end))
    # Moving to a weekday may swap neighbours in a very short internship: keep them in order.
    return sorted(days)


def plan_kinds(count: int) -> list[str]:
    """Start, middle and end; the others in between are extra."""
    middle = count // 2
    kinds = []
    for i in range(count):
        if i == 0:
            kinds.append(ContactMoment.Kind.START)
        elif i == count - 1:
            kinds.append(ContactMoment.Kind.END)
        elif i == middle:
            kinds.append(ContactMoment.Kind.MIDDLE)
        else:
            kinds.append(ContactMoment.Kind.EXTRA)
    return kinds


def _at(day: dt.date, time: dt.time = DEFAULT_TIME) -> dt.datetime:
    return dt.datetime.combine(day, time).replace(tzinfo=AMSTERDAM)


def _signed_contents(internship_ids: Sequence[int]) -> dict[int, dict]:
    """The content of each internship's latest signed agreement version (one query)."""
    rows = (
        Version.objects.filter(
            agreement__internship_id__in=internship_ids, state=Version.State.SIGNED
        )
        .order_by("agreement__internship_id", "number")
        .values_list("agreement__internship_id", "content")
    )
    return dict(rows)  # the highest number wins


def _planned(internships: Sequence[Internship]) -> list[ContactMoment]:
    ids = [i.pk for i in internships]
    contents = _signed_contents(ids)
    existing: dict[int, list[str]] = {}
    for internship_id, kind in ContactMoment.objects.filter(internship_id__in=ids).values_list(
        "internship_id", "kind"
    ):
        existing.setdefault(internship_id, []).append(kind)
    new = []
    for internship in internships:
        count = wanted_count(contents.get(internship.pk))
        have = existing.get(internship.pk, [])
        # Extra moments someone added count towards the extra slots of a longer plan.
        extras_to_skip = have.count(ContactMoment.Kind.EXTRA)
        days = plan_days(internship.start_date, internship.end_date, count)
        for day, kind in zip(days, plan_kinds(count), strict=True):
            if kind == ContactMoment.Kind.EXTRA and extras_to_skip:
                extras_to_skip -= 1
                continue
            if kind != ContactMoment.Kind.EXTRA and kind in have:
                continue
            new.append(
                ContactMoment(
                    internship=internship,
                    kind=kind,
                    planned_at=_at(day),
                    on_site=kind == ContactMoment.Kind.MIDDLE,
                )
            )
    return new


def contact_moments_plan(
    *, internships: Sequence[Internship], by: User | None = None, invite: bool = True
) -> list[ContactMoment]:
    """Plan the default moments of these internships from their dates (the count from the
    signed agreement's supervision section, at least 3; the mid-term one at the workplace).

    Idempotent: a moment of a kind the internship has (or had: a cancelled one stays cancelled)
    is not planned again; only missing ones are added. One query for what exists, one for the
    agreements, one insert. With `invite`, the parties get the new moments' invitation."""
    internships = [i for i in internships if i.status in CURRENT_STATUSES]
    if not internships:
        return []
    with transaction.atomic():
        new = ContactMoment.objects.bulk_create(_planned(internships))
        if not new:
            return []
        audit_log_many(
            actor=by,
            action="contact_moment.plan",
            changes=[
                (m, {"kind": m.kind, "planned_at": m.planned_at, "on_site": m.on_site}) for m in new
            ],
        )
        if invite:
            by_internship: dict[int, list[ContactMoment]] = {}
            for moment in new:
                by_internship.setdefault(moment.internship_id, []).append(moment)
            for internship in internships:
                if internship.pk in by_internship:
                    _invite(internship, by_internship[internship.pk], method=ics.REQUEST)
    return new


def contact_moments_redate(*, internship: Internship) -> list[ContactMoment]:
    """`internships.hooks.dates_changed`: the start, mid-term and end moments that were not
    held or cancelled move to the new dates (at the default time), and the parties are sent
    the new time. Extra moments stay where they were."""
    moments = list(
        ContactMoment.objects.filter(
            internship=internship,
            held_at__isnull=True,
            cancelled_at__isnull=True,
            kind__in=[
                ContactMoment.Kind.START,
                ContactMoment.Kind.MIDDLE,
                ContactMoment.Kind.END,
            ],
        )
    )
    if not moments:
        return []
    content = _signed_contents([internship.pk]).get(internship.pk)
    count = wanted_count(content)
    new_days = dict(
        zip(
            plan_kinds(count),
            plan_days(internship.start_date, internship.end_date, count),
            strict=True,
        )
    )
    moved = []
    for moment in moments:
        day = new_days.get(moment.kind)
        if day is None or timezone.localdate(moment.planned_at) == day:
            continue
        moment.planned_at = _at(day)
        moment.sequence += 1
        moment.save(update_fields=["planned_at", "sequence", "updated_at"])
        moved.append(moment)
    if moved:
        audit_log_many(
            actor=None,
            action="contact_moment.redated",
            changes=[(m, {"kind": m.kind, "planned_at": m.planned_at}) for m in moved],
        )
        full = Internship.objects.select_related(*_PARTY_JOINS).get(pk=internship.pk)
        _invite(full, moved, method=ics.REQUEST)
    return moved


def contact_moments_confirmed(*, internships: Sequence[Internship]) -> list[ContactMoment]:
    """`internships.hooks.internships_confirmed`: plan the new internships' moments in the
    confirming transaction. No invitations yet: the school supervisor is assigned later and the
    agreement may ask for more moments; the parties find the moments on the internship's page
    and get an invitation when one is planned again or moved (and a reminder the day before)."""
    return contact_moments_plan(internships=internships, invite=False)


def contact_moments_signed(*, agreement, version) -> list[ContactMoment]:
    """`agreements.hooks.agreement_signed`: an agreement that asks for more than three moments
    gets the extra ones planned (and the parties invited to those)."""
    internship = (
        Internship.objects.select_related(*_PARTY_JOINS).filter(pk=agreement.internship_id).first()
    )
    if internship is None:
        return []
    return contact_moments_plan(internships=[internship])


def contact_moments_backfill(*, by: User | None = None) -> int:
    """Plan the moments of current internships that have none (existing and demo data)."""
    qs = Internship.objects.filter(status__in=CURRENT_STATUSES).exclude(
        Exists(ContactMoment.objects.filter(internship=OuterRef("pk")))
    )
    total = 0
    batch: list[Internship] = []
    for internship in qs.iterator(chunk_size=500):
        batch.append(internship)
        if len(batch) == 500:
            total += len(contact_moments_plan(internships=batch, by=by, invite=False))
            batch = []
    if batch:
        total += len(contact_moments_plan(internships=batch, by=by, invite=False))
    return total


# --------------------------------------------------------------------------------------------
# The three parties and their invitations

_PARTY_JOINS = (
    "student",
    "supervisor__user",
    "school_supervisor",
    "placement__company",
    "placement__location",
    "institution",
)


def parties(internship: Internship) -> list[ics.Party]:
    """The three who meet, with the address their invitation goes to: the student, the
    workplace supervisor (the registry's e-mail; their account's if the registry has none)
    and the school supervisor. Someone without an address (or not named yet) is left out."""
    out = []
    student = internship.student
    if student is not None and student.is_active and student.email:
        out.append(
            ics.Party("student", student.full_name, student.email, student.language, student)
        )
    supervisor = internship.supervisor if internship.supervisor_id else None
    if supervisor is not None:
        account = supervisor.user if supervisor.user_id else None
        email = supervisor.email or (account.email if account is not None else "")
        language = account.language if account is not None else "nl"
        if email:
            out.append(
                ics.Party("workplace_supervisor", supervisor.name, email, language or "nl", account)
            )
    teacher = internship.school_supervisor
    if teacher is not None and teacher.is_active and teacher.email:
        out.append(
            ics.Party(
                "school_supervisor", teacher.full_name, teacher.email, teacher.language, teacher
            )
        )
    return out


def _invite(
    internship: Internship,
    moments: Sequence[ContactMoment],
    *,
    method: str,
    template: str = "contact_moment_invitation",
) -> None:
    """E-mail each party the calendar invitation of `moments` in their own language."""
    people = parties(internship)
    url = settings.SITE_URL + reverse("supervision:contacts", args=[internship.pk])
    for moment in moments:
        moment.internship = internship
    for party in people:
        with translation.override(party.language or settings.LANGUAGE_CODE):
            body = ics.calendar(moments, parties=people, method=method)
            queue_email(
                to=party.email,
                language=party.language,
                template=template,
                context={
                    "name": party.name,
                    "internship": internship,
                    "moments": moments,
                    "cancelled": method == ics.CANCEL,
                    "url": url,
                },
                attachments=[
                    (
                        "uitnodiging.ics",
                        body.decode(),
                        f"text/calendar; method={method}",
                    )
                ],
            )


def moment_ics(moment: ContactMoment) -> bytes:
    """The download of one moment's invitation (METHOD:PUBLISH, for "add to my calendar")."""
    people = parties(moment.internship)
    method = ics.CANCEL if moment.cancelled_at else ics.PUBLISH
    return ics.calendar([moment], parties=people, method=method)


# --------------------------------------------------------------------------------------------
# Changes


def _locked(moment: ContactMoment) -> ContactMoment:
    locked = (
        ContactMoment.objects.select_for_update(of=("self",))
        .select_related(*(f"internship__{j}" for j in _PARTY_JOINS))
        .get(pk=moment.pk)
    )
    return locked


def _check_when(
    internship: Internship, planned_at: dt.datetime, *, now: dt.datetime, field: str = "planned_at"
) -> None:
    if timezone.is_naive(planned_at):
        planned_at = planned_at.replace(tzinfo=AMSTERDAM)
    day = planned_at.astimezone(AMSTERDAM).date()
    if planned_at <= now:
        raise ValidationError({field: [IN_THE_PAST]})
    if day < internship.start_date:
        raise ValidationError(
            {field: [ValidationError(BEFORE_START, params={"date": _d(internship.start_date)})]}
        )
    if day > internship.end_date:
        raise ValidationError(
            {field: [ValidationError(AFTER_END, params={"date": _d(internship.end_date)})]}
        )


def _d(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _clean_location(location: str | None) -> str:
    location = (location or "").strip()
    if len(location) > LOCATION_MAX:
        raise ValidationError(
            {"location": [ValidationError(TOO_LONG, params={"max": LOCATION_MAX})]}
        )
    return location


def _check_duration(duration: int | None) -> None:
    if duration is not None and not 10 <= duration <= 480:
        raise ValidationError({"duration_minutes": [DURATION_RANGE]})


def _active(internship_id: int) -> QuerySet[ContactMoment]:
    return ContactMoment.objects.filter(internship_id=internship_id, cancelled_at__isnull=True)


def _changeable(moment: ContactMoment, by: User) -> None:
    internship = moment.internship
    if not can.can_view(by, internship):
        raise PermissionDenied(NOT_YOURS)
    if not internship.is_open:
        raise ValidationError(NOT_OPEN)
    if not can.may_plan(by, internship):
        raise PermissionDenied(NOT_YOURS)
    if moment.cancelled_at is not None:
        raise ValidationError(CANCELLED)
    if moment.held_at is not None:
        raise ValidationError(ALREADY_HELD)


def _copy(target: ContactMoment, source: ContactMoment) -> ContactMoment:
    for field in (
        "planned_at",
        "duration_minutes",
        "on_site",
        "location",
        "sequence",
        "held_at",
        "agreed",
        "next_steps",
        "recorded_by_id",
        "cancelled_at",
        "updated_at",
    ):
        setattr(target, field, getattr(source, field))
    return target


def contact_moment_reschedule(
    *,
    moment: ContactMoment,
    by: User,
    planned_at: dt.datetime,
    location: str | None = None,
    on_site: bool | None = None,
    duration_minutes: int | None = None,
    now: dt.datetime | None = None,
) -> ContactMoment:
    """Move a moment (and/or change where it is). Not into the past, not outside the
    internship; the last on-site moment stays on site. The invitation's SEQUENCE goes up and
    all three get the new invitation (same UID, so calendars replace the old one)."""
    now = now or timezone.now()
    if timezone.is_naive(planned_at):
        planned_at = planned_at.replace(tzinfo=AMSTERDAM)
    with transaction.atomic():
        locked = _locked(moment)
        _changeable(locked, by)
        internship = locked.internship
        _check_when(internship, planned_at, now=now)
        _check_duration(duration_minutes)
        location = locked.location if location is None else _clean_location(location)
        on_site = locked.on_site if on_site is None else on_site
        if (
            locked.on_site
            and not on_site
            and not _active(internship.pk).filter(on_site=True).exclude(pk=locked.pk).exists()
        ):
            raise ValidationError({"on_site": [LAST_ON_SITE]})
        before = {
            "planned_at": str(locked.planned_at),
            "location": locked.location,
            "on_site": locked.on_site,
            "duration_minutes": locked.duration_minutes,
        }
        locked.planned_at = planned_at
        locked.location = location
        locked.on_site = on_site
        if duration_minutes is not None:
            locked.duration_minutes = duration_minutes
        locked.sequence += 1
        locked.save()
        after = {
            "planned_at": str(locked.planned_at),
            "location": locked.location,
            "on_site": locked.on_site,
            "duration_minutes": locked.duration_minutes,
        }
        changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
        changes["sequence"] = locked.sequence
        audit_log(actor=by, action="contact_moment.reschedule", obj=locked, changes=changes)
        _invite(internship, [locked], method=ics.REQUEST)
    return _copy(moment, locked)


def contact_moment_add(
    *,
    internship: Internship,
    by: User,
    planned_at: dt.datetime,
    on_site: bool = False,
    location: str = "",
    duration_minutes: int = 45,
    now: dt.datetime | None = None,
) -> ContactMoment:
    """An extra moment (a concern, a change of plan); all three get its invitation."""
    now = now or timezone.now()
    if not can.can_view(by, internship):
        raise PermissionDenied(NOT_YOURS)
    if not internship.is_open:
        raise ValidationError(NOT_OPEN)
    if not can.may_plan(by, internship):
        raise PermissionDenied(NOT_YOURS)
    if timezone.is_naive(planned_at):
        planned_at = planned_at.replace(tzinfo=AMSTERDAM)
    _check_when(internship, planned_at, now=now)
    _check_duration(duration_minutes)
    location = _clean_location(location)
    with transaction.atomic():
        moment = ContactMoment.objects.create(
            internship=internship,
            kind=ContactMoment.Kind.EXTRA,
            planned_at=planned_at,
            on_site=on_site,
            location=location,
            duration_minutes=duration_minutes,
        )
        audit_log(
            actor=by,
            action="contact_moment.add",
            obj=moment,
            changes={"planned_at": planned_at, "on_site": on_site, "location": location},
        )
        _invite(internship, [moment], method=ics.REQUEST)
    return moment


def contact_moment_cancel(
    *, moment: ContactMoment, by: User, confirm: bool, now: dt.datetime | None = None
) -> ContactMoment:
    """Cancel a planned moment (asked to confirm). An internship keeps at least three moments
    and at least one at the workplace; all three get a METHOD:CANCEL for its invitation."""
    now = now or timezone.now()
    if not confirm:
        raise ValidationError({"confirm": [CONFIRM_REQUIRED]})
    with transaction.atomic():
        locked = _locked(moment)
        _changeable(locked, by)
        internship = locked.internship
        others = _active(internship.pk).exclude(pk=locked.pk)
        if others.count() < MINIMUM:
            raise ValidationError(TOO_FEW, params={"min": MINIMUM})
        if locked.on_site and not others.filter(on_site=True).exists():
            raise ValidationError(LAST_ON_SITE)
        locked.cancelled_at = now
        locked.sequence += 1
        locked.save()
        audit_log(
            actor=by,
            action="contact_moment.cancel",
            obj=locked,
            changes={"planned_at": locked.planned_at, "sequence": locked.sequence},
        )
        _invite(internship, [locked], method=ics.CANCEL)
    return _copy(moment, locked)


def contact_moment_record(
    *,
    moment: ContactMoment,
    by: User,
    agreed: str,
    next_steps: str = "",
    now: dt.datetime | None = None,
) -> ContactMoment:
    """The record of a moment that was held: what was agreed and the next steps. Only once its
    time has come, by the school supervisor or the workplace supervisor; a record may be
    corrected later (each version is in the audit log). The other parties are told it is there."""
    now = now or timezone.now()
    agreed = (agreed or "").strip()
    next_steps = (next_steps or "").strip()
    errors: dict[str, list] = {}
    if not agreed:
        errors["agreed"] = [AGREED_REQUIRED]
    elif len(agreed) > AGREED_MAX:
        errors["agreed"] = [ValidationError(TOO_LONG, params={"max": AGREED_MAX})]
    if len(next_steps) > AGREED_MAX:
        errors["next_steps"] = [ValidationError(TOO_LONG, params={"max": AGREED_MAX})]
    with transaction.atomic():
        locked = _locked(moment)
        internship = locked.internship
        if not can.can_view(by, internship) or not can.may_record(by, internship):
            raise PermissionDenied(NOT_A_RECORDER)
        if locked.cancelled_at is not None:
            raise ValidationError(CANCELLED)
        if locked.planned_at > now:
            raise ValidationError(NOT_YET)
        if errors:
            raise ValidationError(errors)
        first = locked.held_at is None
        locked.held_at = locked.held_at or locked.planned_at
        locked.agreed = agreed
        locked.next_steps = next_steps
        locked.recorded_by = by
        locked.save()
        # What was said is for the page, not the audit log (it may be personal): lengths only.
        audit_log(
            actor=by,
            action="contact_moment.record",
            obj=locked,
            changes={
                "first": first,
                "agreed_chars": len(agreed),
                "next_steps_chars": len(next_steps),
            },
        )
        if first:
            url = reverse("supervision:contacts", args=[internship.pk])
            for party in parties(internship):
                user = party.user
                if isinstance(user, User) and user.pk != by.pk:
                    with speaking_to(user):
                        notify(
                            user=user,
                            kind="contact_moment.recorded",
                            title=str(RECORDED_TITLE),
                            body=str(RECORDED_BODY),
                            url=url,
                        )
    return _copy(moment, locked)


# --------------------------------------------------------------------------------------------
# The reminder a day before


def _reminded(pks: Iterable[int]) -> set[tuple[int, int]]:
    """(moment, sequence) pairs whose reminder was sent: the audit log is the claim, so a
    moved moment (a higher sequence) is reminded again."""
    events = AuditEvent.objects.filter(
        action="contact_moment.remind",
        object_type=ContactMoment._meta.label_lower,
        object_id__in=[str(pk) for pk in pks],
    ).values_list("object_id", "changes")
    return {(int(oid), int((changes or {}).get("sequence", -1))) for oid, changes in events}


def contact_moments_remind(*, now: dt.datetime | None = None) -> dict[str, int]:
    """A day before each planned moment, remind the three (an e-mail with the invitation, so
    it is in their calendar if it was not yet). Once per moment and sequence, however often it
    runs and by however many workers: each moment is claimed under its row lock."""
    now = now or timezone.now()
    due = list(
        ContactMoment.objects.filter(
            cancelled_at__isnull=True,
            held_at__isnull=True,
            planned_at__gt=now,
            planned_at__lte=now + REMIND_BEFORE,
            internship__status__in=CURRENT_STATUSES,
        ).values_list("pk", "sequence")
    )
    done = _reminded(pk for pk, _seq in due)
    sent = 0
    for pk, sequence in due:
        if (pk, sequence) in done:
            continue
        with transaction.atomic():
            moment = (
                ContactMoment.objects.select_for_update(of=("self",))
                .select_related(*(f"internship__{j}" for j in _PARTY_JOINS))
                .filter(pk=pk, cancelled_at__isnull=True, held_at__isnull=True)
                .first()
            )
            if moment is None or (moment.pk, moment.sequence) in _reminded([pk]):
                continue
            audit_log(
                actor=None,
                action="contact_moment.remind",
                obj=moment,
                changes={"sequence": moment.sequence},
            )
            _invite(
                moment.internship, [moment], method=ics.REQUEST, template="contact_moment_reminder"
            )
            sent += 1
    return {"reminded": sent}


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """`accounts.hooks.erasing`: the records of an erased student's contact moments are about
    them and go; that a moment was held (and when) stays with the anonymised internship, for
    the school's record of its supervision."""
    rows = ContactMoment.objects.filter(internship__student=user).exclude(agreed="", next_steps="")
    ids = list(rows.values_list("pk", flat=True))
    rows.update(agreed="", next_steps="")
    return [("supervision.contactmoment", ids)]
