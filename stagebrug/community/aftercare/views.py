"""Aftercare pages: the student's choice to keep in touch (and to stop), the business's former
interns who agreed with an offer form, a side job offered during the internship, and the
student's page of an offer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagebrug.community.aftercare import services
from stagebrug.community.forms import JobOfferForm, KeepInTouchForm
from stagebrug.community.models import JobOffer, KeepInTouch
from stagebrug.core.forms import add_service_errors, flash_errors
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship
from stagebrug.internships.selectors import internship_for
from stagebrug.registry.decorators import company_view
from stagebrug.registry.models import Company


def _internship(request: HttpRequest, pk: int) -> Internship:
    internship = internship_for(user=request.user, pk=pk)
    if internship is None:
        raise Http404
    return internship


@login_required
def keep_in_touch(request: HttpRequest, pk: int) -> HttpResponse:
    internship = _internship(request, pk)
    if can.STUDENT not in can.roles(request.user, internship):
        raise PermissionDenied
    current = KeepInTouch.objects.filter(internship=internship).first()
    form = KeepInTouchForm(
        request.POST or None, instance=current if current and current.is_active else None
    )
    if request.method == "POST" and "withdraw" in request.POST:
        services.keep_in_touch_withdraw(internship=internship, by=request.user)
        messages.success(
            request, _("Stopped. The business no longer sees you among its former interns.")
        )
        return redirect("community:keep_in_touch", pk=pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.keep_in_touch_save(internship=internship, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved. You can change or stop it here at any time."))
            return redirect("community:keep_in_touch", pk=pk)
    return render(
        request,
        "community/aftercare/keep_in_touch.html",
        {
            "internship": internship,
            "form": form,
            "current": current,
            "offers": internship.job_offers.order_by("-sent_at"),
        },
        status=400 if request.method == "POST" else 200,
    )


@company_view(edit=True)
def former_interns(request: HttpRequest, company: Company) -> HttpResponse:
    if not services.is_the_business(request.user, company.pk):
        raise PermissionDenied
    rows = list(services.former_interns(company=company))
    return render(
        request,
        "community/aftercare/former_interns.html",
        {"company": company, "rows": rows, "form": JobOfferForm()},
    )


def _send(request: HttpRequest, internship: Internship, back: str) -> HttpResponse:
    form = JobOfferForm(request.POST)
    if form.is_valid():
        try:
            services.job_offer_send(internship=internship, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Sent. The student reads it in their inbox and by e-mail."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(back)


@company_view(edit=True)
@require_POST
def offer_to_former(request: HttpRequest, company: Company, internship_id: int) -> HttpResponse:
    internship = (
        Internship.objects.select_related("placement__company", "student")
        .filter(pk=internship_id, placement__company=company)
        .first()
    )
    if internship is None:
        raise Http404
    return _send(request, internship, f"/bedrijven/{company.pk}/oud-stagiairs/")


@login_required
def side_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A side job offered to a current intern, from the internship's page (W6)."""
    internship = _internship(request, pk)
    if can.BUSINESS not in can.roles(request.user, internship):
        raise PermissionDenied
    if request.method == "POST":
        return _send(request, internship, internship.get_absolute_url())
    return render(
        request,
        "community/aftercare/side_job.html",
        {"internship": internship, "form": JobOfferForm(initial={"kind": JobOffer.Kind.SIDE_JOB})},
    )


@login_required
def job_offer(request: HttpRequest, pk: int) -> HttpResponse:
    offer = (
        JobOffer.objects.select_related("internship__placement__company")
        .filter(pk=pk, internship__student=request.user)
        .first()
    )
    if offer is None:
        raise Http404
    if request.method == "POST":
        try:
            services.job_offer_answer(
                offer=offer, by=request.user, answer=request.POST.get("answer", "")
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Your answer is sent to the business."))
        return redirect("community:job_offer", pk=pk)
    return render(request, "community/aftercare/job_offer.html", {"offer": offer})


urlpatterns = [
    path("stagiairs/<int:pk>/contact-houden/", keep_in_touch, name="keep_in_touch"),
    path("stagiairs/<int:pk>/bijbaan/", side_job, name="side_job"),
    path("bedrijven/<int:company_id>/oud-stagiairs/", former_interns, name="former_interns"),
    path(
        "bedrijven/<int:company_id>/oud-stagiairs/<int:internship_id>/aanbod/",
        offer_to_former,
        name="offer_to_former",
    ),
    path("aanbiedingen/<int:pk>/", job_offer, name="job_offer"),
]
