"""Community API: events and sign-up, guest lectures both ways, the partnership record and
aftercare. The same services, rules and messages as the pages; what one may not see is a 404,
what one may see but not do a 403."""

import datetime as dt

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.api_auth import AUTH
from stagebrug.community import events as event_services
from stagebrug.community import selectors
from stagebrug.community.aftercare import services as aftercare
from stagebrug.community.lectures import services as lectures
from stagebrug.community.models import JobOffer, LectureOffer, LectureRequest, Registration
from stagebrug.community.partnership import selectors as partnership
from stagebrug.core.api import Pagination
from stagebrug.core.schemas import ERRORS, Id
from stagebrug.internships.models import Internship
from stagebrug.internships.selectors import internship_for
from stagebrug.registry.models import Company, Institution, Programme, SectorCode

router = Router(tags=["community"])


class EventOut(Schema):
    id: int = Field(..., alias="pk")
    kind: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    online: bool
    place: str
    audience: str
    school: str | None
    programme_id: int | None
    capacity: int | None
    taken: int = 0
    state: str

    @staticmethod
    def resolve_place(obj) -> str:
        return obj.place_line

    @staticmethod
    def resolve_school(obj) -> str | None:
        return obj.institution.slug if obj.institution_id else None


class EventFilter(Schema):
    kind: str | None = None
    audience: str | None = Field(None, description="businesses or students")
    school: str | None = Field(None, description="A school's slug")
    programme: int | None = Field(None, ge=1, le=2**53)
    past: bool = False


class EventIn(Schema):
    school: str | None = Field(None, description="Your school's slug; empty: the operator's own")
    kind: str = Field(..., description="network, guest_lecture, open_day or meet_and_match")
    title: str = Field(..., max_length=140)
    description: str = Field(..., max_length=4000)
    starts_at: dt.datetime
    ends_at: dt.datetime
    online: bool = False
    online_url: str = Field("", max_length=200)
    venue: str = Field("", max_length=140)
    street: str = Field("", max_length=140)
    postcode: str = Field("", max_length=7)
    city: str = Field("", max_length=80)
    audience: str = Field("both", description="businesses, students or both")
    capacity: int | None = Field(None, ge=1, le=100_000)


class RegistrationOut(Schema):
    id: int = Field(..., alias="pk")
    event_id: int
    status: str = Field(..., description="confirmed, waiting or cancelled")
    name: str
    company_id: int | None
    attended_at: dt.datetime | None


class SignUpIn(Schema):
    company: int | None = Field(None, ge=1, le=2**53, description="The business you come for")


class AttendanceIn(Schema):
    present: bool


@router.get("/events", response=list[EventOut])
@paginate(Pagination)
def list_events(request: HttpRequest, filters: Query[EventFilter]):
    """Published events, the next first (public)."""
    school = Institution.objects.filter(slug=filters.school).first() if filters.school else None
    programme = (
        Programme.objects.filter(pk=filters.programme).first() if filters.programme else None
    )
    return selectors.EventRows(
        selectors.events(
            kind=filters.kind,
            audience=filters.audience,
            institution=school,
            programme=programme,
            past=filters.past,
        )
    )


def _event(pk: int):
    found = selectors.event_for(pk)
    if found is None:
        raise Http404
    return found


@router.get("/events/{event_id}", response={200: EventOut, **ERRORS})
def get_event(request: HttpRequest, event_id: Id):
    return _event(event_id)


@router.post("/events", response={201: EventOut, **ERRORS}, auth=AUTH)
def publish_event(request: HttpRequest, payload: EventIn):
    """A school's coordinator (or the operator) publishes an event."""
    data = payload.dict()
    slug = data.pop("school")
    school = None
    if slug:
        school = Institution.objects.filter(slug=slug).first()
        if school is None:
            raise Http404
    event = event_services.event_publish(by=request.user, institution=school, **data)
    return Status(201, _event(event.pk))


@router.post(
    "/events/{event_id}/registrations", response={201: RegistrationOut, **ERRORS}, auth=AUTH
)
def sign_up(request: HttpRequest, event_id: Id, payload: SignUpIn):
    """Take a place, or a place on the waiting list when the event is full."""
    company = None
    if payload.company is not None:
        company = Company.objects.filter(pk=payload.company).first()
        if company is None:
            raise Http404
    registration = event_services.event_sign_up(
        event=_event(event_id), by=request.user, company=company
    )
    return Status(201, registration)


@router.delete(
    "/events/{event_id}/registration", response={200: RegistrationOut, **ERRORS}, auth=AUTH
)
def cancel_place(request: HttpRequest, event_id: Id):
    """Give up your place; the first one waiting moves up."""
    event = _event(event_id)
    registration = selectors.registration_of(request.user, event)
    if registration is None:
        raise Http404
    return event_services.registration_cancel(registration=registration, by=request.user)


@router.get(
    "/events/{event_id}/attendees", response={200: list[RegistrationOut], **ERRORS}, auth=AUTH
)
def attendees(request: HttpRequest, event_id: Id):
    """The list at the door (organisers)."""
    event = _event(event_id)
    if not event_services.organises(request.user, event):
        raise Http404
    return list(selectors.door_list(event))


@router.put(
    "/events/{event_id}/attendees/{registration_id}",
    response={200: RegistrationOut, **ERRORS},
    auth=AUTH,
)
def mark_attendance(request: HttpRequest, event_id: Id, registration_id: Id, payload: AttendanceIn):
    event = _event(event_id)
    if not event_services.organises(request.user, event):
        raise Http404
    registration = get_object_or_404(Registration, pk=registration_id, event=event)
    return event_services.attendance_mark(
        registration=registration, by=request.user, present=payload.present
    )


# --------------------------------------------------------------------------------------------
# Guest lectures


class LectureRequestOut(Schema):
    id: int = Field(..., alias="pk")
    school: str
    programme_id: int
    subject: str
    description: str
    period_start: dt.date
    period_end: dt.date
    status: str
    company_id: int | None
    event_id: int | None

    @staticmethod
    def resolve_school(obj) -> str:
        return obj.institution.slug


class LectureRequestIn(Schema):
    school: str
    programme: int = Field(..., ge=1, le=2**53)
    subject: str = Field(..., max_length=140)
    description: str = Field("", max_length=3000)
    period_start: dt.date
    period_end: dt.date
    sector: str | None = Field(None, max_length=8, description="SBI code: its businesses are told")
    offer: int | None = Field(None, ge=1, le=2**53, description="Ask one business's offer")


class AcceptIn(Schema):
    company: int = Field(..., ge=1, le=2**53)
    starts_at: dt.datetime
    ends_at: dt.datetime
    note: str = Field("", max_length=1000)


@router.get("/lecture-requests", response=list[LectureRequestOut], auth=AUTH)
@paginate(Pagination)
def list_lecture_requests(request: HttpRequest):
    """The requests you may answer or that your school made."""
    return (
        lectures.visible_requests(request.user)
        .select_related("institution")
        .order_by("period_start", "pk")
    )


@router.post("/lecture-requests", response={201: LectureRequestOut, **ERRORS}, auth=AUTH)
def ask_for_lecture(request: HttpRequest, payload: LectureRequestIn):
    school = Institution.objects.filter(slug=payload.school).first()
    programme = Programme.objects.filter(pk=payload.programme).first()
    sector = SectorCode.objects.filter(pk=payload.sector).first() if payload.sector else None
    offer = (
        LectureOffer.objects.filter(pk=payload.offer, is_active=True).first()
        if payload.offer
        else None
    )
    if school is None or programme is None or (payload.sector and sector is None):
        raise Http404
    if payload.offer and offer is None:
        raise Http404
    made = lectures.lecture_request_create(
        institution=school,
        by=request.user,
        programme=programme,
        subject=payload.subject,
        description=payload.description,
        period_start=payload.period_start,
        period_end=payload.period_end,
        sector=sector,
        offer=offer,
    )
    return Status(201, made)


@router.post("/lecture-requests/{request_id}/accept", response={201: EventOut, **ERRORS}, auth=AUTH)
def accept_lecture(request: HttpRequest, request_id: Id, payload: AcceptIn):
    found = lectures.visible_requests(request.user).filter(pk=request_id).first()
    company = Company.objects.filter(pk=payload.company).first()
    if found is None or company is None:
        raise Http404
    event = lectures.lecture_request_accept(
        request=LectureRequest.objects.select_related("institution", "offer").get(pk=found.pk),
        by=request.user,
        company=company,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        note=payload.note,
    )
    return Status(201, _event(event.pk))


# --------------------------------------------------------------------------------------------
# Partnership record


class YearOut(Schema):
    school_year: str
    placements: int
    positions: int
    interns: int
    completed: int
    stopped: int
    passed: int
    not_passed: int
    lectures: int
    events: int


class RecordOut(Schema):
    school: str
    years: list[YearOut]


def _years(record) -> list[dict]:
    return [
        {"school_year": y.label} | {name: getattr(y, name) for name in partnership.MEASURES}
        for y in record.years
    ]


@router.get(
    "/companies/{company_id}/partnership", response={200: list[RecordOut], **ERRORS}, auth=AUTH
)
def company_partnership(request: HttpRequest, company_id: Id):
    """The business's record per school and school year (its owners and colleagues)."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not perms.can_view_company_private(request.user, company):
        raise Http404
    return [
        {"school": r.institution.slug, "years": _years(r)}
        for r in partnership.company_record(company=company)
    ]


# --------------------------------------------------------------------------------------------
# Aftercare


class KeepInTouchIn(Schema):
    share_email: bool = False
    side_job: bool = False
    first_job: bool = False
    graduation: dt.date | None = None


class KeepInTouchOut(Schema):
    share_email: bool
    side_job: bool
    first_job: bool
    graduation: dt.date | None
    agreed_at: dt.datetime
    withdrawn_at: dt.datetime | None


class JobOfferIn(Schema):
    kind: str = Field(..., description="side_job or job")
    message: str = Field(..., max_length=2000)


class JobOfferOut(Schema):
    id: int = Field(..., alias="pk")
    internship_id: int
    kind: str
    message: str
    sent_at: dt.datetime
    answer: str


class AnswerIn(Schema):
    answer: str = Field(..., description="interested or declined")


def _internship(request: HttpRequest, pk: int) -> Internship:
    found = internship_for(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


@router.put(
    "/internships/{internship_id}/keep-in-touch",
    response={200: KeepInTouchOut, **ERRORS},
    auth=AUTH,
)
def keep_in_touch(request: HttpRequest, internship_id: Id, payload: KeepInTouchIn):
    """The student keeps in touch with the business, sharing what they choose."""
    return aftercare.keep_in_touch_save(
        internship=_internship(request, internship_id), by=request.user, **payload.dict()
    )


@router.delete(
    "/internships/{internship_id}/keep-in-touch", response={204: None, **ERRORS}, auth=AUTH
)
def stop_keeping_in_touch(request: HttpRequest, internship_id: Id):
    aftercare.keep_in_touch_withdraw(
        internship=_internship(request, internship_id), by=request.user
    )
    return Status(204, None)


class FormerInternOut(Schema):
    internship_id: int
    name: str
    email: str | None
    side_job: bool
    first_job: bool
    graduation: dt.date | None


@router.get(
    "/companies/{company_id}/former-interns",
    response={200: list[FormerInternOut], **ERRORS},
    auth=AUTH,
)
def former_interns(request: HttpRequest, company_id: Id):
    """Former interns who agreed to keep in touch, with only what they chose to share."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not aftercare.is_the_business(request.user, company.pk):
        raise Http404
    return [
        {
            "internship_id": k.internship_id,
            "name": k.internship.student.full_name,
            "email": k.internship.student.email if k.share_email else None,
            "side_job": k.side_job,
            "first_job": k.first_job,
            "graduation": k.graduation,
        }
        for k in aftercare.former_interns(company=company)
    ]


@router.post(
    "/internships/{internship_id}/job-offers", response={201: JobOfferOut, **ERRORS}, auth=AUTH
)
def send_job_offer(request: HttpRequest, internship_id: Id, payload: JobOfferIn):
    """The business offers a side job (also during the internship) or a job."""
    internship = (
        Internship.objects.select_related("placement__company", "student")
        .filter(pk=internship_id)
        .first()
    )
    if internship is None or not perms.can_view_company_private(
        request.user, internship.placement.company
    ):
        raise Http404
    offer = aftercare.job_offer_send(
        internship=internship, by=request.user, kind=payload.kind, message=payload.message
    )
    return Status(201, offer)


@router.post("/job-offers/{offer_id}/answer", response={200: JobOfferOut, **ERRORS}, auth=AUTH)
def answer_job_offer(request: HttpRequest, offer_id: Id, payload: AnswerIn):
    offer = (
        JobOffer.objects.select_related("internship__placement__company")
        .filter(pk=offer_id, internship__student=request.user)
        .first()
    )
    if offer is None:
        raise Http404
    return aftercare.job_offer_answer(offer=offer, by=request.user, answer=payload.answer)
