"""Attendance pages: the workplace supervisor's "today" (phone-first: a tap per intern), the
internship's attendance page for every party, the student's own report, the hours exports, and
the school's settings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stagebrug.accounts import permissions as perms
from stagebrug.core.csv import csv_response
from stagebrug.core.forms import add_service_errors, as_id, flash_errors
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship
from stagebrug.internships.selectors import internship_for
from stagebrug.registry.models import Company, Institution
from stagebrug.supervision import rules, selectors, services
from stagebrug.supervision.forms import (
    AbsenceForm,
    CalledForm,
    LeaveForm,
    MarkForm,
    SchoolSettingsForm,
)
from stagebrug.supervision.models import Attendance, Mark, SchoolSettings

TODAY_PAGE_SIZE = 30
WEEKS_PAGE_SIZE = 8
EDITS_LEAVE = {can.WORKPLACE_SUPERVISOR, can.BUSINESS, can.SCHOOL_SUPERVISOR, can.COORDINATOR}


def _internship(request: HttpRequest, pk: int) -> Internship:
    internship = internship_for(user=request.user, pk=pk)
    if internship is None:
        raise Http404
    return internship


def _back(request: HttpRequest, default: str) -> str:
    """Back to the page the form was on ("today" or the attendance page)."""
    nxt = request.POST.get("next", "")
    return nxt if nxt in (reverse("supervision:today"), default) else default


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The workplace supervisor's interns today: who was missed first, with the phone number
    and a kind sentence; then a tap per intern to mark the day (W10)."""
    now = timezone.now()
    day = timezone.localdate(now)
    page = Paginator(selectors.supervised_running(user=request.user), TODAY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    interns = selectors.interns_today(internships=list(page.object_list), today=day)
    return render(
        request,
        "supervision/today.html",
        {
            "page": page,
            "interns": interns,
            "missed": [i for i in interns if i.missed],
            "today": day,
            "marks": [(m.value, m.label) for m in rules.SUPERVISOR_MARKS],
            "late_choices": [5, 10, 15, 30, 60],
        },
    )


def _attendance_page(
    request: HttpRequest, internship: Internship, *, status: int = 200, **bound
) -> HttpResponse:
    roles = can.roles(request.user, internship)
    now = timezone.now()
    day = timezone.localdate(now)
    rows = services.week_table(internship, today=day)
    rows.reverse()  # the latest week first
    page = Paginator(rows, WEEKS_PAGE_SIZE).get_page(request.GET.get("page"))
    signed = {s.week: s for s in internship.week_signoffs.all()}
    is_supervisor = can.WORKPLACE_SUPERVISOR in roles and internship.status == "active"
    weeks = [
        (
            row,
            signed.get(row.week),
            is_supervisor
            and services.week_is_over(internship, row.week, day)
            and not row.open_days,
        )
        for row in page.object_list
    ]
    since = min((r.week for r in page.object_list), default=day)
    days = list(selectors.attendance_rows(internship=internship, since=since, until=day))
    is_student = can.STUDENT in roles
    context = {
        "internship": internship,
        "roles": roles,
        "page": page,
        "weeks": weeks,
        "days": sorted(days, key=lambda a: a.date, reverse=True),
        "work_days": list(internship.work_days.all()),
        "leaves": list(internship.leaves.all()),
        "today": day,
        "is_supervisor": is_supervisor,
        "sees_notes": selectors.sees_notes(roles),
        "is_student": is_student and internship.status == "active",
        "may_edit_leave": bool(roles & EDITS_LEAVE) and internship.is_open,
    }
    if context["is_supervisor"]:
        context["mark_form"] = bound.get("mark_form") or MarkForm(initial={"date": day})
    if context["is_student"]:
        context["absence_form"] = bound.get("absence_form") or AbsenceForm(initial={"date": day})
    if context["may_edit_leave"]:
        context["leave_form"] = bound.get("leave_form") or LeaveForm()
    return render(request, "supervision/attendance.html", context, status=status)


@login_required
def attendance_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _attendance_page(request, _internship(request, pk))


@login_required
@require_POST
def attendance_mark(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    if can.WORKPLACE_SUPERVISOR not in can.roles(request.user, internship):
        raise PermissionDenied
    form = MarkForm(request.POST)
    back = _back(request, reverse("supervision:attendance", args=[pk]))
    if form.is_valid():
        try:
            row = services.attendance_mark(
                internship=internship,
                by=request.user,
                day=form.cleaned_data["date"],
                mark=form.cleaned_data["mark"],
                minutes_late=form.cleaned_data["minutes_late"],
            )
        except ValidationError as exc:
            if back == reverse("supervision:today"):
                flash_errors(request, exc)
                return redirect(back)
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s: %(mark)s on %(date)s. Saved.")
                % {
                    "name": internship.student.full_name if internship.student else "",
                    "mark": row.get_mark_display().lower(),
                    "date": row.date.strftime("%d-%m-%Y"),
                },
            )
            return redirect(back)
    elif back == reverse("supervision:today"):
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back)
    return _attendance_page(request, internship, status=400, mark_form=form)


@login_required
@require_POST
def attendance_called(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    form = CalledForm(request.POST)
    back = _back(request, reverse("supervision:attendance", args=[pk]))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back)
    attendance = get_object_or_404(
        Attendance, pk=form.cleaned_data["attendance"], internship=internship
    )
    try:
        services.attendance_called(
            attendance=attendance, by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("Noted that you called. Now mark how the day went."),
        )
    return redirect(back)


@login_required
@require_POST
def absence_report(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    if can.STUDENT not in can.roles(request.user, internship):
        raise PermissionDenied
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            row = services.absence_report(
                internship=internship,
                by=request.user,
                day=form.cleaned_data["date"],
                mark=form.cleaned_data["mark"],
                minutes_late=form.cleaned_data["minutes_late"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if row.mark == Mark.SICK:
                done = _(
                    "Thank you for letting us know. Get well soon! Your workplace supervisor is told."
                )
            else:
                done = _("Thank you for letting us know. Your workplace supervisor is told.")
            messages.success(request, done)
            return redirect("supervision:attendance", pk=pk)
    return _attendance_page(request, internship, status=400, absence_form=form)


@login_required
@require_POST
def leave_add(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    if "remove" in request.POST:
        remove = as_id(request.POST["remove"])
        if remove is None:
            messages.error(request, _("Choose the day off to remove."))
            return redirect("supervision:attendance", pk=pk)
        leave = get_object_or_404(internship.leaves, pk=remove)
        try:
            services.leave_remove(leave=leave, by=request.user)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Removed."))
        return redirect("supervision:attendance", pk=pk)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.leave_add(internship=internship, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved. No one is asked about attendance on those days."))
            return redirect("supervision:attendance", pk=pk)
    return _attendance_page(request, internship, status=400, leave_form=form)


@login_required
@require_POST
def week_signoff(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    try:
        week = dt.date.fromisoformat(request.POST.get("week", ""))
    except ValueError:
        messages.error(request, _("Choose the week to sign off."))
        return redirect("supervision:attendance", pk=pk)
    try:
        services.week_signoff(internship=internship, by=request.user, week=week)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Week signed off."))
    return redirect("supervision:attendance", pk=pk)


# --------------------------------------------------------------------------------------------
# The hours record (CSV): per internship and per business


def _header() -> list[str]:
    return [
        _("Week (Monday)"),
        _("Kind of week"),
        _("Planned days"),
        _("Planned hours"),
        _("Workplace hours"),
        _("Present"),
        _("Late"),
        _("Absent or no word"),
        _("Sick"),
        _("Day off"),
        _("Signed off by"),
        _("Signed off on"),
    ]


def _kind_label(kind: str) -> str:
    return {"work": _("supervised week"), "sick": _("sick week"), "holiday": _("holiday week")}[
        kind
    ]


def _week_cells(row: rules.WeekRow, signoff) -> list[str]:
    # A signed-off week shows the hours as signed.
    hours = signoff.hours if signoff else row.hours
    return [
        row.week.isoformat(),
        _kind_label(row.kind),
        str(row.planned_days),
        f"{row.planned_hours:.2f}",
        f"{hours:.2f}",
        str(row.counts[Mark.PRESENT]),
        str(row.counts[Mark.LATE]),
        str(row.counts[Mark.ABSENT] + row.counts[Mark.NO_WORD]),
        str(row.counts[Mark.SICK]),
        str(row.counts[Mark.DAY_OFF]),
        signoff.signed_by_name if signoff else "",
        timezone.localtime(signoff.signed_at).date().isoformat() if signoff else "",
    ]


@login_required
def hours_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Supervised weeks and workplace hours of one internship, a row a week."""
    internship = _internship(request, pk)
    day = timezone.localdate()
    signed = {s.week: s for s in internship.week_signoffs.all()}
    response, writer = csv_response(f"uren-stage-{internship.pk}.csv")
    writer.writerow(_header())
    for row in services.week_table(internship, today=day):
        writer.writerow(_week_cells(row, signed.get(row.week)))
    return response


@login_required
def company_hours_export(request: HttpRequest, company_id: int) -> HttpResponse:
    """Every intern of a business, a row a week: the record a BBL host keeps for the
    Subsidieregeling praktijkleren (kept five years)."""
    company = get_object_or_404(Company, pk=company_id)
    if not perms.can_edit_company(request.user, company):
        raise Http404
    day = timezone.localdate()
    response, writer = csv_response(f"uren-{company.pk}.csv")
    writer.writerow([_("Student"), _("Programme"), _("Placement"), *_header()])
    for internship in selectors.company_hours_internships(company_id=company.pk):
        name = internship.student.full_name if internship.student else _("(erased)")
        signed = {s.week: s for s in internship.week_signoffs.all()}
        for row in services.week_table(internship, today=day):
            writer.writerow(
                [
                    name,
                    internship.programme.name,
                    internship.placement.title,
                    *_week_cells(row, signed.get(row.week)),
                ]
            )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def school_settings(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    if not perms.can_edit_institution(request.user, institution):
        raise Http404
    current = SchoolSettings.objects.filter(institution=institution).first() or SchoolSettings(
        institution=institution
    )
    form = SchoolSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.school_settings_save(institution=institution, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("supervision:school_settings", slug=slug)
    return render(
        request,
        "supervision/school_settings.html",
        {"institution": institution, "form": form},
        status=400 if form.errors else 200,
    )
