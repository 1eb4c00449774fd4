"""Internships API: what each party does on the internship page, with the same services,
rules and messages. Someone without a part in an internship gets 404; a party acting outside
their own part gets 403."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from stagebrug.accounts.api_auth import AUTH
from stagebrug.core.api import Pagination
from stagebrug.core.schemas import ERRORS, Id, SmallInt, Text
from stagebrug.internships import permissions as can
from stagebrug.internships import selectors, services
from stagebrug.internships.models import Internship, Status, StopContact, StopReason
from stagebrug.registry.models import Supervisor

router = Router(tags=["internships"])


# --------------------------------------------------------------------------------------------
# Schemas


class PersonOut(Schema):
    id: int
    name: str
    email: str
    phone: str = ""


class InternshipOut(Schema):
    id: int
    url: str
    status: str = Field(..., description="confirmed, active, completed or stopped")
    source: str = Field(..., description="application (an accepted offer) or round")
    student: str | None = Field(None, description="Empty once the student's account was erased")
    student_email: str | None
    placement_id: int
    placement: str
    company_id: int
    company: str
    programme_id: int
    programme: str
    institution: str = Field(..., description="The school's slug")
    start_date: dt.date
    end_date: dt.date
    hours_per_week: int
    supervisor: PersonOut | None = Field(None, description="The workplace supervisor")
    buddy: PersonOut | None
    school_supervisor: PersonOut | None
    stopped_at: dt.datetime | None
    stop_reason: str
    stop_note: str
    stop_contact: str
    your_roles: list[str] = Field(
        ...,
        description="Your parts in it: student, workplace_supervisor, buddy, business, "
        "school_supervisor, coordinator",
    )

    @staticmethod
    def resolve_url(obj: Internship) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_student(obj: Internship) -> str | None:
        return obj.student.full_name if obj.student else None

    @staticmethod
    def resolve_student_email(obj: Internship) -> str | None:
        return obj.student.email if obj.student else None

    @staticmethod
    def resolve_placement(obj: Internship) -> str:
        return obj.placement.title

    @staticmethod
    def resolve_company_id(obj: Internship) -> int:
        return obj.placement.company_id

    @staticmethod
    def resolve_company(obj: Internship) -> str:
        return obj.placement.company.name

    @staticmethod
    def resolve_programme(obj: Internship) -> str:
        return obj.programme.name

    @staticmethod
    def resolve_institution(obj: Internship) -> str:
        return obj.institution.slug

    @staticmethod
    def resolve_supervisor(obj: Internship) -> dict | None:
        return _supervisor(obj.supervisor)

    @staticmethod
    def resolve_buddy(obj: Internship) -> dict | None:
        return _supervisor(obj.buddy)

    @staticmethod
    def resolve_school_supervisor(obj: Internship) -> dict | None:
        u = obj.school_supervisor
        return None if u is None else {"id": u.pk, "name": u.full_name, "email": u.email}

    @staticmethod
    def resolve_your_roles(obj: Internship, context) -> list[str]:
        return sorted(can.roles(context["request"].user, obj))


class SupervisorsIn(Schema):
    supervisor_id: Id | None = Field(None, description="A supervisor of the company, or null")
    buddy_id: Id | None = None


class SchoolSupervisorIn(Schema):
    user_id: Id | None = Field(None, description="A school supervisor or coordinator, or null")


class DatesIn(Schema):
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    hours_per_week: SmallInt | None = None


class StopIn(Schema):
    reason: str = Field(..., description=", ".join(StopReason.values))
    note: Text
    contact: str = Field(
        ..., description="Who talked it over first: " + ", ".join(StopContact.values)
    )


class TimelineOut(Schema):
    at: dt.datetime
    action: str
    by: str | None
    changes: dict


class Filters(Schema):
    status: str | None = Field(None, description=", ".join(Status.values))
    institution: str | None = Field(None, description="A school's slug")
    programme_id: Id | None = None


# --------------------------------------------------------------------------------------------
# Conversion


def _supervisor(s: Supervisor | None) -> dict | None:
    if s is None:
        return None
    return {"id": s.pk, "name": s.name, "email": s.email, "phone": s.phone}


def _internship(request: HttpRequest, internship_id: int) -> Internship:
    internship = selectors.internship_for(user=request.user, pk=internship_id)
    if internship is None:
        raise Http404
    return internship


def _fresh(request: HttpRequest, internship_id: int) -> Internship:
    return _internship(request, internship_id)


# --------------------------------------------------------------------------------------------
# Endpoints


@router.get("/internships", response=list[InternshipOut], auth=AUTH)
@paginate(Pagination)
def list_internships(request: HttpRequest, filters: Query[Filters]):
    """The internships you play a part in, newest start first."""
    qs = selectors.visible_internships(user=request.user).select_related(*selectors.JOINS)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.institution:
        qs = qs.filter(institution__slug=filters.institution)
    if filters.programme_id:
        qs = qs.filter(programme_id=filters.programme_id)
    return qs


@router.get("/internships/{internship_id}", response={200: InternshipOut, **ERRORS}, auth=AUTH)
def get_internship(request: HttpRequest, internship_id: Id):
    return _fresh(request, internship_id)


@router.put(
    "/internships/{internship_id}/supervisors",
    response={200: InternshipOut, **ERRORS},
    auth=AUTH,
)
def set_supervisors(request: HttpRequest, internship_id: Id, payload: SupervisorsIn):
    """The business names the workplace supervisor and the buddy (both of the company)."""
    internship = _internship(request, internship_id)
    if not can.edit_as_business(request.user, internship):
        raise PermissionDenied
    company_id = internship.placement.company_id

    def supervisor(pk: int | None, field: str) -> Supervisor | None:
        if pk is None:
            return None
        found = Supervisor.objects.filter(pk=pk, company_id=company_id).first()
        if found is None:
            message = services.SUPERVISOR_NOT_OF_COMPANY % {
                "company": internship.placement.company.name
            }
            raise ValidationError({field: [message]})
        return found

    services.internship_set_supervisors(
        internship=internship,
        by=request.user,
        supervisor=supervisor(payload.supervisor_id, "supervisor_id"),
        buddy=supervisor(payload.buddy_id, "buddy_id"),
    )
    return _fresh(request, internship_id)


@router.put(
    "/internships/{internship_id}/school-supervisor",
    response={200: InternshipOut, **ERRORS},
    auth=AUTH,
)
def set_school_supervisor(request: HttpRequest, internship_id: Id, payload: SchoolSupervisorIn):
    """The school assigns its supervisor (stagedocent)."""
    internship = _internship(request, internship_id)
    if not can.manage_as_school(request.user, internship):
        raise PermissionDenied
    teacher = None
    if payload.user_id is not None:
        teacher = (
            selectors.school_staff(institution=internship.institution)
            .filter(pk=payload.user_id)
            .first()
        )
        if teacher is None:
            message = services.SCHOOL_SUPERVISOR_NOT_STAFF % {"school": internship.institution.name}
            raise ValidationError({"user_id": [message]})
    services.internship_assign_school_supervisor(
        internship=internship, by=request.user, school_supervisor=teacher
    )
    return _fresh(request, internship_id)


@router.patch("/internships/{internship_id}", response={200: InternshipOut, **ERRORS}, auth=AUTH)
def update_internship(request: HttpRequest, internship_id: Id, payload: DatesIn):
    """The school changes the dates or hours; what you leave out stays as it is."""
    internship = _internship(request, internship_id)
    services.internship_update(
        internship=internship,
        by=request.user,
        start_date=payload.start_date or internship.start_date,
        end_date=payload.end_date or internship.end_date,
        hours_per_week=internship.hours_per_week
        if payload.hours_per_week is None
        else payload.hours_per_week,
    )
    return _fresh(request, internship_id)


@router.post(
    "/internships/{internship_id}/start", response={200: InternshipOut, **ERRORS}, auth=AUTH
)
def start_internship(request: HttpRequest, internship_id: Id):
    services.internship_start(internship=_internship(request, internship_id), by=request.user)
    return _fresh(request, internship_id)


@router.post(
    "/internships/{internship_id}/complete", response={200: InternshipOut, **ERRORS}, auth=AUTH
)
def complete_internship(request: HttpRequest, internship_id: Id):
    services.internship_complete(internship=_internship(request, internship_id), by=request.user)
    return _fresh(request, internship_id)


@router.post(
    "/internships/{internship_id}/stop", response={200: InternshipOut, **ERRORS}, auth=AUTH
)
def stop_internship(request: HttpRequest, internship_id: Id, payload: StopIn):
    """Stop early, with a reason from the list and what happened (the school or the business)."""
    services.internship_stop(
        internship=_internship(request, internship_id),
        by=request.user,
        reason=payload.reason,
        note=payload.note,
        contact=payload.contact,
    )
    return _fresh(request, internship_id)


@router.get(
    "/internships/{internship_id}/timeline",
    response={200: list[TimelineOut], **ERRORS},
    auth=AUTH,
)
def internship_timeline(request: HttpRequest, internship_id: Id):
    """Who changed what and when (the school that follows the internship)."""
    internship = _internship(request, internship_id)
    if not can.may_read_timeline(request.user, internship):
        raise PermissionDenied
    return [
        {
            "at": e.created_at,
            "action": e.action,
            "by": e.actor.full_name if e.actor else None,
            "changes": e.changes,
        }
        for e in selectors.timeline(internship=internship)
    ]
