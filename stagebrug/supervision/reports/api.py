"""Confidential reports API: the student files and reads their own reports; the school lists,
reads and follows them up. The same services, rules and messages as the pages. Anyone at the
business, and anyone else who may not read a report, gets 404: the API does not even say that
a report exists."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from stagebrug.accounts.api_auth import AUTH
from stagebrug.core.api import Pagination
from stagebrug.core.schemas import ERRORS, Id
from stagebrug.internships.selectors import internship_for
from stagebrug.supervision.models import Report
from stagebrug.supervision.reports import permissions as can
from stagebrug.supervision.reports import selectors, services

router = Router(tags=["supervision"])


class ReportOut(Schema):
    id: int
    internship_id: int
    kind: str = Field(..., description="discrimination, intimidation, unsafe or other")
    state: str = Field(..., description="new, acknowledged, in_progress or closed")
    state_label: str
    text: str
    reply: str = Field(..., description="The school's message to the student")
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    closed_at: dt.datetime | None
    student_name: str | None = Field(None, description="For the school; null once erased")

    @staticmethod
    def resolve_state_label(report: Report) -> str:
        return str(report.get_state_display())

    @staticmethod
    def resolve_student_name(report: Report) -> str | None:
        return report.student.full_name if report.student else None


class ReportIn(Schema):
    kind: str = Field(..., max_length=16)
    text: str = Field(..., max_length=services.TEXT_MAX)


class ReportUpdateIn(Schema):
    state: str = Field(..., max_length=12)
    reply: str = Field("", max_length=services.REPLY_MAX)


def _report(request: HttpRequest, pk: int) -> Report:
    report = selectors.report_for(user=request.user, pk=pk)
    if report is None:
        raise Http404
    return report


@router.get("/reports", response=list[ReportOut], auth=AUTH)
@paginate(Pagination)
def list_reports(request: HttpRequest):
    """The reports you may read: your own, or your school's. Open ones first."""
    return selectors.visible_reports(user=request.user)


@router.post("/internships/{internship_id}/reports", response={201: ReportOut, **ERRORS}, auth=AUTH)
def create_report(request: HttpRequest, internship_id: Id, payload: ReportIn):
    """The internship's student sends a confidential report to their school."""
    internship = internship_for(user=request.user, pk=internship_id)
    if internship is None or not can.may_file(request.user, internship):
        raise Http404  # as the page: only the student has a form here
    report = services.report_create(
        internship=internship, by=request.user, kind=payload.kind, text=payload.text
    )
    return Status(201, _report(request, report.pk))


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, auth=AUTH)
def get_report(request: HttpRequest, report_id: Id):
    return _report(request, report_id)


@router.patch("/reports/{report_id}", response={200: ReportOut, **ERRORS}, auth=AUTH)
def update_report(request: HttpRequest, report_id: Id, payload: ReportUpdateIn):
    """The school moves the report on and/or writes to the student (the student gets 403)."""
    report = _report(request, report_id)
    services.report_update(report=report, by=request.user, state=payload.state, reply=payload.reply)
    return _report(request, report_id)
