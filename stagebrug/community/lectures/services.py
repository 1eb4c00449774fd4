"""Guest lectures both ways (W7): a business offers one on a subject; a school asks for one
(subject, programme, period), of one business's offer or of a sector, and those businesses are
told; the business that accepts names a time and the request becomes an event of the school."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import Role, User
from stagebrug.accounts.selectors import company_people
from stagebrug.accounts.services import speaking_to
from stagebrug.applications.services import notify
from stagebrug.community import events
from stagebrug.community.models import Audience, Event, LectureOffer, LectureRequest
from stagebrug.core.audit import audit_log
from stagebrug.placements.models import PlacementProgramme
from stagebrug.registry.models import Company, Institution, Programme

#: At most this many businesses are told of one request (the nearest partners first).
TELL_AT_MOST = 300

NOT_THE_BUSINESS = _("Only the business's owners and colleagues offer or accept guest lectures.")
NOT_THE_SCHOOL = _("Only the school's coordinators ask for guest lectures.")
PERIOD_PAST = _("Choose a period that has not ended yet.")
PERIOD_ORDER = _("The period ends before it starts.")
NOT_THEIR_PROGRAMME = _("Choose one of your school's programmes.")
NOT_OPEN = _("This request is no longer open.")
OUTSIDE_PERIOD = _("Choose a time within the period the school asked for (%(start)s to %(end)s).")
SUBJECT_REQUIRED = _("Give the subject.")


def _school_people(institution_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__institution_id=institution_id,
            memberships__role=Role.SCHOOL_COORDINATOR,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def lecture_offer_create(
    *, company: Company, by: User, subject: str, description: str, sector=None
) -> LectureOffer:
    if not perms.can_edit_company(by, company):
        raise PermissionDenied(NOT_THE_BUSINESS)
    if not (subject or "").strip():
        raise ValidationError({"subject": [SUBJECT_REQUIRED]})
    with transaction.atomic():
        offer = LectureOffer.objects.create(
            company=company,
            subject=subject.strip(),
            description=description.strip(),
            sector=sector or company.sector,
            created_by=by,
        )
        audit_log(actor=by, action="lecture.offered", obj=offer, changes={"subject": offer.subject})
    return offer


def lecture_offer_withdraw(*, offer: LectureOffer, by: User) -> LectureOffer:
    if not perms.can_edit_company(by, offer.company):
        raise PermissionDenied(NOT_THE_BUSINESS)
    offer.is_active = False
    offer.save(update_fields=["is_active"])
    audit_log(actor=by, action="lecture.offer_withdrawn", obj=offer)
    return offer


def businesses_to_tell(request: LectureRequest) -> list[int]:
    """The companies told of a request: the business of the offer it asks for; otherwise the
    businesses of its sector that offered places to its programme or to the school, then the
    others of that sector, at most `TELL_AT_MOST`."""
    if request.offer_id:
        return [request.offer.company_id]
    partners = PlacementProgramme.objects.filter(
        placement__company_id=OuterRef("pk"), programme__institution_id=request.institution_id
    )
    qs = Company.objects.all()
    if request.sector_id:
        qs = qs.filter(sector_id=request.sector_id)
    else:
        qs = qs.filter(
            Exists(
                PlacementProgramme.objects.filter(
                    placement__company_id=OuterRef("pk"), programme_id=request.programme_id
                )
            )
        )
    ordered = qs.annotate(partner=Exists(partners)).order_by("-partner", "name", "pk")
    return list(ordered.values_list("pk", flat=True)[:TELL_AT_MOST])


def lecture_request_create(
    *,
    institution: Institution,
    by: User,
    programme: Programme,
    subject: str,
    description: str,
    period_start: dt.date,
    period_end: dt.date,
    sector=None,
    offer: LectureOffer | None = None,
    today: dt.date | None = None,
) -> LectureRequest:
    """The school asks for a guest lecture; the businesses it concerns are told."""
    if not perms.can_edit_institution(by, institution):
        raise PermissionDenied(NOT_THE_SCHOOL)
    today = today or timezone.localdate()
    errors: dict[str, list] = {}
    if programme.institution_id != institution.pk:
        errors["programme"] = [NOT_THEIR_PROGRAMME]
    if not (subject or "").strip():
        errors["subject"] = [SUBJECT_REQUIRED]
    if period_end < period_start:
        errors["period_end"] = [PERIOD_ORDER]
    elif period_end < today:
        errors["period_end"] = [PERIOD_PAST]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = LectureRequest.objects.create(
            institution=institution,
            programme=programme,
            subject=subject.strip(),
            description=description.strip(),
            sector=sector or (offer.sector if offer else None),
            period_start=period_start,
            period_end=period_end,
            offer=offer,
            created_by=by,
        )
        companies = businesses_to_tell(request)
        people = company_people(companies)
        told = 0
        for company_id in companies:
            for person in people.get(company_id, []):
                with speaking_to(person):
                    notify(
                        user=person,
                        kind="lecture.requested",
                        title=str(_("%(school)s asks for a guest lecture: %(subject)s"))
                        % {"school": institution.name, "subject": request.subject},
                        body=str(
                            _(
                                "For students of %(programme)s, between %(start)s and "
                                "%(end)s. Share what you know: accept it and choose a time."
                            )
                        )
                        % {
                            "programme": programme.name,
                            "start": period_start.strftime("%d-%m-%Y"),
                            "end": period_end.strftime("%d-%m-%Y"),
                        },
                        url=request_url(request),
                    )
            told += 1
        request.told = told
        request.save(update_fields=["told"])
        audit_log(
            actor=by,
            action="lecture.requested",
            obj=request,
            changes={"programme": programme.pk, "told": told},
        )
    return request


def request_url(request: LectureRequest) -> str:
    from django.urls import reverse

    return reverse("community:lecture_request", args=[request.pk])


def lecture_request_accept(
    *,
    request: LectureRequest,
    by: User,
    company: Company,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    note: str = "",
) -> Event:
    """A business accepts and names a time within the period: the request becomes the
    school's event (a guest lecture given by the business, for the programme's students)."""
    if not perms.can_edit_company(by, company):
        raise PermissionDenied(NOT_THE_BUSINESS)
    starts_at, ends_at = events.aware(starts_at), events.aware(ends_at)
    local = timezone.localtime(starts_at).date()
    if not request.period_start <= local <= request.period_end:
        raise ValidationError(
            {
                "starts_at": [
                    ValidationError(
                        OUTSIDE_PERIOD,
                        params={
                            "start": request.period_start.strftime("%d-%m-%Y"),
                            "end": request.period_end.strftime("%d-%m-%Y"),
                        },
                    )
                ]
            }
        )
    with transaction.atomic():
        locked = LectureRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != LectureRequest.Status.OPEN:
            raise ValidationError(NOT_OPEN)
        if locked.offer_id and locked.offer.company_id != company.pk:
            raise PermissionDenied(NOT_THE_BUSINESS)
        event = events.create_event(
            by=by,
            institution=locked.institution,
            kind=Event.Kind.GUEST_LECTURE,
            title=locked.subject,
            description="\n\n".join(p for p in (locked.description, note.strip()) if p),
            starts_at=starts_at,
            ends_at=ends_at,
            online=False,
            venue=locked.institution.name,
            audience=Audience.STUDENTS,
            programme=locked.programme,
            sector=locked.sector,
            company=company,
        )
        locked.status = LectureRequest.Status.ACCEPTED
        locked.company = company
        locked.event = event
        locked.accepted_by = by
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["status", "company", "event", "accepted_by", "accepted_at"])
        audit_log(
            actor=by,
            action="lecture.accepted",
            obj=locked,
            changes={"company": company.pk, "event": event.pk},
        )
        for person in _school_people(locked.institution_id):
            with speaking_to(person):
                notify(
                    user=person,
                    kind="lecture.accepted",
                    title=str(_("%(company)s gives the guest lecture %(subject)s"))
                    % {"company": company.name, "subject": locked.subject},
                    body=note.strip(),
                    url=event.get_absolute_url(),
                )
    return event


def lecture_request_close(*, request: LectureRequest, by: User) -> LectureRequest:
    if not perms.can_edit_institution(by, request.institution):
        raise PermissionDenied(NOT_THE_SCHOOL)
    with transaction.atomic():
        locked = LectureRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != LectureRequest.Status.OPEN:
            raise ValidationError(NOT_OPEN)
        locked.status = LectureRequest.Status.CLOSED
        locked.save(update_fields=["status"])
        audit_log(actor=by, action="lecture.closed", obj=locked)
    return locked


def visible_requests(user: User):
    """The requests a person may open: their school's; for a business, those asked of its
    offers or accepted by it, and the open ones of its sector (or of no sector)."""
    if perms.is_operator(user):
        return LectureRequest.objects.all()
    schools = perms.institution_ids(user, perms.SCHOOL_EDITORS)
    companies = perms.company_ids(user, perms.COMPANY_EDITORS)
    q = (
        Q(institution_id__in=schools)
        | Q(company_id__in=companies)
        | Q(offer__company_id__in=companies)
    )
    if companies:
        sectors = set(Company.objects.filter(pk__in=companies).values_list("sector_id", flat=True))
        q |= Q(offer__isnull=True, status=LectureRequest.Status.OPEN) & (
            Q(sector_id__in=sectors) | Q(sector__isnull=True)
        )
    return LectureRequest.objects.filter(q)
