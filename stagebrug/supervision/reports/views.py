"""Report pages: the student's "report something to your school" (with where else to go and
their earlier reports), a report's page (the student reads the status and the school's reply;
the school follows it up), and the school's list. Anyone at the business gets 404 on each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stagebrug.core.forms import add_service_errors, as_id
from stagebrug.internships.selectors import internship_for
from stagebrug.registry.models import Institution
from stagebrug.supervision.reports import permissions as can
from stagebrug.supervision.reports import selectors, services
from stagebrug.supervision.reports.forms import ReportForm, ReportUpdateForm

SCHOOL_PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    internship = internship_for(user=request.user, pk=pk)
    if internship is None or not can.may_file(request.user, internship):
        raise Http404
    window_open = services.may_report(internship)
    form = ReportForm(request.POST or None) if window_open else None
    status = 200
    if request.method == "POST":
        status = 400
        if form is not None and form.is_valid():
            try:
                report = services.report_create(
                    internship=internship,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Sent. Only your school can read your report; not the business.")
                )
                return redirect("supervision:report_detail", report.pk)
    context = {
        "internship": internship,
        "form": form,
        "window_open": window_open,
        "window_days": services.REPORT_WINDOW_DAYS,
        "reports": list(selectors.student_reports(user=request.user, internship=internship)),
    }
    return render(request, "supervision/reports/new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for(user=request.user, pk=pk)
    if report is None:
        raise Http404
    handles = can.can_handle(request.user, report)
    form = None
    status = 200
    if handles and report.state != report.State.CLOSED:
        form = ReportUpdateForm(request.POST or None, report=report)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    services.report_update(
                        report=report,
                        by=request.user,
                        state=form.cleaned_data["state"],
                        reply=form.cleaned_data["reply"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Saved. The student sees the new status."))
                    return redirect("supervision:report_detail", report.pk)
    elif request.method == "POST":
        if not handles:
            raise PermissionDenied  # the student reads their report; the school changes it
        messages.error(request, str(services.ALREADY_CLOSED))
        return redirect("supervision:report_detail", report.pk)
    is_student = bool(report.student_id and report.student_id == request.user.pk)
    context = {"report": report, "form": form, "handles": handles, "is_student": is_student}
    return render(request, "supervision/reports/detail.html", context, status=status)


@login_required
def reports_school(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    if not selectors.reads_school_reports(user=request.user, institution=institution):
        raise Http404
    raw = request.GET.get("stagiair", "")
    internship_id = as_id(raw)
    qs = selectors.school_reports(
        user=request.user, institution=institution, internship_id=internship_id
    )
    page = Paginator(qs, SCHOOL_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"institution": institution, "page": page, "internship_id": internship_id}
    return render(request, "supervision/reports/school_list.html", context)
