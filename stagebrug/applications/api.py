"""Students and applications API: the same services, rules and messages as the pages."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from stagebrug.accounts.api_auth import AUTH
from stagebrug.applications import identity, selectors, services
from stagebrug.applications.models import Application, Interview, Notification
from stagebrug.core.api import Pagination
from stagebrug.core.schemas import ERRORS, Id, ShortText, SmallInt, Text
from stagebrug.placements import selectors as placement_selectors
from stagebrug.registry.models import Programme

router = Router(tags=["students and applications"])


class ProfileIn(Schema):
    programme: Id
    year: SmallInt = 1
    home_postcode: str | None = Field(None, description="Only the four digits are kept")
    available_from: dt.date | None = None
    hours_per_week: SmallInt | None = None
    wanted_activities: Text = ""
    activity_tags: list[ShortText] = Field(default_factory=list, max_length=30)
    skills: Text = ""
    skill_tags: list[ShortText] = Field(default_factory=list, max_length=30)
    languages: list[ShortText] = Field(default_factory=list, max_length=10)
    allowance_needed: Decimal | None = Field(None, ge=0, le=100_000)
    max_travel_km: SmallInt = 20
    discoverable: bool = False
    school_may_add_notes: bool = False


class ProfileOut(Schema):
    programme: int = Field(..., alias="programme_id")
    programme_name: str = Field(..., alias="programme.name")
    year: int
    home_pc4: str | None = Field(None, alias="home_pc4_id")
    available_from: dt.date | None
    hours_per_week: int | None
    wanted_activities: str
    activity_tags: list[str]
    skills: str
    skill_tags: list[str]
    languages: list[str]
    allowance_needed: Decimal | None
    max_travel_km: int
    discoverable: bool
    school_may_add_notes: bool
    has_cv: bool

    @staticmethod
    def resolve_has_cv(obj) -> bool:
        return bool(obj.cv)


class EventOut(Schema):
    from_status: str
    to_status: str
    reason: str
    created_at: dt.datetime


class InterviewOut(Schema):
    id: int
    starts_at: dt.datetime
    duration_minutes: int
    location: str
    note: str
    ics_url: str

    @staticmethod
    def resolve_ics_url(obj: Interview) -> str:
        return f"/gesprekken/{obj.pk}/agenda.ics"


class MessageOut(Schema):
    author: str
    body: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> str:
        if isinstance(obj, dict):  # an application's thread, names already as the reader may see
            return obj["author"]
        return obj.author.full_name if obj.author else ""


class ApplicationOut(Schema):
    id: int
    placement_id: int
    placement: str
    company: str
    student: str
    status: str
    motivation: str
    created_at: dt.datetime
    events: list[EventOut]
    interviews: list[InterviewOut]
    messages: list[MessageOut]

    @staticmethod
    def resolve_placement(obj: Application) -> str:
        return obj.placement.title

    @staticmethod
    def resolve_company(obj: Application) -> str:
        return obj.placement.company.name

    @staticmethod
    def resolve_student(obj: Application, context) -> str:
        """The name, or "Applicant <number>" at an anonymous first look (W2, W14)."""
        return identity.applicant_name(obj, context["request"].user)

    @staticmethod
    def resolve_motivation(obj: Application, context) -> str:
        return "" if identity.hidden_from(obj, context["request"].user) else obj.motivation

    @staticmethod
    def resolve_events(obj: Application):
        return list(obj.events.all())

    @staticmethod
    def resolve_interviews(obj: Application):
        return list(obj.interviews.all())

    @staticmethod
    def resolve_messages(obj: Application, context):
        user = context["request"].user
        return [
            {
                "author": identity.person_name(obj, m.author, user),
                "body": m.body,
                "created_at": m.created_at,
            }
            for m in obj.messages.all()
        ]


class ApplyIn(Schema):
    motivation: Annotated[str, Field(max_length=3000)]


class MoveIn(Schema):
    status: str = Field(..., description="shortlisted, interview, offer or rejected", max_length=20)
    reason: Annotated[str, Field(max_length=2000)] = ""


class ReasonIn(Schema):
    reason: Annotated[str, Field(max_length=2000)] = ""


class InterviewIn(Schema):
    starts_at: dt.datetime
    duration_minutes: SmallInt = 30
    location: ShortText
    note: Annotated[str, Field(max_length=1000)] = ""


class MessageIn(Schema):
    body: Annotated[str, Field(max_length=3000)]


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read: bool

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None


class InternshipOut(Schema):
    id: int
    placement_id: int
    student_id: int
    source: str


@router.get("/students/me/profile", response={200: ProfileOut, **ERRORS}, auth=AUTH)
def get_profile(request: HttpRequest):
    profile = selectors.profile_of(request.user)
    if profile is None:
        raise Http404
    return profile


@router.put("/students/me/profile", response={200: ProfileOut, **ERRORS}, auth=AUTH)
def put_profile(request: HttpRequest, payload: ProfileIn):
    data = payload.dict()
    data["programme"] = Programme.objects.filter(pk=data["programme"]).first()
    return services.profile_submit(user=request.user, by=request.user, **data)


@router.post("/students/me/cv", response={200: ProfileOut, **ERRORS}, auth=AUTH)
def upload_cv(request: HttpRequest, file: File[UploadedFile]):
    profile = selectors.profile_of(request.user)
    if profile is None:
        raise Http404
    services.cv_check_size(file.size)  # before the upload is read into memory
    return services.profile_set_cv(
        profile=profile, by=request.user, name=file.name, content=file.read()
    )


@router.get("/students/me/applications", response=list[ApplicationOut], auth=AUTH)
@paginate(Pagination)
def my_applications(request: HttpRequest):
    return selectors.student_applications(user=request.user).prefetch_related(
        "events", "interviews", "messages__author"
    )


@router.post(
    "/placements/{placement_id}/applications", response={201: ApplicationOut, **ERRORS}, auth=AUTH
)
def apply(request: HttpRequest, placement_id: int, payload: ApplyIn):
    placement = placement_selectors.placement_public(pk=placement_id)
    if placement is None:
        raise Http404
    application = services.application_create(
        student=request.user, placement=placement, motivation=payload.motivation
    )
    return Status(201, selectors.application_for(user=request.user, pk=application.pk))


@router.get("/placements/{placement_id}/applications", response=list[ApplicationOut], auth=AUTH)
@paginate(Pagination)
def placement_applications(request: HttpRequest, placement_id: int):
    placement = placement_selectors.placement_to_edit(user=request.user, pk=placement_id)
    return selectors.placement_applications(placement=placement).prefetch_related(
        "events", "interviews", "messages__author"
    )


def _application(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_for(user=request.user, pk=pk)
    if application is None:
        raise Http404
    return application


@router.get("/applications/{application_id}", response={200: ApplicationOut, **ERRORS}, auth=AUTH)
def get_application(request: HttpRequest, application_id: int):
    return _application(request, application_id)


@router.post(
    "/applications/{application_id}/status", response={200: ApplicationOut, **ERRORS}, auth=AUTH
)
def move(request: HttpRequest, application_id: int, payload: MoveIn):
    """The business: shortlist, offer, or turn down with a reason."""
    application = _application(request, application_id)
    try:
        services.application_move(
            application=application, by=request.user, to=payload.status, reason=payload.reason
        )
    except PermissionDenied:
        raise Http404 from None
    return _application(request, application_id)


@router.post(
    "/applications/{application_id}/interviews", response={201: InterviewOut, **ERRORS}, auth=AUTH
)
def propose_interview(request: HttpRequest, application_id: int, payload: InterviewIn):
    application = _application(request, application_id)
    return Status(
        201, services.interview_propose(application=application, by=request.user, **payload.dict())
    )


@router.get("/interviews/{interview_id}/ics", auth=AUTH)
def interview_ics(request: HttpRequest, interview_id: int):
    interview = get_object_or_404(Interview, pk=interview_id)
    _application(request, interview.application_id)
    return HttpResponse(
        services.interview_ics(interview), content_type="text/calendar; charset=utf-8"
    )


@router.post(
    "/applications/{application_id}/messages", response={201: MessageOut, **ERRORS}, auth=AUTH
)
def send_message(request: HttpRequest, application_id: int, payload: MessageIn):
    application = _application(request, application_id)
    return Status(
        201, services.message_send(application=application, by=request.user, body=payload.body)
    )


@router.post(
    "/applications/{application_id}/withdraw", response={200: ApplicationOut, **ERRORS}, auth=AUTH
)
def withdraw(request: HttpRequest, application_id: int, payload: ReasonIn):
    application = _application(request, application_id)
    services.application_withdraw(application=application, by=request.user, reason=payload.reason)
    return _application(request, application_id)


@router.post(
    "/applications/{application_id}/accept", response={201: InternshipOut, **ERRORS}, auth=AUTH
)
def accept(request: HttpRequest, application_id: int):
    """Accept an offer; refused when the last place was just taken by someone else."""
    application = _application(request, application_id)
    return Status(201, services.offer_accept(application=application, by=request.user))


@router.post(
    "/applications/{application_id}/decline", response={200: ApplicationOut, **ERRORS}, auth=AUTH
)
def decline(request: HttpRequest, application_id: int, payload: ReasonIn):
    application = _application(request, application_id)
    services.offer_decline(application=application, by=request.user, reason=payload.reason)
    return _application(request, application_id)


@router.get("/me/notifications", response=list[NotificationOut], auth=AUTH)
@paginate(Pagination)
def notifications(request: HttpRequest, unread: bool = False):
    qs = Notification.objects.filter(user=request.user)
    if unread:
        qs = qs.filter(read_at=None)
    return qs


@router.post("/me/notifications/read", response={200: dict}, auth=AUTH)
def notifications_read(request: HttpRequest):
    return {"marked": services.notifications_mark_read(user=request.user)}
