"""Guest-lecture pages: the board of open requests and offers, a request's page (accept or
close), and the forms to offer and to ask."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagebrug.accounts import permissions as perms
from stagebrug.community import selectors
from stagebrug.community.forms import AcceptLectureForm, LectureOfferForm, LectureRequestForm
from stagebrug.community.lectures import services
from stagebrug.community.models import LectureOffer, LectureRequest
from stagebrug.core.forms import add_service_errors, as_id, flash_errors
from stagebrug.registry.models import Company, Institution, Programme

PAGE_SIZE = 20


def _companies(user) -> list[Company]:
    return list(
        Company.objects.filter(pk__in=perms.company_ids(user, perms.COMPANY_EDITORS)).order_by(
            "name"
        )
    )


def _schools(user) -> list[Institution]:
    return list(
        Institution.objects.filter(
            pk__in=perms.institution_ids(user, perms.SCHOOL_EDITORS)
        ).order_by("name")
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """For a business: what schools ask for (its sector first) and its own offers; for a
    school: what businesses offer, and its own requests."""
    companies, schools = _companies(request.user), _schools(request.user)
    if not (companies or schools or perms.is_operator(request.user)):
        raise PermissionDenied
    sector = companies[0].sector_id if companies else None
    requests = Paginator(
        services.visible_requests(request.user)
        .filter(status=LectureRequest.Status.OPEN)
        .select_related("institution", "programme", "sector")
        .order_by("period_start", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {
        "companies": companies,
        "schools": schools,
        "requests": requests,
        "sector": sector,
        "own_offers": LectureOffer.objects.filter(company__in=companies, is_active=True)
        .select_related("company")
        .order_by("-created_at")
        if companies
        else [],
        "offers": Paginator(selectors.offers(), PAGE_SIZE).get_page(request.GET.get("aanbod"))
        if schools or perms.is_operator(request.user)
        else None,
    }
    return render(request, "community/lectures/board.html", context)


@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    companies = _companies(request.user)
    if not companies:
        raise PermissionDenied
    company = next((c for c in companies if str(c.pk) == request.POST.get("company")), companies[0])
    form = LectureOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lecture_offer_create(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your offer is on the board; schools can ask you for it."))
            return redirect("community:lectures")
    return render(
        request,
        "community/lectures/offer_form.html",
        {"form": form, "companies": companies, "company": company},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = LectureOffer.objects.select_related("company").filter(pk=pk).first()
    if offer is None or offer.company_id not in perms.company_ids(
        request.user, perms.COMPANY_EDITORS
    ):
        raise Http404
    services.lecture_offer_withdraw(offer=offer, by=request.user)
    messages.success(request, _("Withdrawn."))
    return redirect("community:lectures")


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    schools = _schools(request.user)
    if not schools:
        raise PermissionDenied
    school = next(
        (s for s in schools if s.slug == (request.GET.get("school") or request.POST.get("school"))),
        schools[0],
    )
    offer = None
    offer_id = as_id(request.GET.get("offer") or request.POST.get("offer"))
    if offer_id is not None:
        offer = (
            LectureOffer.objects.select_related("company", "sector")
            .filter(pk=offer_id, is_active=True)
            .first()
        )
    form = LectureRequestForm(
        request.POST or None,
        programmes=Programme.objects.filter(institution=school).order_by("name"),
        initial={"subject": offer.subject, "sector": offer.sector_id} if offer else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.lecture_request_create(
                institution=school, by=request.user, offer=offer, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Asked. %(n)s businesses are told; you hear when one accepts.")
                % {"n": made.told},
            )
            return redirect("community:lecture_request", pk=made.pk)
    return render(
        request,
        "community/lectures/request_form.html",
        {"form": form, "schools": schools, "school": school, "offer": offer},
        status=400 if request.method == "POST" else 200,
    )


def _request(request: HttpRequest, pk: int) -> LectureRequest:
    found = (
        services.visible_requests(request.user)
        .select_related("institution", "programme", "sector", "offer__company", "company", "event")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
def request_detail(request: HttpRequest, pk: int, *, form=None, status: int = 200) -> HttpResponse:
    lecture = _request(request, pk)
    companies = _companies(request.user)
    if lecture.offer_id:
        companies = [c for c in companies if c.pk == lecture.offer.company_id]
    return render(
        request,
        "community/lectures/request_detail.html",
        {
            "lecture": lecture,
            "accept_form": form or (AcceptLectureForm(companies=companies) if companies else None),
            "is_school": perms.can_edit_institution(request.user, lecture.institution),
        },
        status=status,
    )


@login_required
@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    lecture = _request(request, pk)
    companies = _companies(request.user)
    if not companies:
        raise PermissionDenied
    form = AcceptLectureForm(request.POST, companies=companies)
    if form.is_valid():
        company = next(c for c in companies if c.pk == form.cleaned_data["company"])
        try:
            event = services.lecture_request_accept(
                request=lecture,
                by=request.user,
                company=company,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you! The guest lecture is on the school's events."))
            return redirect(event.get_absolute_url())
    return request_detail(request, pk, form=form, status=400)


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    lecture = _request(request, pk)
    try:
        services.lecture_request_close(request=lecture, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Closed."))
    return redirect("community:lecture_request", pk=pk)


urlpatterns = [
    path("gastlessen/", board, name="lectures"),
    path("gastlessen/aanbieden/", offer_new, name="lecture_offer_new"),
    path("gastlessen/aanbod/<int:pk>/intrekken/", offer_withdraw, name="lecture_offer_withdraw"),
    path("gastlessen/vragen/", request_new, name="lecture_request_new"),
    path("gastlessen/vragen/<int:pk>/", request_detail, name="lecture_request"),
    path("gastlessen/vragen/<int:pk>/aannemen/", request_accept, name="lecture_accept"),
    path("gastlessen/vragen/<int:pk>/sluiten/", request_close, name="lecture_close"),
]
