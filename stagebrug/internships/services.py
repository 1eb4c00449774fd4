"""State changes of internships (W1, W8, W9, W14, W18).

`internship_confirm` is the one way an internship comes to be: an accepted offer and a
published matching round both reach it through `applications.hooks.confirm_placements`, in
their own transaction. Every other function checks who may act, validates before it writes,
writes in one transaction, records the change in the audit log (the internship's timeline) and
tells the people who must act next.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagebrug.accounts.models import Role, User
from stagebrug.accounts.services import speaking_to
from stagebrug.applications.hooks import Confirmation
from stagebrug.applications.services import applications_withdraw_for_placed, notify
from stagebrug.core.audit import audit_log, audit_log_many, diff, snapshot
from stagebrug.internships import hooks
from stagebrug.internships import permissions as can
from stagebrug.internships.models import (
    CURRENT_STATUSES,
    Internship,
    Status,
    StopContact,
    StopReason,
)
from stagebrug.matching.models import Round
from stagebrug.placements.models import Placement
from stagebrug.placements.selectors import workplace_supervisors
from stagebrug.placements.services import placement_take_positions
from stagebrug.registry.models import Programme, Supervisor

ALREADY_PLACED = gettext_lazy("This student already has a confirmed internship.")
DUPLICATE_STUDENT = "A student can be confirmed only once per call."
NOT_OPEN = gettext_lazy("This is not possible while the internship is %(status)s.")
SUPERVISOR_NOT_OF_COMPANY = gettext_lazy("Choose a supervisor of %(company)s.")
SCHOOL_SUPERVISOR_NOT_STAFF = gettext_lazy(
    "Choose a school supervisor or coordinator of %(school)s."
)
END_BEFORE_START = gettext_lazy("The end date cannot be before the start date.")
TOO_LONG = gettext_lazy("An internship lasts at most two years: check the dates.")
STOP_REASON_REQUIRED = gettext_lazy("Choose why the internship stops.")
STOP_CONTACT_UNKNOWN = gettext_lazy("Choose who talked it over before the stop.")
STOP_NOTE_REQUIRED = gettext_lazy(
    "Write in a few words what happened and what was agreed: the student and the school read it."
)
NOTE_TOO_LONG = gettext_lazy("Keep it under %(n)s characters.")
NEXT_STEP_FOR_STUDENT = gettext_lazy(
    "Your school will contact you about what comes next: a new placement, or a follow-up "
    "matching round. You can also ask your coordinator yourself."
)
START_TOO_EARLY = gettext_lazy("An internship starts on its start date (%(date)s) at the earliest.")

MAX_DAYS = 2 * 366
NOTE_MAX = 2000


# --------------------------------------------------------------------------------------------
# Confirming: the one way in


def start_date_for(placement: Placement, today: dt.date | None = None) -> dt.date:
    """The placement's first start date from today on; when all have passed, the last one."""
    today = today or timezone.localdate()
    dates = sorted(placement.start_date_objects) or [today]
    return next((d for d in dates if d >= today), dates[-1])


def end_date_for(placement: Placement, programme: Programme, start: dt.date) -> dt.date:
    """The last day: the placement's duration, else the programme's minimum (W18)."""
    requirements = getattr(programme, "requirements", None)
    weeks = placement.duration_weeks or (requirements and requirements.duration_weeks_min) or 1
    return start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)


def internship_confirm(
    *, confirmations: Sequence[Confirmation], by: User | None
) -> list[Internship]:
    """Create the internships of these students, all or nothing.

    Each takes a position of its placement (`placements.services.placement_take_positions`,
    which locks the placement, refuses when it is full and fills it when the last position
    goes); the students' other open applications are withdrawn, and a placement that is now
    full answers its other applicants. The workplace supervisor is the supervisor whose
    background made the placement eligible for the student's programme, else the buddy; the
    supervisors are told after commit how to approach their intern (W14).
    """
    if not confirmations:
        return []
    students = [c.student_id for c in confirmations]
    if len(set(students)) != len(students):
        raise ValueError(DUPLICATE_STUDENT)
    with transaction.atomic():
        placements = {
            p.pk: p
            for p in Placement.objects.select_for_update()
            .filter(pk__in=sorted({c.placement.pk for c in confirmations}))
            .order_by("pk")
        }
        if Internship.objects.filter(student_id__in=students, status__in=CURRENT_STATUSES).exists():
            raise ValidationError(ALREADY_PLACED)
        programmes = Programme.objects.select_related(
            "institution", "qualification", "requirements"
        ).in_bulk({c.programme_id for c in confirmations})
        pairs = {(c.placement.pk, c.programme_id) for c in confirmations}
        chosen = workplace_supervisors(
            (placements[placement_id], programmes[programme_id])
            for placement_id, programme_id in sorted(pairs)
        )
        internships = []
        for c in confirmations:
            placement, programme = placements[c.placement.pk], programmes[c.programme_id]
            start = start_date_for(placement)
            internships.append(
                Internship(
                    student_id=c.student_id,
                    placement=placement,
                    programme=programme,
                    institution_id=programme.institution_id,
                    start_date=start,
                    end_date=end_date_for(placement, programme, start),
                    hours_per_week=placement.hours_per_week,
                    supervisor_id=chosen[placement.pk, programme.pk],
                    buddy_id=placement.buddy_id,
                    source=c.source,
                    application_id=c.application_id,
                    round_id=c.round_id,
                )
            )
        try:
            with transaction.atomic():
                Internship.objects.bulk_create(internships, batch_size=1000)
        except IntegrityError:
            # Placed elsewhere at this very moment (the one-current-internship constraint).
            raise ValidationError(ALREADY_PLACED) from None
        # The students first: a placement that fills below must not turn down the very
        # student it just placed.
        applications_withdraw_for_placed(
            student_ids=students, source=confirmations[0].source, by=by
        )
        note = _round_note(confirmations)
        # Per placement and school kind: a duo counts its MBO and HBO seats apart (W21).
        taking = Counter((c.placement.pk, programmes[c.programme_id].kind) for c in confirmations)
        for (placement_id, kind), count in sorted(taking.items()):
            placement_take_positions(
                placement=placements[placement_id], count=count, by=by, note=note, kind=kind
            )
        audit_log_many(
            actor=by,
            action="internship.confirmed",
            changes=[
                (
                    i,
                    {
                        "source": i.source,
                        "placement": i.placement_id,
                        "supervisor": i.supervisor_id,
                        "start_date": i.start_date,
                        "end_date": i.end_date,
                    },
                )
                for i in _saved(internships)
            ],
        )
        hooks.internships_confirmed.call_each(internships=_saved(internships))
        ids = [i.pk for i in _saved(internships)]
        transaction.on_commit(lambda: _enqueue_welcome(ids))
    return list(_saved(internships))


def _round_note(confirmations: Sequence[Confirmation]) -> str:
    """The round's name for the placement's history ("filled by round ...")."""
    if confirmations[0].round_id is None:
        return ""
    return (
        Round.objects.filter(pk=confirmations[0].round_id).values_list("name", flat=True).first()
        or ""
    )


def _saved(internships: list[Internship]) -> list[Internship]:
    """The rows bulk_create wrote, with their ids (SQLite and PostgreSQL both return them)."""
    missing = [i for i in internships if i.pk is None]
    if missing:  # pragma: no cover - both supported databases return ids
        raise RuntimeError("bulk_create returned no ids")
    return internships


def _enqueue_welcome(ids: list[int]) -> None:
    from stagebrug.internships.tasks import tell_new_internships

    tell_new_internships.enqueue(internship_ids=ids)


def internships_tell_new(*, internship_ids: Sequence[int]) -> int:
    """The workplace supervisor of each new internship learns that the student is coming and
    how best to approach them (W14), in their own language. Nothing for a supervisor without
    an account. Returns how many were told."""
    told = 0
    queryset = Internship.objects.filter(
        pk__in=list(internship_ids), supervisor__user__isnull=False, student__isnull=False
    ).select_related("student", "supervisor__user")
    for internship in queryset:
        supervisor = internship.supervisor.user
        with speaking_to(supervisor):
            notify(
                user=supervisor,
                kind="internship.supervisor",
                title=_("%(name)s will do an internship with you")
                % {"name": internship.student.full_name},
                body=_(
                    "You are the workplace supervisor. Read how best to approach this student "
                    "(W14)."
                ),
                url=internship.get_absolute_url(),
            )
        told += 1
    return told


# --------------------------------------------------------------------------------------------
# Changes by the parties


def _require_open(internship: Internship) -> None:
    if not internship.is_open:
        raise ValidationError(NOT_OPEN, params={"status": internship.get_status_display().lower()})


def _locked(internship: Internship) -> Internship:
    # Lock the internship row only: PostgreSQL cannot lock the nullable side of the outer join
    # to the (erasable) student.
    return (
        Internship.objects.select_for_update(of=("self",))
        .select_related("placement__company", "institution", "student")
        .get(pk=internship.pk)
    )


def _save(internship: Internship, before: dict[str, Any], *, by: User, action: str) -> None:
    fields = list(before)
    changes = diff(before, snapshot(internship, fields))
    internship.save(update_fields=[*fields, "updated_at"])
    audit_log(actor=by, action=action, obj=internship, changes=changes)


def internship_set_supervisors(
    *, internship: Internship, by: User, supervisor: Supervisor | None, buddy: Supervisor | None
) -> Internship:
    """The business names the workplace supervisor (praktijkopleider) and the buddy (W9): both
    of the company; the new supervisor is told."""
    if not can.edit_as_business(by, internship):
        raise PermissionDenied
    company = internship.placement.company
    errors = {}
    for field, person in (("supervisor", supervisor), ("buddy", buddy)):
        if person is not None and person.company_id != company.pk:
            errors[field] = [
                ValidationError(SUPERVISOR_NOT_OF_COMPANY, params={"company": company.name})
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(internship)
        _require_open(locked)
        before = snapshot(locked, ["supervisor", "buddy"])
        if before == {
            "supervisor": getattr(supervisor, "pk", None),
            "buddy": getattr(buddy, "pk", None),
        }:
            return locked
        changed_supervisor = before["supervisor"] != getattr(supervisor, "pk", None)
        locked.supervisor = supervisor
        locked.buddy = buddy
        _save(locked, before, by=by, action="internship.supervisors")
        if changed_supervisor and supervisor is not None:
            transaction.on_commit(lambda: _enqueue_welcome([locked.pk]))
    return locked


def internship_assign_school_supervisor(
    *, internship: Internship, by: User, school_supervisor: User | None
) -> Internship:
    """The school assigns its supervisor (stagedocent, W8): a school supervisor or
    coordinator of the internship's school. They are told, with the page to follow it on."""
    if not can.manage_as_school(by, internship):
        raise PermissionDenied
    if (
        school_supervisor is not None
        and not school_supervisor.memberships.filter(
            institution_id=internship.institution_id,
            role__in=[Role.SCHOOL_SUPERVISOR, Role.SCHOOL_COORDINATOR],
        ).exists()
    ):
        raise ValidationError(
            {
                "school_supervisor": [
                    ValidationError(
                        SCHOOL_SUPERVISOR_NOT_STAFF, params={"school": internship.institution.name}
                    )
                ]
            }
        )
    with transaction.atomic():
        locked = _locked(internship)
        _require_open(locked)
        before = snapshot(locked, ["school_supervisor"])
        if before["school_supervisor"] == getattr(school_supervisor, "pk", None):
            return locked
        locked.school_supervisor = school_supervisor
        _save(locked, before, by=by, action="internship.school_supervisor")
        if school_supervisor is not None and school_supervisor.pk != by.pk:
            _tell_school_supervisor(locked, school_supervisor)
    return locked


def _tell_school_supervisor(internship: Internship, teacher: User) -> None:
    with speaking_to(teacher):
        notify(
            user=teacher,
            kind="internship.school_supervisor",
            title=_("You supervise the internship of %(name)s")
            % {"name": internship.student.full_name if internship.student_id else _("(erased)")},
            body=_(
                "%(placement)s at %(company)s, from %(start)s. Get to know the student and the "
                "workplace: regular contact makes internships succeed (W8)."
            )
            % {
                "placement": internship.placement.title,
                "company": internship.placement.company.name,
                "start": internship.start_date.isoformat(),
            },
            url=internship.get_absolute_url(),
        )


def internship_update(
    *,
    internship: Internship,
    by: User,
    start_date: dt.date,
    end_date: dt.date,
    hours_per_week: int,
) -> Internship:
    """The school sets the dates and hours agreed with student and business."""
    if not can.manage_as_school(by, internship):
        raise PermissionDenied
    errors: dict[str, list] = {}
    if end_date < start_date:
        errors["end_date"] = [END_BEFORE_START]
    elif (end_date - start_date).days > MAX_DAYS:
        errors["end_date"] = [TOO_LONG]
    with transaction.atomic():
        locked = _locked(internship)
        _require_open(locked)
        before = snapshot(locked, ["start_date", "end_date", "hours_per_week"])
        locked.start_date, locked.end_date = start_date, end_date
        locked.hours_per_week = hours_per_week
        try:
            locked.full_clean(
                exclude=[f.name for f in Internship._meta.fields if f.name != "hours_per_week"]
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        changed = diff(before, snapshot(locked, list(before)))
        if changed:
            _save(locked, before, by=by, action="internship.updated")
        if changed.keys() & {"start_date", "end_date"}:
            hooks.dates_changed.call_each(internship=locked)
    return locked


def internship_start(
    *, internship: Internship, by: User, today: dt.date | None = None
) -> Internship:
    """The school records that the internship has begun (from its start date on)."""
    if not can.manage_as_school(by, internship):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(internship)
        if locked.status != Status.CONFIRMED:
            raise ValidationError(NOT_OPEN, params={"status": locked.get_status_display().lower()})
        if today < locked.start_date:
            raise ValidationError(START_TOO_EARLY, params={"date": locked.start_date.isoformat()})
        blockers = [m for found in hooks.start_blockers.call_each(internship=locked) for m in found]
        if blockers:
            raise ValidationError([str(m) for m in blockers])
        before = snapshot(locked, ["status", "started_at"])
        locked.status = Status.ACTIVE
        locked.started_at = timezone.now()
        _save(locked, before, by=by, action="internship.started")
    return locked


def internship_complete(
    *, internship: Internship, by: User, final_evaluation: bool = False
) -> Internship:
    """The school closes an internship that ran its course: a coordinator, or the school
    supervisor by deciding on the final evaluation (`final_evaluation`)."""
    decides = final_evaluation and internship.school_supervisor_id == by.pk
    if not (can.manage_as_school(by, internship) or decides):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(internship)
        if locked.status != Status.ACTIVE:
            raise ValidationError(NOT_OPEN, params={"status": locked.get_status_display().lower()})
        before = snapshot(locked, ["status", "completed_at"])
        locked.status = Status.COMPLETED
        locked.completed_at = timezone.now()
        _save(locked, before, by=by, action="internship.completed")
        hooks.internship_closed.call_each(internship=locked)
    return locked


def internship_stop(
    *, internship: Internship, by: User, reason: str, note: str, contact: str
) -> Internship:
    """Stop an internship early, on the record (W18): who, why (from the list, for the regional
    figures), after what contact (`StopContact`; "none" says that no conversation was possible)
    and what happened. The school and the business may stop it; the other parties
    are told, and the student hears what comes next."""
    if not (can.manage_as_school(by, internship) or can.edit_as_business(by, internship)):
        raise PermissionDenied
    note = (note or "").strip()
    errors: dict[str, list] = {}
    if reason not in StopReason.values:
        errors["reason"] = [STOP_REASON_REQUIRED]
    if not note:
        errors["note"] = [STOP_NOTE_REQUIRED]
    elif len(note) > NOTE_MAX:
        errors["note"] = [ValidationError(NOTE_TOO_LONG, params={"n": NOTE_MAX})]
    if contact not in StopContact.values:
        errors["contact"] = [STOP_CONTACT_UNKNOWN]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(internship)
        _require_open(locked)
        before = snapshot(
            locked,
            ["status", "stopped_at", "stopped_by", "stop_reason", "stop_note", "stop_contact"],
        )
        locked.status = Status.STOPPED
        locked.stopped_at = timezone.now()
        locked.stopped_by = by
        locked.stop_reason = reason
        locked.stop_note = note
        locked.stop_contact = contact
        _save(locked, before, by=by, action="internship.stopped")
        hooks.internship_closed.call_each(internship=locked)
        _tell_stopped(locked, by=by)
    return locked


def _tell_stopped(internship: Internship, *, by: User) -> None:
    from stagebrug.internships.selectors import internship_parties

    for person in internship_parties(internship):
        if person.pk == by.pk:
            continue
        with speaking_to(person):
            if person.pk == internship.student_id:
                body = str(NEXT_STEP_FOR_STUDENT)
            else:
                body = str(internship.get_stop_reason_display())
            notify(
                user=person,
                kind="internship.stopped",
                title=_("The internship %(placement)s has stopped")
                % {"placement": internship.placement.title},
                body=body,
                url=internship.get_absolute_url(),
            )


# --------------------------------------------------------------------------------------------
# Erasure (accounts.hooks.erasing)


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """A student's internships stay without the student: the placement stays filled and the
    record keeps what the regional figures and evaluations need (programme, school, dates,
    outcome, and why it stopped), but no name, contact, CV or notes: the words written about
    the student when it stopped go too (those go with the account)."""
    ids = list(Internship.objects.filter(student=user).values_list("pk", flat=True))
    if not ids:
        return []
    now = timezone.now()
    Internship.objects.filter(pk__in=ids).update(
        student=None, student_erased_at=now, stop_note="", updated_at=now
    )
    for internship in Internship.objects.filter(pk__in=ids):
        audit_log(actor=None, action="internship.anonymised", obj=internship)
    return [("internships.internship", ids)]
