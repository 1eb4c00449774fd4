"""State changes for students and applications (C5; W1, W2, W14, W16).

Every function checks who may act, validates, writes in one transaction, records the change
(ApplicationEvent or AuditEvent) and tells the person who must act next (inbox + e-mail).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.accounts.selectors import company_people
from stagebrug.accounts.services import speaking_to
from stagebrug.applications import hooks
from stagebrug.applications.identity import REVEALING, applicant_name
from stagebrug.applications.models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Interview,
    Message,
    Notification,
    StudentProfile,
    SupportNote,
)
from stagebrug.applications.periods import placed_for, placed_periods, start_windows
from stagebrug.core.audit import audit_log, diff, snapshot
from stagebrug.core.mail import queue_email
from stagebrug.placements.models import Placement, ProgrammeDecision, Status
from stagebrug.registry.models import Postcode

S = ApplicationStatus
# Ids per query when reading many students at once (SQLite allows 32,766 parameters).
ID_CHUNK = 5000

CV_NOT_PDF = gettext_lazy("Upload your CV as a PDF file.")
CV_TOO_LARGE = gettext_lazy("Your CV is too large: at most %(mb)s MB.")
PROFILE_NEEDED = gettext_lazy("Fill in your student profile first.")
NOT_PUBLISHED = gettext_lazy("This placement is not open for applications.")
NOT_FOR_YOUR_PROGRAMME = gettext_lazy(
    "This placement is not offered to your programme. Look for placements that fit your programme."
)
LEVEL_MISMATCH = gettext_lazy("This placement is not for your level.")
ALREADY_APPLIED = gettext_lazy("You already applied to this placement.")
ALREADY_PLACED = gettext_lazy(
    "You already have an internship in this placement's period, so you cannot apply for it. "
    "Look for a placement that starts after your internship ends."
)
CONVERSATION_CLOSED = gettext_lazy(
    "This application has ended, so its conversation is closed: no more messages can be sent."
)
MOTIVATION_REQUIRED = gettext_lazy("Write a few sentences about why you want this placement.")
REASON_REQUIRED = gettext_lazy("Give the student a reason: they always get an answer.")
NOT_ALLOWED_NOW = gettext_lazy("This is not possible while the application is %(status)s.")
INTERVIEW_IN_PAST = gettext_lazy("Choose a time in the future.")
NO_CONSENT = gettext_lazy("The student has not given permission for notes from the school.")
NOT_A_STUDENT = gettext_lazy("Only students have a student profile.")
NOT_YOUR_PROGRAMME = gettext_lazy("Choose the programme you follow.")
LANGUAGE_UNKNOWN = gettext_lazy("Choose languages from the list.")
TEXT_TOO_LONG = gettext_lazy("Keep it under %(n)s characters.")
POSTCODE_UNKNOWN = gettext_lazy(
    "We do not know this postcode area. Give the four digits of your postcode."
)

PROFILE_FIELDS = {
    "programme",
    "year",
    "home_pc4",
    "available_from",
    "hours_per_week",
    "wanted_activities",
    "activity_tags",
    "skills",
    "skill_tags",
    "languages",
    "allowance_needed",
    "max_travel_km",
    "discoverable",
    "school_may_add_notes",
}

# Which side may move an application from which status to which (the student's own moves are
# withdraw, accept and decline; see below).
BUSINESS_MOVES: dict[str, set[str]] = {
    S.APPLIED: {S.SHORTLISTED, S.INTERVIEW, S.OFFER, S.REJECTED},
    S.SHORTLISTED: {S.INTERVIEW, S.OFFER, S.REJECTED},
    S.INTERVIEW: {S.OFFER, S.REJECTED, S.INTERVIEW},
    S.OFFER: {S.REJECTED},
}


# --------------------------------------------------------------------------------------------
# Notifications: the in-site inbox and an e-mail for every event where a person must act


TITLE_MAX = Notification._meta.get_field("title").max_length


def notify(
    *, user: User, kind: str, title: str, body: str = "", url: str = "", email: bool = True
) -> Notification:
    # A title built from a long event or placement name stays within the column.
    title = title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"
    note = Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)
    if email and user.email:
        queue_email(
            to=user.email,
            language=user.language,
            template="notification",
            context={
                "title": title,
                "body": body,
                "url": f"{settings.SITE_URL}{url}" if url else "",
            },
        )
    return note


def notifications_mark_read(*, user: User) -> int:
    """Mark all of the user's unread notifications read; returns how many."""
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


def _business_people(placement: Placement) -> list[User]:
    return company_people([placement.company_id]).get(placement.company_id, [])


# --------------------------------------------------------------------------------------------
# Student profile, CV and support notes


def pc4_lookup(value: str | None) -> Postcode | None:
    """The PC4 area of a postcode ("1012 AB" or "1012"); only the area is kept (privacy)."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())[:4]
    if not digits:
        return None
    postcode = Postcode.objects.filter(code=digits).first()
    if postcode is None:
        raise ValidationError({"home_pc4": [POSTCODE_UNKNOWN]})
    return postcode


def profile_save(*, user: User, by: User, **fields: Any) -> StudentProfile:
    """Create or update a student's own profile."""
    if by.pk != user.pk:
        raise PermissionDenied
    if not student_memberships(user):
        raise PermissionDenied(NOT_A_STUDENT)
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    if "programme" in fields:
        from stagebrug.applications.selectors import student_programmes

        programme = fields["programme"]
        if programme is None or not student_programmes(user).filter(pk=programme.pk).exists():
            raise ValidationError({"programme": [NOT_YOUR_PROGRAMME]})
    profile = StudentProfile.objects.filter(user=user).first()
    created = profile is None
    if created:
        profile = StudentProfile(user=user)
    before = snapshot(profile, list(fields)) if not created else {}
    for name, value in fields.items():
        setattr(profile, name, value)
    for tags in ("activity_tags", "skill_tags"):
        value = getattr(profile, tags) or []
        cleaned = {str(t).strip().lower()[:60] for t in value if str(t).strip()}
        setattr(profile, tags, sorted(cleaned)[:30])
    _check_profile(profile)
    profile.full_clean(exclude=["cv", "cv_token"])
    with transaction.atomic():
        profile.save()
        changes = diff(before, snapshot(profile, list(fields))) if not created else {}
        audit_log(
            actor=by,
            action="profile.create" if created else "profile.update",
            obj=profile,
            changes=changes,
        )
    return profile


def profile_submit(
    *,
    user: User,
    by: User,
    home_postcode: str | None,
    cv: tuple[str, bytes] | None = None,
    **fields: Any,
) -> StudentProfile:
    """The profile form: the profile, its home area and a new CV, all or nothing."""
    with transaction.atomic():
        try:
            home_pc4 = pc4_lookup(home_postcode)
        except ValidationError:
            raise ValidationError({"home_postcode": [POSTCODE_UNKNOWN]}) from None
        profile = profile_save(user=user, by=by, home_pc4=home_pc4, **fields)
        if cv is not None:
            profile_set_cv(profile=profile, by=by, name=cv[0], content=cv[1])
    return profile


def _check_profile(profile: StudentProfile) -> None:
    """What full_clean does not check: known languages, and text within its maximum length."""
    from stagebrug.placements.models import LANGUAGE_CHOICES

    errors: dict[str, list] = {}
    known = dict(LANGUAGE_CHOICES)
    if any(lang not in known for lang in profile.languages or []):
        errors["languages"] = [LANGUAGE_UNKNOWN]
    for name in ("wanted_activities", "skills"):
        limit = StudentProfile._meta.get_field(name).max_length
        if len(getattr(profile, name) or "") > limit:
            errors[name] = [ValidationError(TEXT_TOO_LONG, params={"n": limit})]
    if errors:
        raise ValidationError(errors)


def cv_check_size(size: int | None) -> None:
    """Refuse a CV above CV_MAX_BYTES; callers check the upload's size before reading it."""
    limit = settings.CV_MAX_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            {"cv": [ValidationError(CV_TOO_LARGE, params={"mb": f"{limit / (1024 * 1024):g}"})]}
        )


def profile_set_cv(
    *, profile: StudentProfile, by: User, name: str, content: bytes
) -> StudentProfile:
    """Store a CV: PDF only (by its contents, not only its name), size-limited, under a random
    name in private storage. The old file is removed."""
    if by.pk != profile.user_id:
        raise PermissionDenied
    cv_check_size(len(content))
    if not name.lower().endswith(".pdf") or not content.startswith(b"%PDF-"):
        raise ValidationError({"cv": [CV_NOT_PDF]})
    old = profile.cv.name if profile.cv else ""
    with transaction.atomic():
        profile.cv_token = secrets.token_hex(16)
        profile.cv.save("cv.pdf", ContentFile(content), save=False)
        profile.cv_uploaded_at = timezone.now()
        profile.save(update_fields=["cv", "cv_token", "cv_uploaded_at", "updated_at"])
        audit_log(actor=by, action="profile.cv_upload", obj=profile)
    if old and old != profile.cv.name:
        transaction.on_commit(lambda: profile.cv.storage.delete(old))
    return profile


def profile_remove_cv(*, profile: StudentProfile, by: User) -> None:
    if by.pk != profile.user_id:
        raise PermissionDenied
    old = profile.cv.name if profile.cv else ""
    storage = profile.cv.storage
    with transaction.atomic():
        profile.cv = ""
        profile.cv_token = ""
        profile.cv_uploaded_at = None
        profile.save(update_fields=["cv", "cv_token", "cv_uploaded_at", "updated_at"])
        audit_log(actor=by, action="profile.cv_remove", obj=profile)
        if old:  # the file goes once the database no longer points at it
            transaction.on_commit(lambda: storage.delete(old))


def can_read_cv(user: User, profile: StudentProfile) -> bool:
    """The student, and the businesses the student applied to."""
    if user.pk == profile.user_id:
        return True
    company_ids = perms.company_ids(user, perms.COMPANY_EDITORS)
    return (
        bool(company_ids)
        and Application.objects.filter(
            Q(anonymous=False) | Q(revealed_at__isnull=False),  # W2, W14: not at first look
            student_id=profile.user_id,
            placement__company_id__in=company_ids,
            status__in=[*OPEN_STATUSES, S.ACCEPTED],
        ).exists()
    )


def support_note_add(*, profile: StudentProfile, by: User, text: str) -> SupportNote:
    """The student writes a note; the school only with the student's consent (W14)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note first.")]})
    if by.pk == profile.user_id:
        role = SupportNote.Author.STUDENT
    elif profile.programme.institution_id in perms.institution_ids(by, perms.SCHOOL_STAFF):
        if not profile.school_may_add_notes:
            raise PermissionDenied(NO_CONSENT)
        role = SupportNote.Author.SCHOOL
    else:
        raise PermissionDenied
    with transaction.atomic():
        note = SupportNote.objects.create(
            profile=profile, author=by, author_role=role, text=text[:2000]
        )
        audit_log(actor=by, action="support_note.add", obj=profile)
    return note


def can_read_support_notes(user: User, profile: StudentProfile) -> bool:
    """Only the student and the workplace supervisor of their current internship (W14)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == profile.user_id:
        return True
    return user.pk in hooks.support_note_readers(student_id=profile.user_id)


def support_notes_for(user: User, profile: StudentProfile | None):
    """The support notes `user` may read, or None; reading someone else's notes is logged."""
    if profile is None or not can_read_support_notes(user, profile):
        return None
    if user.pk != profile.user_id:
        audit_log(actor=user, action="support_notes.read", obj=profile)
    return profile.support_notes.select_related("author")


def cv_open(user: User, profile: StudentProfile) -> StudentProfile:
    """A CV as a reader opens it: refused unless `can_read_cv`; reading another's is logged."""
    if not can_read_cv(user, profile):
        raise PermissionDenied
    if user.pk != profile.user_id:
        audit_log(actor=user, action="profile.cv_read", obj=profile)
    return profile


# --------------------------------------------------------------------------------------------
# Applications


def _event(
    application: Application, *, by: User | None, to: str, reason: str = "", before: str = ""
) -> None:
    """The application's own history (shown to student and business), and the audit log."""
    ApplicationEvent.objects.create(
        application=application, actor=by, from_status=before, to_status=to, reason=reason
    )
    audit_log(
        actor=by,
        action=f"application.{to}",
        obj=application,
        changes={"status": [before, to], **({"reason": reason} if reason else {})},
    )


def _can_act_for_business(user: User, application: Application) -> bool:
    return perms.can_edit_company(user, application.placement.company)


def _refuse_full_seat(placement: Placement, profile: StudentProfile | None) -> None:
    """W21: a duo placement has its own seats for MBO and for HBO students; a student whose
    kind has no free seat left cannot apply, get an offer or accept one."""
    if not placement.is_duo or profile is None:
        return
    # The seats taken as they are now, not as when the caller read the placement.
    placement = Placement.objects.get(pk=placement.pk)
    refusal = placement.seat_refusal(profile.programme.kind)
    if refusal is not None:
        raise ValidationError(refusal)


def application_create(*, student: User, placement: Placement, motivation: str) -> Application:
    """A student applies (the open market, W16). Only to published placements offered to the
    student's programme at the student's level."""
    profile = StudentProfile.objects.select_related("programme").filter(user=student).first()
    if profile is None:
        raise ValidationError(PROFILE_NEEDED)
    motivation = (motivation or "").strip()
    if len(motivation) < 20:
        raise ValidationError({"motivation": [MOTIVATION_REQUIRED]})
    if placement.status != Status.PUBLISHED:
        raise ValidationError(NOT_PUBLISHED)
    approved = placement.targets.filter(
        programme=profile.programme, decision=ProgrammeDecision.APPROVED
    ).exists()
    if not approved:
        raise ValidationError(NOT_FOR_YOUR_PROGRAMME)
    if profile.level not in (placement.levels or []):
        raise ValidationError(LEVEL_MISMATCH)
    _refuse_full_seat(placement, profile)
    if Application.objects.filter(placement=placement, student=student).exists():
        raise ValidationError(ALREADY_APPLIED)
    if placed_for(start_windows(placement), placed_periods([student.pk]).get(student.pk, [])):
        raise ValidationError(ALREADY_PLACED)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                placement=placement,
                student=student,
                motivation=motivation[:3000],
                anonymous=profile.programme.anonymous_first_look,
            )
            _event(application, by=student, to=S.APPLIED)
    except IntegrityError:  # a double click: the same application arrived twice at once
        raise ValidationError(ALREADY_APPLIED) from None
    url = f"/sollicitaties/{application.pk}/"
    for person in _business_people(placement):
        with speaking_to(person):
            notify(
                user=person,
                kind="application.new",
                title=_("New application for %(title)s") % {"title": placement.title},
                body=_(
                    "%(name)s applied. Reply within %(days)s days: students always get an answer."
                )
                % {"name": applicant_name(application), "days": settings.APPLICATION_REPLY_DAYS},
                url=url,
            )
    return application


REASON_MAX = 2000


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": [ValidationError(TEXT_TOO_LONG, params={"n": REASON_MAX})]}
        )
    return reason


def application_move(
    *, application: Application, by: User, to: str, reason: str = ""
) -> Application:
    """The business moves an application forward, or turns it down with a reason (W1)."""
    if not _can_act_for_business(by, application):
        raise PermissionDenied
    reason = _clean_reason(reason)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if to not in BUSINESS_MOVES.get(locked.status, set()):
            raise ValidationError(
                NOT_ALLOWED_NOW, params={"status": locked.get_status_display().lower()}
            )
        if to == S.REJECTED and not reason:
            raise ValidationError({"reason": [REASON_REQUIRED]})
        if to == S.OFFER:
            _refuse_full_seat(
                locked.placement,
                StudentProfile.objects.select_related("programme")
                .filter(user_id=locked.student_id)
                .first(),
            )
        before = locked.status
        locked.status = to
        locked.business_replied_at = locked.business_replied_at or timezone.now()
        _new_stage(locked)
        if to in REVEALING and locked.anonymous and locked.revealed_at is None:
            locked.revealed_at = timezone.now()  # W2, W14: shortlisted, so now they see who
        locked.save(
            update_fields=[
                "status",
                "business_replied_at",
                "stage_since",
                "reminded_at",
                "revealed_at",
                "updated_at",
            ]
        )
        _event(locked, by=by, to=to, reason=reason, before=before)
    with speaking_to(locked.student):
        titles = {
            S.SHORTLISTED: _("You are on the shortlist for %(title)s"),
            S.OFFER: _("You got an offer for %(title)s"),
            S.REJECTED: _("Answer on your application for %(title)s"),
            S.INTERVIEW: _("Invitation to an interview for %(title)s"),
        }
        notify(
            user=locked.student,
            kind=f"application.{to}",
            title=titles[to] % {"title": locked.placement.title},
            body=reason,
            url=f"/sollicitaties/{locked.pk}/",
        )
    return locked


def interview_propose(
    *,
    application: Application,
    by: User,
    starts_at: dt.datetime,
    duration_minutes: int = 30,
    location: str,
    note: str = "",
) -> Interview:
    """Invite the student to an interview, with a calendar file (.ics)."""
    if not _can_act_for_business(by, application):
        raise PermissionDenied
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)  # a time without offset is Dutch time
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": [INTERVIEW_IN_PAST]})
    interview = Interview(
        application=application,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=(location or "").strip(),
        note=(note or "").strip(),
        created_by=by,
    )
    interview.full_clean()
    with transaction.atomic():
        interview.save()
        application_move(application=application, by=by, to=S.INTERVIEW, reason="")
    return interview


def interview_ics(interview: Interview) -> bytes:
    """An iCalendar file the student and the business can add to their calendars."""
    from icalendar import Calendar, Event

    application = interview.application
    placement = application.placement
    calendar = Calendar()
    calendar.add("prodid", "-//Stagebrug//stagebrug.nl//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"interview-{interview.pk}@stagebrug.nl")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.starts_at)
    event.add("dtend", interview.starts_at + dt.timedelta(minutes=interview.duration_minutes))
    event.add("summary", _("Interview: %(title)s") % {"title": placement.title})
    event.add("location", interview.location)
    event.add(
        "description",
        "\n".join(
            filter(
                None,
                [
                    placement.company.name,
                    interview.note,
                    f"{settings.SITE_URL}/sollicitaties/{application.pk}/",
                ],
            )
        ),
    )
    if interview.cancelled_at:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()


def message_send(*, application: Application, by: User, body: str) -> Message:
    """A message in the application's thread; the other side is told."""
    is_student = by.pk == application.student_id
    if not is_student and not _can_act_for_business(by, application):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message first.")]})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not conversation_open(locked):
            raise ValidationError(CONVERSATION_CLOSED)
        message = Message.objects.create(application=application, author=by, body=body[:3000])
        if not is_student and application.business_replied_at is None:
            application.business_replied_at = timezone.now()
            application.save(update_fields=["business_replied_at", "updated_at"])
    recipients = (
        [application.student] if not is_student else _business_people(application.placement)
    )
    for person in recipients:
        with speaking_to(person):
            notify(
                user=person,
                kind="application.message",
                title=_("New message about %(title)s") % {"title": application.placement.title},
                body=body[:300],
                url=f"/sollicitaties/{application.pk}/",
            )
    return message


def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    if by.pk != application.student_id:
        raise PermissionDenied
    return _student_move(
        application=application, by=by, allowed=OPEN_STATUSES, to=S.WITHDRAWN, reason=reason
    )


def offer_decline(*, application: Application, by: User, reason: str = "") -> Application:
    if by.pk != application.student_id:
        raise PermissionDenied
    return _student_move(
        application=application, by=by, allowed=(S.OFFER,), to=S.DECLINED, reason=reason
    )


def _student_move(
    *, application: Application, by: User, allowed, to: str, reason: str
) -> Application:
    reason = _clean_reason(reason)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in allowed:
            raise ValidationError(
                NOT_ALLOWED_NOW, params={"status": locked.get_status_display().lower()}
            )
        before = locked.status
        locked.status = to
        _new_stage(locked)
        locked.save(update_fields=["status", "stage_since", "reminded_at", "updated_at"])
        _event(locked, by=by, to=to, reason=reason, before=before)
    _tell_business(locked, _business_people(locked.placement), reason)
    return locked


def offer_accept(*, application: Application, by: User) -> Any:
    """The student accepts an offer and the placement becomes theirs: the internships app
    creates the internship (`hooks.confirm_placements`) in this transaction, which takes the
    position, withdraws the student's other applications and, when the placement is full,
    answers its other applicants. The placement row is locked first, so two students accepting
    the last place at the same moment never both succeed."""
    if by.pk != application.student_id:
        raise PermissionDenied
    with transaction.atomic():
        placement = Placement.objects.select_for_update().get(pk=application.placement_id)
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != S.OFFER:
            raise ValidationError(
                NOT_ALLOWED_NOW, params={"status": locked.get_status_display().lower()}
            )
        profile = (
            StudentProfile.objects.select_related("programme")
            .filter(user_id=locked.student_id)
            .first()
        )
        if profile is None:
            raise ValidationError(PROFILE_NEEDED)
        _refuse_full_seat(placement, profile)
        locked.status = S.ACCEPTED
        _new_stage(locked)
        locked.save(update_fields=["status", "stage_since", "reminded_at", "updated_at"])
        _event(locked, by=by, to=S.ACCEPTED, before=S.OFFER)
        (internship,) = hooks.confirm_placements(
            confirmations=[
                hooks.Confirmation(
                    student_id=locked.student_id,
                    programme_id=profile.programme_id,
                    placement=placement,
                    source="application",
                    application_id=locked.pk,
                )
            ],
            by=by,
        )
        for person in _business_people(placement):
            with speaking_to(person):
                notify(
                    user=person,
                    kind="application.accepted",
                    title=_("%(name)s accepted your offer for %(title)s")
                    % {"name": locked.student.full_name, "title": placement.title},
                    url=f"/sollicitaties/{locked.pk}/",
                )
    return internship


WITHDRAWN_ACCEPTED_ELSEWHERE = gettext_lazy("The student accepted another placement.")
WITHDRAWN_PLACED_BY_ROUND = gettext_lazy(
    "The student was placed at another placement by the school's matching round."
)


def applications_withdraw_for_placed(
    *, student_ids: Iterable[int], source: str, by: User | None
) -> int:
    """Students who just got an internship no longer wait for other placements of the same
    period: those open applications are withdrawn, and each business is told why (W1); an
    application for a placement that can start after the internship stays. Conditional
    updates, so an application answered in the meantime keeps its answer. Returns how many
    were withdrawn."""
    reason = WITHDRAWN_ACCEPTED_ELSEWHERE if source == "application" else WITHDRAWN_PLACED_BY_ROUND
    ids = sorted(set(student_ids))
    withdrawn: list[Application] = []
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        periods = placed_periods(chunk)  # the new internships included (same transaction)
        for application in _open_applications_of(chunk):
            windows = start_windows(application.placement)
            if not placed_for(windows, periods.get(application.student_id, ())):
                continue  # a placement for after this internship: the application stays
            before = application.status
            now = timezone.now()
            updated = Application.objects.filter(pk=application.pk, status=before).update(
                status=S.WITHDRAWN, stage_since=now, reminded_at=None, updated_at=now
            )
            if updated:
                application.status = S.WITHDRAWN
                _event(application, by=by, to=S.WITHDRAWN, reason=str(reason), before=before)
                withdrawn.append(application)
    people = company_people({a.placement.company_id for a in withdrawn})
    for application in withdrawn:
        _tell_business(application, people.get(application.placement.company_id, []), reason)
    return len(withdrawn)


def _open_applications_of(student_ids: Sequence[int]) -> list[Application]:
    return list(
        Application.objects.filter(student_id__in=student_ids, status__in=OPEN_STATUSES)
        .select_related("placement", "student")
        .order_by("pk")
    )


def _tell_business(application: Application, people: Sequence[User], reason) -> None:
    """The business hears that the student moved their application (in their own language)."""
    for person in people:
        with speaking_to(person):
            notify(
                user=person,
                kind=f"application.{application.status}",
                title=_("%(name)s: %(status)s (%(title)s)")
                % {
                    "name": applicant_name(application),
                    "status": application.get_status_display().lower(),
                    "title": application.placement.title,
                },
                body=str(reason),
                url=f"/sollicitaties/{application.pk}/",
            )


def close_open_applications(*, placement: Placement, reason: str | Promise) -> int:
    """Every open application of a placement that ends gets a polite answer (W1: students
    always get an answer). A conditional update, so a concurrent change is never overwritten."""
    closed = 0
    waiting = Application.objects.filter(placement=placement, status__in=OPEN_STATUSES)
    for application in waiting.select_related("student"):
        with speaking_to(application.student):
            text = str(reason)  # the student's language, in the record and the message
        with transaction.atomic():
            before = application.status
            now = timezone.now()
            updated = Application.objects.filter(pk=application.pk, status=before).update(
                status=S.REJECTED, stage_since=now, reminded_at=None, updated_at=now
            )
            if not updated:
                continue
            _event(application, by=None, to=S.REJECTED, reason=text, before=before)
        with speaking_to(application.student):
            notify(
                user=application.student,
                kind="application.rejected",
                title=_("Answer on your application for %(title)s") % {"title": placement.title},
                body=text,
                url=f"/sollicitaties/{application.pk}/",
            )
        closed += 1
    return closed


@dataclass(frozen=True)
class Rung:
    """One stage of the answer ladder (W1): an application waiting in `status` reminds the
    business after `reply_days` without a decision and closes politely after `close_days`."""

    status: str
    reply_days: int
    close_days: int


def answer_ladder() -> tuple[Rung, ...]:
    """After applying, on the shortlist, after an interview (whose days count from the
    interview itself). An offer waits for the student, not the business."""
    return (
        Rung(S.APPLIED, settings.APPLICATION_REPLY_DAYS, settings.APPLICATION_CLOSE_DAYS),
        Rung(S.SHORTLISTED, settings.SHORTLIST_REPLY_DAYS, settings.SHORTLIST_CLOSE_DAYS),
        Rung(S.INTERVIEW, settings.INTERVIEW_REPLY_DAYS, settings.INTERVIEW_CLOSE_DAYS),
    )


def _new_stage(application: Application) -> None:
    """A move starts the next stage: its clock, and no reminder in it yet."""
    application.stage_since = timezone.now()
    application.reminded_at = None


def waiting_since(status: str, before: dt.datetime):
    """The applications in `status` whose wait began at or before `before`: since they reached
    the status, or for an interview since the latest interview that was not cancelled."""
    qs = Application.objects.filter(status=status)
    if status != S.INTERVIEW:
        return qs.filter(stage_since__lte=before)
    last_interview = Max("interviews__starts_at", filter=Q(interviews__cancelled_at=None))
    # The later of the move and the interview: an interview of an earlier stage never counts.
    waiting_from = Greatest(Coalesce(last_interview, "stage_since"), "stage_since")
    return qs.annotate(waiting_from=waiting_from).filter(waiting_from__lte=before)


def _closure_text(status: str) -> str:
    """What the student reads when a stage passes without an answer (in their language)."""
    if status == S.SHORTLISTED:
        text = _(
            "You were on the shortlist, but the business did not decide in time, so we closed "
            "this application."
        )
    elif status == S.INTERVIEW:
        text = _(
            "The business did not answer in time after your interview, so we closed this "
            "application."
        )
    else:
        text = _("The business did not reply in time, so we closed this application.")
    return "%s %s" % (  # noqa: UP031 (two sentences, each translated)
        text,
        _(
            "This says nothing about you: keep applying, and ask your school for help if you need it."
        ),
    )


def _reminder_body(rung: Rung, name: str) -> str:
    if rung.status == S.SHORTLISTED:
        return _(
            "%(name)s is on your shortlist and waiting for a decision: invite them, make an offer "
            "or say no. After %(days)s days on the shortlist we close the application with a "
            "polite message."
        ) % {"name": name, "days": rung.close_days}
    if rung.status == S.INTERVIEW:
        return _(
            "%(name)s had an interview with you and is waiting for your answer: make an offer or "
            "say no. %(days)s days after the interview we close the application with a polite "
            "message."
        ) % {"name": name, "days": rung.close_days}
    return _(
        "Please reply: after %(days)s days we close the application with a polite message."
    ) % {"days": rung.close_days}


def _close_unanswered(application: Application, rung: Rung) -> bool:
    """Close one application whose stage ran out, unless it moved in the meantime (the stage's
    clock is part of the check); the student and the business are told."""
    with speaking_to(application.student):
        reason = _closure_text(rung.status)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != rung.status or locked.stage_since != application.stage_since:
            return False
        locked.status = S.CLOSED
        _new_stage(locked)
        locked.save(update_fields=["status", "stage_since", "reminded_at", "updated_at"])
        _event(locked, by=None, to=S.CLOSED, reason=reason, before=rung.status)
    title = application.placement.title
    with speaking_to(application.student):
        notify(
            user=application.student,
            kind="application.closed",
            title=_("No answer on %(title)s") % {"title": title},
            body=reason,
            url=f"/sollicitaties/{application.pk}/",
        )
    for person in _business_people(application.placement):
        with speaking_to(person):
            notify(
                user=person,
                kind="application.closed",
                title=_("%(name)s's application closed without your answer (%(title)s)")
                % {"name": applicant_name(application), "title": title},
                body=_(
                    "It waited %(days)s days for your decision. We told the student kindly; the "
                    "application cannot be answered any more."
                )
                % {"days": rung.close_days},
                url=f"/sollicitaties/{application.pk}/",
            )
    return True


def applications_remind(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every application gets an answer at every stage (W1): the answer ladder. In each stage
    a business that has not decided is reminded once after the rung's reply days, and the
    application closes with a kind message after its close days, never without that reminder
    first: a closure comes at least (close days - reply days) after the stage's reminder, also
    when a day was missed. A message is not an answer: only a decision (shortlist, interview,
    offer, no) moves the application on.

    Idempotent: each stage is reminded once and closed once; run it daily.
    """
    now = now or timezone.now()
    reminded = closed = 0
    for rung in answer_ladder():
        warned_before = now - dt.timedelta(days=rung.close_days - rung.reply_days)
        expired = waiting_since(rung.status, now - dt.timedelta(days=rung.close_days)).filter(
            reminded_at__lte=warned_before
        )
        for application in expired.select_related("placement", "student").order_by("pk"):
            closed += _close_unanswered(application, rung)
        due = list(
            waiting_since(rung.status, now - dt.timedelta(days=rung.reply_days))
            .filter(reminded_at=None)
            .select_related("placement", "student")
            .order_by("pk")
        )
        people = company_people({a.placement.company_id for a in due})
        for application in due:
            updated = Application.objects.filter(
                pk=application.pk,
                status=rung.status,
                stage_since=application.stage_since,
                reminded_at=None,
            ).update(reminded_at=now)
            if not updated:
                continue  # another worker reminded it, or it moved on
            for person in people.get(application.placement.company_id, []):
                with speaking_to(person):
                    notify(
                        user=person,
                        kind="application.reminder",
                        title=_("%(name)s is waiting for your answer (%(title)s)")
                        % {
                            "name": applicant_name(application),
                            "title": application.placement.title,
                        },
                        body=_reminder_body(rung, applicant_name(application)),
                        url=f"/sollicitaties/{application.pk}/",
                    )
            reminded += 1
    return {"reminded": reminded, "closed": closed}


# --------------------------------------------------------------------------------------------
# Who may still talk


def conversation_open(application: Application) -> bool:
    """Messages go while the application is open, and after the offer was accepted (to
    arrange the start); an application that ended (no, withdrawn, declined, closed) is quiet."""
    return application.status in OPEN_STATUSES or application.status == S.ACCEPTED


def student_memberships(user: User) -> list[Membership]:
    return [m for m in perms.memberships(user) if m.role == Role.STUDENT]


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """Before a student's account goes: the CV file leaves private storage once the erasure
    commits; the profile, notes, applications and messages go with the account."""
    profile = StudentProfile.objects.filter(user=user).first()
    if profile is None:
        return []
    if profile.cv:
        name, storage = profile.cv.name, profile.cv.storage
        transaction.on_commit(lambda: storage.delete(name))
    return [("applications.studentprofile", [profile.pk])]
