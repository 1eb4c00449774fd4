"""Event pages: the public list (filterable) and its calendar feed, an event's page with
sign-up and cancelling, the organiser's form, and the list at the door (phone-first)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagebrug.accounts import permissions as perms
from stagebrug.community import events as services
from stagebrug.community import ics, selectors
from stagebrug.community.forms import ConfirmForm, EventFilter, EventForm, SignUpForm
from stagebrug.community.models import Event, Registration
from stagebrug.core.forms import add_service_errors, as_id, flash_errors
from stagebrug.registry.models import Company, Institution, Programme

PAGE_SIZE = 20
FEED_LIMIT = 300
FEED_SECONDS = 300


def _filtered(request: HttpRequest):
    form = EventFilter(request.GET or None, schools=Institution.objects.order_by("name"))
    data = form.cleaned_data if form.is_valid() else {}
    programme = None
    if (programme_id := as_id(request.GET.get("programme"))) is not None:
        programme = Programme.objects.filter(pk=programme_id).first()
    qs = selectors.events(
        kind=data.get("kind") or None,
        audience=data.get("audience") or None,
        institution=data.get("school"),
        programme=programme,
        past=bool(data.get("past")),
    )
    return form, qs, programme


def event_list(request: HttpRequest) -> HttpResponse:
    """Network meetings, guest lectures, open days and meet-and-match sessions, the next
    first; public."""
    form, qs, programme = _filtered(request)
    page = Paginator(selectors.EventRows(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/event_list.html",
        {
            "form": form,
            "page": page,
            "programme": programme,
            "feed_query": request.GET.urlencode(),
            "may_publish": perms.is_operator(request.user)
            or bool(perms.institution_ids(request.user, perms.SCHOOL_EDITORS)),
        },
    )


def event_feed(request: HttpRequest) -> HttpResponse:
    """The subscribable calendar feed of the same list (the same filters). Calendar apps poll
    it, so a feed is kept for a few minutes per query."""
    changed = Event.objects.aggregate(last=Max("updated_at"), n=Count("pk"))
    key = (
        "community.feed:"
        + hashlib.sha256(
            "|".join(
                [
                    *sorted(request.GET.urlencode().split("&")),
                    str(changed["last"]),
                    str(changed["n"]),
                ]
            ).encode()
        ).hexdigest()
    )
    body = cache.get(key)
    if body is None:
        _form, qs, _programme = _filtered(request)
        body = ics.calendar(qs[:FEED_LIMIT], name="Stagebrug")
        cache.set(key, body, FEED_SECONDS)
    response = HttpResponse(body, content_type=f"{ics.MIME}; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="stagebrug-evenementen.ics"'
    return response


def _event(pk: int) -> Event:
    event = selectors.event_for(pk)
    if event is None:
        raise Http404
    return event


def event_detail(request: HttpRequest, pk: int, *, status: int = 200, form=None) -> HttpResponse:
    event = _event(pk)
    registration = selectors.registration_of(request.user, event)
    companies = _companies(request.user)
    return render(
        request,
        "community/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "position": selectors.waiting_position(registration)
            if registration and registration.status == Registration.Status.WAITING
            else None,
            "places_left": None if event.capacity is None else max(event.capacity - event.taken, 0),
            "organises": request.user.is_authenticated and services.organises(request.user, event),
            "started": event.starts_at <= timezone.now(),
            "sign_up_form": form or SignUpForm(companies=companies),
            "companies": companies,
        },
        status=status,
    )


def event_page(request: HttpRequest, pk: int) -> HttpResponse:
    return event_detail(request, pk)


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's calendar file; with the link to join online for those with a place."""
    event = _event(pk)
    registration = selectors.registration_of(request.user, event)
    with_link = (
        registration is not None and registration.status == Registration.Status.CONFIRMED
    ) or (request.user.is_authenticated and services.organises(request.user, event))
    response = HttpResponse(
        ics.calendar([event], with_link=with_link), content_type=f"{ics.MIME}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="stagebrug-event-{event.pk}.ics"'
    return response


def _companies(user) -> list[Company]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Company.objects.filter(pk__in=perms.company_ids(user)).order_by("name"))


@login_required
@require_POST
def sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    companies = _companies(request.user)
    form = SignUpForm(request.POST, companies=companies)
    if not form.is_valid():
        return event_detail(request, pk, status=400, form=form)
    company = next((c for c in companies if c.pk == form.cleaned_data["company"]), None)
    if company is None and len(companies) == 1 and event.audience == "businesses":
        company = companies[0]
    try:
        registration = services.event_sign_up(event=event, by=request.user, company=company)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return event_detail(request, pk, status=400, form=form)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are signed up. The calendar file is in your e-mail."))
    else:
        messages.success(
            request,
            _(
                "The event is full: you are on the waiting list. We tell you when a place comes free."
            ),
        )
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def cancel_place(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    registration = selectors.registration_of(request.user, event)
    if registration is None:
        messages.error(request, str(services.ALREADY_CANCELLED))
        return redirect(event.get_absolute_url())
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm that you want to give up your place."))
        return redirect(event.get_absolute_url())
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Cancelled. Your place goes to the first on the waiting list."))
    return redirect(event.get_absolute_url())


# --------------------------------------------------------------------------------------------
# Organising


def _organiser_schools(user) -> list[Institution]:
    if perms.is_operator(user):
        return list(Institution.objects.order_by("name"))
    return list(
        Institution.objects.filter(
            pk__in=perms.institution_ids(user, perms.SCHOOL_EDITORS)
        ).order_by("name")
    )


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    schools = _organiser_schools(request.user)
    if not schools:
        raise PermissionDenied
    slug = request.GET.get("school") or request.POST.get("school") or ""
    school = next((s for s in schools if s.slug == slug), None)
    if school is None and not perms.is_operator(request.user):
        school = schools[0]
    programmes = (
        Programme.objects.filter(institution=school).order_by("name")
        if school
        else Programme.objects.none()
    )
    form = EventForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_publish(by=request.user, institution=school, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Published. The event is on the events page."))
            return redirect(event.get_absolute_url())
    return render(
        request,
        "community/event_form.html",
        {
            "form": form,
            "schools": schools,
            "school": school,
            "event": None,
            "is_operator": perms.is_operator(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    if not services.organises(request.user, event):
        raise PermissionDenied
    programmes = (
        Programme.objects.filter(institution=event.institution).order_by("name")
        if event.institution_id
        else Programme.objects.none()
    )
    form = EventForm(request.POST or None, instance=_copy(event), programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_change(event=event, by=request.user, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Saved. Everyone signed up is told of a new time or place.")
            )
            return redirect(event.get_absolute_url())
    return render(
        request,
        "community/event_form.html",
        {"form": form, "event": event, "cancel_form": ConfirmForm()},
        status=400 if request.method == "POST" else 200,
    )


def _copy(event: Event) -> Event:
    import copy

    return copy.copy(event)


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    if not services.organises(request.user, event):
        raise PermissionDenied
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm that you cancel the event."))
        return redirect("community:event_edit", pk=pk)
    try:
        services.event_cancel(event=event, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The event is cancelled; everyone signed up is told."))
    return redirect(event.get_absolute_url())


@login_required
def door(request: HttpRequest, pk: int) -> HttpResponse:
    """The list at the door: a tap per person who came (phone-first)."""
    event = _event(pk)
    if not services.organises(request.user, event):
        raise PermissionDenied
    if request.method == "POST":
        registration = get_object_or_404(
            Registration, pk=request.POST.get("registration") or 0, event=event
        )
        try:
            services.attendance_mark(
                registration=registration,
                by=request.user,
                present=request.POST.get("present") == "1",
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect("community:door", pk=pk)
    rows = list(selectors.door_list(event))
    return render(
        request,
        "community/door.html",
        {"event": event, "rows": rows, "came": sum(1 for r in rows if r.attended_at)},
    )
