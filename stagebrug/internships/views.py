"""Internship pages: one page per internship that each party sees from their own side, the
coordinator's list of the school's internships, the company's list of its interns, and the
forms each party uses for its own part."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from stagebrug.applications.services import support_notes_for
from stagebrug.core.forms import add_service_errors, flash_errors
from stagebrug.internships import hooks, selectors, services
from stagebrug.internships import permissions as can
from stagebrug.internships.forms import (
    DatesForm,
    FilterForm,
    SchoolSupervisorForm,
    StopForm,
    SupervisorsForm,
)
from stagebrug.internships.models import Internship, Status
from stagebrug.registry.decorators import company_view, institution_manage_view
from stagebrug.registry.models import Company, Institution, Supervisor

PAGE_SIZE = 25
TIMELINE_LABELS = {
    "internship.confirmed": gettext_lazy("Internship confirmed"),
    "internship.supervisors": gettext_lazy("Workplace supervisor or buddy changed"),
    "internship.school_supervisor": gettext_lazy("School supervisor assigned"),
    "internship.updated": gettext_lazy("Dates or hours changed"),
    "internship.started": gettext_lazy("Internship started"),
    "internship.completed": gettext_lazy("Internship completed"),
    "internship.stopped": gettext_lazy("Internship stopped early"),
    "internship.anonymised": gettext_lazy("The student's account was erased"),
}


def _internship(request: HttpRequest, pk: int) -> Internship:
    internship = selectors.internship_for(user=request.user, pk=pk)
    if internship is None:
        raise Http404
    return internship


def _supervisors(internship: Internship):
    return Supervisor.objects.filter(company_id=internship.placement.company_id).order_by(
        "name", "pk"
    )


@login_required
def internship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _internship(request, pk))


def _detail_page(
    request: HttpRequest, internship: Internship, *, status: int = 200, **bound: object
) -> HttpResponse:
    """The internship as the person sees it from their part: who to go to for everyone; the
    support notes for the workplace supervisor only (W14); the forms of their own part (bound
    with errors after a refused change); the timeline for the school."""
    roles = can.roles(request.user, internship)
    links = [
        link
        for found in hooks.page_links.call_each(internship=internship, user=request.user)
        for link in found
    ]
    cards = [
        card
        for found in hooks.page_cards.call_each(internship=internship, user=request.user)
        for card in found
    ]
    context: dict = {"internship": internship, "roles": roles, "links": links, "cards": cards}
    if can.WORKPLACE_SUPERVISOR in roles and internship.student_id:
        profile = getattr(internship.student, "student_profile", None)
        context["notes"] = support_notes_for(request.user, profile)
    if internship.is_open and can.edit_as_business(request.user, internship):
        context["supervisors_form"] = bound.get("supervisors_form") or SupervisorsForm(
            supervisors=_supervisors(internship),
            initial={"supervisor": internship.supervisor_id, "buddy": internship.buddy_id},
        )
    if internship.is_open and can.manage_as_school(request.user, internship):
        context["school_form"] = bound.get("school_form") or SchoolSupervisorForm(
            staff=selectors.school_staff(institution=internship.institution),
            initial={"school_supervisor": internship.school_supervisor_id},
        )
        context["dates_form"] = bound.get("dates_form") or DatesForm(internship=internship)
        context["may_start"] = internship.status == Status.CONFIRMED
        context["may_complete"] = internship.status == Status.ACTIVE
    context["may_stop"] = internship.is_open and (
        can.manage_as_school(request.user, internship)
        or can.edit_as_business(request.user, internship)
    )
    if can.may_read_timeline(request.user, internship):
        events = list(selectors.timeline(internship=internship))
        for event in events:
            event.label = TIMELINE_LABELS.get(event.action, event.action)
        context["timeline"] = events
    return render(request, "internships/detail.html", context, status=status)


def _submit(
    request: HttpRequest,
    internship: Internship,
    *,
    form,
    slot: str,
    change: Callable[[dict], object],
    done: str,
) -> HttpResponse:
    """One form of the internship page: valid and accepted by the service, back to the page
    with `done`; else the page again with the form bound and its errors (400)."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(internship.get_absolute_url())
    return _detail_page(request, internship, status=400, **{slot: form})


@login_required
@require_POST
def internship_supervisors(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    if not can.edit_as_business(request.user, internship):
        raise PermissionDenied
    return _submit(
        request,
        internship,
        form=SupervisorsForm(request.POST, supervisors=_supervisors(internship)),
        slot="supervisors_form",
        change=lambda data: services.internship_set_supervisors(
            internship=internship,
            by=request.user,
            supervisor=data["supervisor"],
            buddy=data["buddy"],
        ),
        done=_("Saved. The school sees who supervises the student."),
    )


@login_required
@require_POST
def internship_school_supervisor(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    if not can.manage_as_school(request.user, internship):
        raise PermissionDenied
    staff = selectors.school_staff(institution=internship.institution)
    return _submit(
        request,
        internship,
        form=SchoolSupervisorForm(request.POST, staff=staff),
        slot="school_form",
        change=lambda data: services.internship_assign_school_supervisor(
            internship=internship, by=request.user, school_supervisor=data["school_supervisor"]
        ),
        done=_("Saved. The school supervisor is told."),
    )


@login_required
@require_POST
def internship_dates(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    if not can.manage_as_school(request.user, internship):
        raise PermissionDenied
    return _submit(
        request,
        internship,
        form=DatesForm(request.POST),
        slot="dates_form",
        change=lambda data: services.internship_update(
            internship=internship,
            by=request.user,
            start_date=data["start_date"],
            end_date=data["end_date"],
            hours_per_week=data["hours_per_week"],
        ),
        done=_("Saved."),
    )


@login_required
@require_POST
def internship_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Start or complete: one button each on the page."""
    internship = _internship(request, pk)
    change = {"start": services.internship_start, "complete": services.internship_complete}.get(
        action
    )
    if change is None:
        raise Http404
    try:
        change(internship=internship, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect(internship.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def internship_stop(request: HttpRequest, pk: int) -> HttpResponse:
    """Stopping asks for a reason, what happened, and a confirmation, on a page of its own."""
    internship = _internship(request, pk)
    if not (
        can.manage_as_school(request.user, internship)
        or can.edit_as_business(request.user, internship)
    ):
        raise PermissionDenied
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.internship_stop(
                internship=internship,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The internship is stopped; everyone involved is told."))
            return redirect(internship.get_absolute_url())
    return render(request, "internships/stop.html", {"internship": internship, "form": form})


# --------------------------------------------------------------------------------------------
# Lists


@institution_manage_view
def school_list(request: HttpRequest, institution: Institution) -> HttpResponse:
    """The coordinator's list of the school's internships: filtered, paginated, a constant
    number of queries."""
    staff = list(selectors.school_staff(institution=institution))
    form = FilterForm(
        request.GET or None,
        programmes=institution.programmes.order_by("name"),
        staff=staff,
    )
    filters: dict = {}
    if form.is_valid():
        filters = {
            "status": form.cleaned_data["status"] or None,
            "programme_id": form.cleaned_data["programme"],
            "school_supervisor": form.cleaned_data["school_supervisor"] or None,
            "q": form.cleaned_data["q"],
        }
    internships = selectors.school_internships(institution=institution, **filters)
    page = Paginator(internships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "internships/school_list.html",
        {
            "institution": institution,
            "form": form,
            "page_obj": page,
            "filtered": any(filters.values()),
        },
    )


@company_view(edit=True)
def company_list(request: HttpRequest, company: Company) -> HttpResponse:
    internships = selectors.company_internships(company_id=company.pk)
    page = Paginator(internships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "internships/company_list.html", {"company": company, "page_obj": page})


@login_required
def my_internships(request: HttpRequest) -> HttpResponse:
    """A student's internships: straight to the one there is."""
    internships = list(selectors.of_student(user=request.user)[:20])
    current = [i for i in internships if i.status in (Status.CONFIRMED, Status.ACTIVE)]
    if len(current) == 1:
        return redirect(current[0].get_absolute_url())
    return render(request, "internships/mine.html", {"internships": internships})
