"""Contact moments API: list an internship's moments; add, reschedule, record and cancel. The
same services, rules and messages as the page; someone without a part in the internship gets
404, a party who may read but not change gets 403."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from stagebrug.accounts.api_auth import AUTH
from stagebrug.core.schemas import ERRORS, Id, ShortText
from stagebrug.internships.models import Internship
from stagebrug.supervision.contacts import selectors, services
from stagebrug.supervision.models import ContactMoment

router = Router(tags=["supervision"])


class MomentOut(Schema):
    id: int
    kind: str = Field(..., description="start, middle, end or extra")
    planned_at: dt.datetime
    duration_minutes: int
    on_site: bool
    location: str
    sequence: int = Field(..., description="The SEQUENCE of its calendar invitation")
    held_at: dt.datetime | None
    agreed: str
    next_steps: str
    cancelled_at: dt.datetime | None


class WhenIn(Schema):
    planned_at: dt.datetime = Field(..., description="Without an offset: Europe/Amsterdam")
    on_site: bool | None = None
    location: ShortText | None = None
    duration_minutes: int | None = Field(None, ge=0, le=32767)


class AddIn(WhenIn):
    on_site: bool = False
    location: ShortText = ""
    duration_minutes: int = Field(45, ge=0, le=32767)


class RecordIn(Schema):
    agreed: str = Field(..., max_length=6000)
    next_steps: str = Field("", max_length=6000)


class CancelIn(Schema):
    confirm: bool = Field(..., description="true: yes, cancel it")


def _out(moment: ContactMoment) -> dict:
    return {
        "id": moment.pk,
        "kind": moment.kind,
        "planned_at": moment.planned_at,
        "duration_minutes": moment.duration_minutes,
        "on_site": moment.on_site,
        "location": moment.location,
        "sequence": moment.sequence,
        "held_at": moment.held_at,
        "agreed": moment.agreed,
        "next_steps": moment.next_steps,
        "cancelled_at": moment.cancelled_at,
    }


def _internship(request: HttpRequest, internship_id: int) -> Internship:
    internship = selectors.internship_with_moments(user=request.user, pk=internship_id)
    if internship is None:
        raise Http404
    return internship


def _moment(request: HttpRequest, internship_id: int, moment_id: int) -> ContactMoment:
    moment = selectors.moment_for(user=request.user, internship_pk=internship_id, pk=moment_id)
    if moment is None:
        raise Http404
    return moment


@router.get(
    "/internships/{internship_id}/contact-moments",
    response={200: list[MomentOut], **ERRORS},
    auth=AUTH,
)
def list_moments(request: HttpRequest, internship_id: Id):
    internship = _internship(request, internship_id)
    return [_out(m) for m in selectors.moments_of(internship=internship)]


@router.post(
    "/internships/{internship_id}/contact-moments",
    response={201: MomentOut, **ERRORS},
    auth=AUTH,
)
def add_moment(request: HttpRequest, internship_id: Id, payload: AddIn):
    """An extra contact moment; all three get its calendar invitation."""
    moment = services.contact_moment_add(
        internship=_internship(request, internship_id),
        by=request.user,
        planned_at=payload.planned_at,
        on_site=payload.on_site,
        location=payload.location,
        duration_minutes=payload.duration_minutes,
    )
    return Status(201, _out(moment))


@router.post(
    "/internships/{internship_id}/contact-moments/{moment_id}/reschedule",
    response={200: MomentOut, **ERRORS},
    auth=AUTH,
)
def reschedule_moment(request: HttpRequest, internship_id: Id, moment_id: Id, payload: WhenIn):
    """Move a moment; its invitation's sequence goes up and all three get the new one."""
    moment = services.contact_moment_reschedule(
        moment=_moment(request, internship_id, moment_id),
        by=request.user,
        planned_at=payload.planned_at,
        on_site=payload.on_site,
        location=payload.location,
        duration_minutes=payload.duration_minutes,
    )
    return _out(moment)


@router.post(
    "/internships/{internship_id}/contact-moments/{moment_id}/record",
    response={200: MomentOut, **ERRORS},
    auth=AUTH,
)
def record_moment(request: HttpRequest, internship_id: Id, moment_id: Id, payload: RecordIn):
    """What was agreed and the next steps, once the moment's time has come."""
    moment = services.contact_moment_record(
        moment=_moment(request, internship_id, moment_id),
        by=request.user,
        agreed=payload.agreed,
        next_steps=payload.next_steps,
    )
    return _out(moment)


@router.post(
    "/internships/{internship_id}/contact-moments/{moment_id}/cancel",
    response={200: MomentOut, **ERRORS},
    auth=AUTH,
)
def cancel_moment(request: HttpRequest, internship_id: Id, moment_id: Id, payload: CancelIn):
    """Cancel a planned moment (at least three remain, one of them at the workplace)."""
    moment = services.contact_moment_cancel(
        moment=_moment(request, internship_id, moment_id),
        by=request.user,
        confirm=payload.confirm,
    )
    return _out(moment)
