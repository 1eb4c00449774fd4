"""Aftercare (C9; W6, W11): keeping in touch with former interns, with consent.

At the end of an internship (completed) the student is asked whether to keep in touch with
the business and what to share (their e-mail address, that they are open to a side job or a
first job, when they expect to graduate); they can withdraw that at any time. The business sees
only former interns who agreed, only what they chose to share, and can offer them a side job or
a job with a short message; a side job can also be offered during the internship. The school
sees how many of its students were offered one, counted, never by name.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.accounts.selectors import company_people
from stagebrug.accounts.services import speaking_to
from stagebrug.applications.services import notify
from stagebrug.community.models import JobOffer, KeepInTouch
from stagebrug.core.audit import audit_log
from stagebrug.internships.models import Internship, Status
from stagebrug.registry.models import Company, Institution

MESSAGE_MAX = 2000

NOT_YOURS = _("Only the student decides whether to keep in touch.")
NOT_ENDED = _("You choose this once the internship is completed.")
NOTHING_CHOSEN = _("Choose at least one thing to share, or keep no contact.")
NO_CONSENT = _(
    "This former intern did not choose to keep in touch, or withdrew it: you cannot send them "
    "an offer."
)
NOT_OPEN_FOR = _("This former intern is not open to a %(kind)s.")
SIDE_JOB_ONLY = _("During the internship you can offer a side job; a job after it ends.")
MESSAGE_REQUIRED = _("Write a short message: what the work is, and how to reply.")
NOT_THE_BUSINESS = _("Only the business's owners and colleagues send offers.")
ALREADY_ANSWERED = _("You answered this offer already.")


def _business(user: User, internship: Internship) -> bool:
    """The business's own owners and colleagues: the student's consent is given to them (not
    to the platform's operators)."""
    return is_the_business(user, internship.placement.company_id)


def is_the_business(user: User, company_id: int) -> bool:
    return company_id in perms.company_ids(user, perms.COMPANY_EDITORS)


# --------------------------------------------------------------------------------------------
# The student's choice


def ask_to_keep_in_touch(*, internship: Internship) -> None:
    """`internships.hooks.internship_closed`: a completed internship's student is asked whether
    to keep in touch with the business."""
    if internship.status != Status.COMPLETED or internship.student is None:
        return
    student = internship.student
    with speaking_to(student):
        notify(
            user=student,
            kind="aftercare.ask",
            title=str(_("Keep in touch with %(company)s?"))
            % {"company": internship.placement.company.name},
            body=str(
                _(
                    "Your internship is completed. If you like, %(company)s may contact you for a "
                    "side job or a first job. You choose what they see, and can stop it any time."
                )
            )
            % {"company": internship.placement.company.name},
            url=reverse("community:keep_in_touch", args=[internship.pk]),
        )


def keep_in_touch_save(
    *,
    internship: Internship,
    by: User,
    share_email: bool,
    side_job: bool,
    first_job: bool,
    graduation: dt.date | None,
) -> KeepInTouch:
    """The student agrees to keep in touch, sharing what they chose (saved again to change)."""
    if internship.student_id != by.pk:
        raise PermissionDenied(NOT_YOURS)
    if internship.status != Status.COMPLETED:
        raise ValidationError(NOT_ENDED)
    if not (share_email or side_job or first_job or graduation):
        raise ValidationError(NOTHING_CHOSEN)
    with transaction.atomic():
        row, _created = KeepInTouch.objects.update_or_create(
            internship=internship,
            defaults={
                "share_email": share_email,
                "side_job": side_job,
                "first_job": first_job,
                "graduation": graduation,
                "agreed_at": timezone.now(),
                "withdrawn_at": None,
            },
        )
        audit_log(
            actor=by,
            action="aftercare.agreed",
            obj=row,
            changes={
                "share_email": share_email,
                "side_job": side_job,
                "first_job": first_job,
                "graduation": bool(graduation),
            },
        )
    return row


def keep_in_touch_withdraw(*, internship: Internship, by: User) -> KeepInTouch | None:
    """The student stops it: the business no longer sees them among its former interns."""
    if internship.student_id != by.pk:
        raise PermissionDenied(NOT_YOURS)
    row = KeepInTouch.objects.filter(internship=internship, withdrawn_at__isnull=True).first()
    if row is None:
        return None
    row.withdrawn_at = timezone.now()
    row.save(update_fields=["withdrawn_at"])
    audit_log(actor=by, action="aftercare.withdrawn", obj=row)
    return row


# --------------------------------------------------------------------------------------------
# The business


def former_interns(*, company: Company) -> QuerySet[KeepInTouch]:
    """The business's former interns who agreed to keep in touch and have not withdrawn."""
    return (
        KeepInTouch.objects.filter(
            internship__placement__company=company,
            internship__student__isnull=False,
            withdrawn_at__isnull=True,
        )
        .select_related("internship__student", "internship__programme", "internship__placement")
        .order_by("-internship__end_date", "pk")
    )


def job_offer_send(
    *, internship: Internship, by: User, kind: str, message: str, now: dt.datetime | None = None
) -> JobOffer:
    """The business offers a side job or a job: a job to a former intern who agreed (and is
    open to it), a side job also during the internship (W6)."""
    if not _business(by, internship):
        raise PermissionDenied(NOT_THE_BUSINESS)
    message = (message or "").strip()
    errors: dict[str, list] = {}
    if kind not in JobOffer.Kind.values:
        errors["kind"] = [_("Choose a side job or a job.")]
    if not message:
        errors["message"] = [MESSAGE_REQUIRED]
    elif len(message) > MESSAGE_MAX:
        errors["message"] = [_("Keep it under 2000 characters.")]
    if errors:
        raise ValidationError(errors)
    if internship.student is None:
        raise ValidationError(NO_CONSENT)
    if internship.status == Status.ACTIVE:
        if kind != JobOffer.Kind.SIDE_JOB:
            raise ValidationError({"kind": [SIDE_JOB_ONLY]})
    else:
        consent = KeepInTouch.objects.filter(
            internship=internship, withdrawn_at__isnull=True
        ).first()
        if internship.status != Status.COMPLETED or consent is None:
            raise ValidationError(NO_CONSENT)
        open_for = consent.side_job if kind == JobOffer.Kind.SIDE_JOB else consent.first_job
        if not open_for:
            raise ValidationError(
                NOT_OPEN_FOR, params={"kind": str(JobOffer.Kind(kind).label).lower()}
            )
    with transaction.atomic():
        offer = JobOffer.objects.create(
            internship=internship, kind=kind, message=message, sent_by=by
        )
        audit_log(actor=by, action="aftercare.offered", obj=offer, changes={"kind": kind})
        student = internship.student
        with speaking_to(student):
            notify(
                user=student,
                kind="aftercare.offer",
                title=str(_("%(company)s offers you a %(kind)s"))
                % {
                    "company": internship.placement.company.name,
                    "kind": str(offer.get_kind_display()).lower(),
                },
                body=message,
                url=reverse("community:job_offer", args=[offer.pk]),
            )
    return offer


def job_offer_answer(*, offer: JobOffer, by: User, answer: str) -> JobOffer:
    """The student answers: interested (the business is told, with their e-mail address) or
    no, thank you."""
    internship = offer.internship
    if internship.student_id != by.pk:
        raise PermissionDenied(NOT_YOURS)
    if answer not in JobOffer.Answer.values:
        raise ValidationError({"answer": [_("Choose interested or no, thank you.")]})
    with transaction.atomic():
        locked = JobOffer.objects.select_for_update().get(pk=offer.pk)
        if locked.answer:
            raise ValidationError(ALREADY_ANSWERED)
        locked.answer = answer
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_at"])
        audit_log(actor=by, action="aftercare.answered", obj=locked, changes={"answer": answer})
        company = internship.placement.company
        for person in company_people([company.pk]).get(company.pk, []):
            with speaking_to(person):
                if answer == JobOffer.Answer.INTERESTED:
                    title = str(_("%(name)s is interested in your %(kind)s")) % {
                        "name": by.full_name,
                        "kind": str(locked.get_kind_display()).lower(),
                    }
                    body = str(_("Reply to %(email)s.")) % {"email": by.email}
                else:
                    title = str(_("%(name)s thanks you for your offer and says no")) % {
                        "name": by.full_name
                    }
                    body = ""
                notify(
                    user=person,
                    kind="aftercare.answer",
                    title=title,
                    body=body,
                    url=reverse("community:former_interns", args=[company.pk]),
                )
    return locked


# --------------------------------------------------------------------------------------------
# The school: counted, never by name


def school_counts(*, institution: Institution) -> dict[str, int]:
    """How many of the school's students (internships) were offered a side job or a job by
    their host: counts, never names (an erased student still counts)."""
    return JobOffer.objects.filter(internship__institution=institution).aggregate(
        side_job=Count("internship", filter=Q(kind=JobOffer.Kind.SIDE_JOB), distinct=True),
        job=Count("internship", filter=Q(kind=JobOffer.Kind.JOB), distinct=True),
        students=Count("internship", distinct=True),
    )


# --------------------------------------------------------------------------------------------
# Privacy


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """`accounts.hooks.erasing`: the consent ends with the account; offers keep their kind for
    the school's count, not their message."""
    ids = list(KeepInTouch.objects.filter(internship__student=user).values_list("pk", flat=True))
    KeepInTouch.objects.filter(pk__in=ids).delete()
    offers = JobOffer.objects.filter(internship__student=user)
    offer_ids = list(offers.values_list("pk", flat=True))
    offers.update(message="")
    return [("community.keepintouch", ids), ("community.joboffer", offer_ids)]
