"""Personal data over time: nothing is kept longer than it is needed (privacy; AVG art. 5(1)(e)).

Run every night (`tasks.personal_data_retention`):

* **CVs and support notes** go a set time after the student's internship ended: the school sets
  the months (`SchoolSettings.student_files_months`, 12 by default). The clock starts at the end
  of the student's last internship (the day it stopped, for one stopped early), or later for a CV
  uploaded or a note written after it. A student with a current internship keeps both.
* **Unused accounts**: an account nobody logged in to for `INACTIVE_ACCOUNT_MONTHS` (24) is told
  by e-mail that it will be removed, and `INACTIVE_ACCOUNT_WARNING_DAYS` (30) later, without a
  login in between, it is erased as if the person asked for it (`accounts.services.user_erase`:
  their personal data goes, the records others rely on stay anonymised). Not removed: people
  with a part in a current internship (student, school supervisor, workplace supervisor or
  buddy), superusers, and the last owner of a business (told to the operator in the log).

The job lives here because it reads the schools' supervision settings and the internships; the
erasing itself is each app's own (`accounts.hooks.erasing`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from stagebrug.accounts.models import User
from stagebrug.accounts.services import user_erase
from stagebrug.applications.models import StudentProfile, SupportNote
from stagebrug.core.audit import audit_log
from stagebrug.core.mail import queue_email
from stagebrug.internships.models import CURRENT_STATUSES, Internship
from stagebrug.supervision.models import SchoolSettings

log = logging.getLogger(__name__)
DEFAULT_MONTHS = SchoolSettings._meta.get_field("student_files_months").default


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it has fewer days)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass
class Removed:
    cvs: int = 0
    support_notes: int = 0
    warned: int = 0
    erased: int = 0
    kept_last_owner: int = 0


def _due_profiles(today: dt.date, shortest: int):
    """Profiles with a CV or support notes whose internships have all ended, at least
    `shortest` months ago, each with the day the last one ended (`last_end`)."""
    ended = Coalesce(TruncDate("stopped_at"), F("end_date"))
    current = Internship.objects.filter(status__in=CURRENT_STATUSES, student__isnull=False)
    last_end = (
        Internship.objects.filter(student=OuterRef("user"))
        .values("student")
        .annotate(last=Max(ended))
        .values("last")
    )
    return (
        StudentProfile.objects.filter(
            Q(cv__gt="") | Exists(SupportNote.objects.filter(profile=OuterRef("pk")))
        )
        .exclude(user__in=current.values("student"))
        .annotate(last_end=Subquery(last_end))
        .filter(last_end__lte=add_months(today, -shortest))
        .select_related("programme")
        .order_by("pk")
    )


def student_files_purge(*, now: dt.datetime | None = None) -> Removed:
    """Remove the CVs and support notes whose time is up (see the module's docstring)."""
    today = timezone.localdate(now or timezone.now())
    done = Removed()
    months = dict(SchoolSettings.objects.values_list("institution_id", "student_files_months"))
    shortest = min([DEFAULT_MONTHS, *months.values()])
    for profile in _due_profiles(today, shortest).iterator(chunk_size=500):
        keep = months.get(profile.programme.institution_id, DEFAULT_MONTHS)
        # The newest of the internship's end and the file's own date, plus the school's months.
        ends = profile.last_end
        with transaction.atomic():
            uploaded = profile.cv_uploaded_at
            since = max(ends, timezone.localdate(uploaded)) if uploaded else ends
            if profile.cv and add_months(since, keep) <= today:
                _remove_cv(profile)
                done.cvs += 1
            if add_months(ends, keep) <= today:
                # Notes written later than `keep` months ago stay until their own time is up.
                written_before = _start_of(add_months(today, -keep) + dt.timedelta(days=1))
                count = SupportNote.objects.filter(
                    profile=profile, created_at__lt=written_before
                ).delete()[0]
                if count:
                    audit_log(
                        actor=None,
                        action="retention.support_notes",
                        obj=profile,
                        changes={"removed": count, "months": keep},
                    )
                done.support_notes += count
    return done


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _remove_cv(profile: StudentProfile) -> None:
    old = profile.cv.name
    storage = profile.cv.storage
    profile.cv = ""
    profile.cv_token = ""
    profile.cv_uploaded_at = None
    profile.save(update_fields=["cv", "cv_token", "cv_uploaded_at", "updated_at"])
    audit_log(actor=None, action="retention.cv", obj=profile)
    transaction.on_commit(lambda: storage.delete(old))


def _still_needed() -> Q:
    """People with a part in a current internship."""
    current = Internship.objects.filter(status__in=CURRENT_STATUSES)
    return (
        Q(pk__in=current.exclude(student=None).values("student"))
        | Q(pk__in=current.exclude(school_supervisor=None).values("school_supervisor"))
        | Q(pk__in=current.exclude(supervisor__user=None).values("supervisor__user"))
        | Q(pk__in=current.exclude(buddy__user=None).values("buddy__user"))
    )


def inactive_accounts(*, now: dt.datetime | None = None) -> Removed:
    """Warn unused accounts, and erase those warned long enough ago without a login since."""
    now = now or timezone.now()
    done = Removed()
    unused_since = now - dt.timedelta(days=round(settings.INACTIVE_ACCOUNT_MONTHS * 30.44))
    grace = dt.timedelta(days=settings.INACTIVE_ACCOUNT_WARNING_DAYS)
    seen = Coalesce("last_login", "date_joined", output_field=DateTimeField())
    unused = (
        User.objects.filter(is_active=True, is_superuser=False)
        .annotate(seen=seen)
        .filter(seen__lt=unused_since)
        .exclude(_still_needed())
    )
    to_warn = unused.filter(Q(inactivity_warned_at=None) | Q(inactivity_warned_at__lt=F("seen")))
    for user in to_warn.iterator(chunk_size=500):
        with transaction.atomic():
            removal = timezone.localdate(now + grace)
            queue_email(
                to=[user.email],
                template="account_inactive",
                context={"user": user, "removal": removal, "site_url": settings.SITE_URL},
                language=user.language,
            )
            User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)
        done.warned += 1
    to_erase = unused.filter(
        inactivity_warned_at__gt=F("seen"), inactivity_warned_at__lte=now - grace
    )
    for user in to_erase.iterator(chunk_size=100):
        try:
            user_erase(user=user)
        except ValidationError:
            # The last owner of a business: the business needs someone to answer for it.
            log.warning("Unused account %s kept: last owner of a business", user.pk)
            done.kept_last_owner += 1
        else:
            done.erased += 1
    return done
