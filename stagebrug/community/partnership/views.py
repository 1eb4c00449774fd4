"""The partnership record: the business's own (and its choice to show it publicly) and the
school's partners, sortable, with those quiet for a year."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from stagebrug.community.aftercare.services import school_counts
from stagebrug.community.partnership import selectors, services
from stagebrug.registry.decorators import company_view, institution_manage_view
from stagebrug.registry.models import Company, Institution

PAGE_SIZE = 25
#: Counts of students below this are shown as "fewer than 5": a count, never a person.
SMALLEST = 5


def _counted(n: int) -> str:
    return str(n) if n == 0 or n >= SMALLEST else _("fewer than %(n)s") % {"n": SMALLEST}


@company_view(edit=True)
def company_record(request: HttpRequest, company: Company) -> HttpResponse:
    if request.method == "POST":
        services.partner_record_show(
            company=company, by=request.user, show=request.POST.get("show") == "1"
        )
        messages.success(request, _("Saved."))
        return redirect("community:company_record", company_id=company.pk)
    return render(
        request,
        "community/partnership/company.html",
        {
            "company": company,
            "records": selectors.company_record(company=company),
            "shown": services.shows_record(company),
        },
    )


SORT_LABELS = {
    "-last_offered": _("Offered a place most recently"),
    "last_offered": _("Longest without offering a place"),
    "-offered_this_year": _("Most places this school year"),
    "-interns": _("Most interns hosted"),
    "-lectures": _("Most guest lectures"),
    "name": _("Name"),
}


@institution_manage_view
def school_partners(request: HttpRequest, institution: Institution) -> HttpResponse:
    order = request.GET.get("sort", "-last_offered")
    quiet = request.GET.get("stil") == "1"
    qs = selectors.partners(institution=institution, order=order, quiet_for_a_year=quiet)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/partnership/school.html",
        {
            "institution": institution,
            "page": page,
            "order": order if order in selectors.SORTS else "-last_offered",
            "sorts": [(k, str(v)) for k, v in SORT_LABELS.items()],
            "quiet": quiet,
            "year": selectors.year_label(selectors.school_year(timezone.localdate())),
            "offers": {k: _counted(v) for k, v in school_counts(institution=institution).items()},
        },
    )


@institution_manage_view
def school_partner(request: HttpRequest, institution: Institution, company_id: int) -> HttpResponse:
    """One partner's record with the school, year by year."""
    company = selectors.partners(institution=institution).filter(pk=company_id).first()
    if company is None:
        raise Http404
    return render(
        request,
        "community/partnership/school_partner.html",
        {
            "institution": institution,
            "company": company,
            "records": selectors.company_record(company=company, institution=institution),
        },
    )


urlpatterns = [
    path("bedrijven/<int:company_id>/partnerschap/", company_record, name="company_record"),
    path("scholen/<slug:slug>/partners/", school_partners, name="school_partners"),
    path("scholen/<slug:slug>/partners/<int:company_id>/", school_partner, name="school_partner"),
]
