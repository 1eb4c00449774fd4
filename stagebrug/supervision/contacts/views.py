"""Contact moment pages: an internship's moments (with reschedule, record, add and cancel for
whoever may), one moment's calendar file, and the coordinator's compliance list. Outsiders get
404; a party who may read but not change gets 403 on a change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stagebrug.core.forms import add_service_errors
from stagebrug.internships import permissions as internship_roles
from stagebrug.internships.models import Internship
from stagebrug.registry.models import Institution
from stagebrug.supervision.contacts import permissions as can
from stagebrug.supervision.contacts import selectors, services
from stagebrug.supervision.contacts.forms import AddForm, CancelForm, RecordForm, RescheduleForm
from stagebrug.supervision.models import ContactMoment

COMPLIANCE_PAGE_SIZE = 25


def _page(
    request: HttpRequest,
    internship: Internship,
    *,
    bound: dict[tuple[int, str], Form] | None = None,
    add_form: AddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    now = timezone.now()
    plans = can.may_plan(request.user, internship)
    records = can.may_record(request.user, internship)
    moments = list(selectors.moments_of(internship=internship))
    active = [m for m in moments if m.cancelled_at is None]
    rows = []
    for m in moments:
        open_ = m.cancelled_at is None and m.held_at is None
        rows.append(
            {
                "moment": m,
                "past": m.planned_at <= now,
                "move_form": (
                    bound.get((m.pk, "move")) or RescheduleForm.for_moment(m)
                    if plans and open_ and m.planned_at > now
                    else None
                ),
                "cancel_form": (
                    bound.get((m.pk, "cancel")) or CancelForm.for_moment(m)
                    if plans and open_ and len(active) > services.MINIMUM
                    else None
                ),
                "record_form": (
                    bound.get((m.pk, "record")) or RecordForm.for_moment(m)
                    if records and m.cancelled_at is None and m.planned_at <= now
                    else None
                ),
            }
        )
    context = {
        "internship": internship,
        "roles": internship_roles.roles(request.user, internship),
        "rows": rows,
        "add_form": (add_form or AddForm()) if plans else None,
        "may_plan": plans,
        "minimum": services.MINIMUM,
        "on_site_count": sum(1 for m in active if m.on_site),
        "active_count": len(active),
    }
    return render(request, "supervision/contacts/page.html", context, status=status)


def _internship(request: HttpRequest, pk: int) -> Internship:
    internship = selectors.internship_with_moments(user=request.user, pk=pk)
    if internship is None:
        raise Http404
    return internship


def _moment(request: HttpRequest, pk: int, moment_pk: int) -> ContactMoment:
    moment = selectors.moment_for(user=request.user, internship_pk=pk, pk=moment_pk)
    if moment is None:
        raise Http404
    return moment


@login_required
@require_GET
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _internship(request, pk))


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    if not can.may_plan(request.user, internship):
        raise PermissionDenied
    form = AddForm(request.POST)
    if form.is_valid():
        try:
            services.contact_moment_add(
                internship=internship,
                by=request.user,
                planned_at=form.planned_at(),
                on_site=form.cleaned_data["on_site"],
                location=form.cleaned_data["location"],
            )
        except ValidationError as exc:
            add_service_errors(form, _as_date_errors(exc))
        else:
            messages.success(request, _("Planned. All three get an invitation for their calendar."))
            return redirect("supervision:contacts", internship.pk)
    return _page(request, internship, add_form=form, status=400)


@login_required
@require_POST
def contact_reschedule(request: HttpRequest, pk: int, moment_pk: int) -> HttpResponse:
    moment = _moment(request, pk, moment_pk)
    internship = moment.internship
    if not can.may_plan(request.user, internship):
        raise PermissionDenied
    form = RescheduleForm.for_moment(moment, request.POST)
    if form.is_valid():
        try:
            services.contact_moment_reschedule(
                moment=moment,
                by=request.user,
                planned_at=form.planned_at(),
                on_site=form.cleaned_data["on_site"],
                location=form.cleaned_data["location"],
            )
        except ValidationError as exc:
            add_service_errors(form, _as_date_errors(exc))
        else:
            messages.success(request, _("Moved. All three get the new time for their calendar."))
            return redirect("supervision:contacts", internship.pk)
    return _page(request, internship, bound={(moment.pk, "move"): form}, status=400)


@login_required
@require_POST
def contact_record(request: HttpRequest, pk: int, moment_pk: int) -> HttpResponse:
    moment = _moment(request, pk, moment_pk)
    internship = moment.internship
    if not can.may_record(request.user, internship):
        raise PermissionDenied
    form = RecordForm.for_moment(moment, request.POST)
    if form.is_valid():
        try:
            services.contact_moment_record(
                moment=moment,
                by=request.user,
                agreed=form.cleaned_data["agreed"],
                next_steps=form.cleaned_data["next_steps"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved. Student and supervisors can read the record."))
            return redirect("supervision:contacts", internship.pk)
    return _page(request, internship, bound={(moment.pk, "record"): form}, status=400)


@login_required
@require_POST
def contact_cancel(request: HttpRequest, pk: int, moment_pk: int) -> HttpResponse:
    moment = _moment(request, pk, moment_pk)
    internship = moment.internship
    if not can.may_plan(request.user, internship):
        raise PermissionDenied
    form = CancelForm.for_moment(moment, request.POST)
    if form.is_valid():
        try:
            services.contact_moment_cancel(moment=moment, by=request.user, confirm=True)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Cancelled. All three are told."))
            return redirect("supervision:contacts", internship.pk)
    return _page(request, internship, bound={(moment.pk, "cancel"): form}, status=400)


@login_required
@require_GET
def contact_ics(request: HttpRequest, pk: int, moment_pk: int) -> HttpResponse:
    moment = _moment(request, pk, moment_pk)
    response = HttpResponse(
        services.moment_ics(moment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="contactmoment-{moment.pk}.ics"'
    return response


@login_required
@require_GET
def contacts_compliance(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    if not selectors.reads_compliance(user=request.user, institution=institution):
        raise Http404
    now = timezone.now()
    qs = selectors.compliance(institution=institution, now=now)
    page = Paginator(qs, COMPLIANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "institution": institution,
        "page": page,
        "minimum": services.MINIMUM,
        "now": now,
    }
    return render(request, "supervision/contacts/compliance.html", context)


def _as_date_errors(exc: ValidationError) -> ValidationError:
    """The services name `planned_at`; the form asks for a day and a time."""
    if hasattr(exc, "error_dict") and "planned_at" in exc.error_dict:
        errors = dict(exc.error_dict)
        errors["date"] = errors.pop("planned_at")
        return ValidationError(errors)
    return exc
