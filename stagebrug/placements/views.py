"""Placement pages: write with live advice, manage, review by the school, publish and search."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from stagebrug.accounts import permissions as perms
from stagebrug.core.csv import csv_response
from stagebrug.core.forms import add_service_errors, detached, flash_errors
from stagebrug.core.htmx import render_page
from stagebrug.core.pagecache import public_page_cache
from stagebrug.placements import advice, exports, selectors, services
from stagebrug.placements.forms import DecisionForm, PlacementForm, SearchForm
from stagebrug.placements.models import Placement, PlacementProgramme, ProgrammeDecision
from stagebrug.placements.search import SearchParams, SearchResult, placement_search
from stagebrug.registry.decorators import company_view, institution_manage_view
from stagebrug.registry.models import Company, Institution, Municipality, Programme, SectorCode

# --------------------------------------------------------------------------------------------
# Business: write and manage placements


@company_view()
def company_placements(request: HttpRequest, company: Company) -> HttpResponse:
    page = Paginator(selectors.company_placements(company=company), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "placements/company_placements.html",
        {
            "company": company,
            "page_obj": page,
            "can_edit": perms.can_edit_company(request.user, company),
        },
    )


def _form_page(
    request: HttpRequest, company: Company, form: PlacementForm, placement: Placement | None
) -> HttpResponse:
    return render(
        request,
        "placements/placement_form.html",
        {
            "company": company,
            "form": form,
            "placement": placement,
            "advice": advice.for_form(form, company),
        },
    )


@company_view(edit=True)
@require_http_methods(["GET", "POST"])
def placement_create(request: HttpRequest, company: Company) -> HttpResponse:
    form = PlacementForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_create(
                company=company, by=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your placement is saved as a draft. Check it and submit it to the schools."),
            )
            return redirect("placements:manage", pk=placement.pk)
    return _form_page(request, company, form, None)


@company_view(edit=True)
@require_POST
def placement_advice(request: HttpRequest, company: Company) -> HttpResponse:
    """The live advice panel while typing (htmx): programmes, eligibility, quality."""
    form = PlacementForm(request.POST, company=company)
    return render(
        request, "placements/partials/advice.html", {"advice": advice.for_form(form, company)}
    )


def _editable(request: HttpRequest, pk: int) -> Placement:
    return selectors.placement_to_edit(user=request.user, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _editable(request, pk)
    form = PlacementForm(
        request.POST or None, instance=detached(placement), company=placement.company
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_update(placement=placement, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("placements:manage", pk=placement.pk)
    return _form_page(request, placement.company, form, placement)


@login_required
def placement_manage(request: HttpRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_for_editor(user=request.user, pk=pk)
    if placement is None:
        raise Http404
    return render(
        request,
        "placements/manage.html",
        {
            "placement": placement,
            "company": placement.company,
            "can_edit": perms.can_edit_company(request.user, placement.company),
            "actions": services.allowed_actions(placement),
            "report": advice.for_placement(placement),
            "events": placement.events.select_related("actor", "programme"),
        },
    )


ACTIONS = {
    "indienen": (
        services.placement_submit,
        gettext_lazy("Submitted. The schools will look at it."),
    ),
    "intrekken": (services.placement_withdraw, gettext_lazy("Withdrawn. It is a draft again.")),
    "vervuld": (services.placement_mark_filled, gettext_lazy("Marked as filled. Congratulations!")),
    "sluiten": (services.placement_close, gettext_lazy("Closed.")),
}


@login_required
@require_POST
def placement_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    placement = _editable(request, pk)
    service, done = ACTIONS[action]
    try:
        service(placement=placement, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("placements:manage", pk=placement.pk)


@company_view()
def company_export(request: HttpRequest, company: Company) -> HttpResponse:
    """CSV for Stagemarkt-style job boards: published MBO placements the company is recognised
    for (W12). Columns are documented in docs/placements.md."""
    response, writer = csv_response(f"stagebrug-{company.kvk_number}-stages.csv")
    writer.writerow(exports.COLUMNS)
    writer.writerows(exports.stagemarkt_rows(company=company, today=timezone.localdate()))
    return response


# --------------------------------------------------------------------------------------------
# School: review placements for their programmes


@institution_manage_view
def review_list(request: HttpRequest, institution: Institution) -> HttpResponse:
    decision = request.GET.get("besluit") or ProgrammeDecision.PENDING
    if decision not in ProgrammeDecision.values:
        decision = ProgrammeDecision.PENDING
    qs = selectors.review_queue(user=request.user, institution=institution, decision=decision)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "placements/review_list.html",
        {
            "institution": institution,
            "page_obj": page,
            "decision": decision,
            "decisions": ProgrammeDecision.choices,
        },
    )


@institution_manage_view
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, institution: Institution, target_id: int) -> HttpResponse:
    target = get_object_or_404(
        PlacementProgramme.objects.select_related("programme__institution", "placement__company"),
        pk=target_id,
        programme__institution=institution,
    )
    placement = target.placement
    if not perms.can_review_placement(request.user, placement):
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_decide(
                target=target,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your decision is saved and the business is informed."))
            return redirect("placements:review_list", slug=institution.slug)
    report = advice.for_placement(placement)
    verdicts = next(
        (pa.verdicts for pa in report.programmes if pa.programme.pk == target.programme_id), []
    )
    return render(
        request,
        "placements/review_detail.html",
        {
            "institution": institution,
            "target": target,
            "placement": placement,
            "verdicts": verdicts,
            "report": report,
            "form": form,
            "events": placement.events.select_related("actor", "programme").filter(
                Q(programme__isnull=True) | Q(programme__institution=institution)
            ),
        },
    )


# --------------------------------------------------------------------------------------------
# Public: the placement page, search, feeds


@public_page_cache
def public_page(request: HttpRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_public(pk=pk)
    if placement is None:
        raise Http404
    url = request.build_absolute_uri(placement.get_absolute_url())
    return render(
        request,
        "placements/public.html",
        {
            "placement": placement,
            "absolute_url": url,
            "json_ld": exports.json_for_script(exports.job_posting(placement, url=url)),
            "share": exports.share_links(placement, url=url),
        },
    )


@public_page_cache
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = None
    if form.is_valid():
        params = _search_params(form.cleaned_data, page=request.GET.get("page"))
        try:
            result = placement_search(params)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if result is None and form.errors:
        # Nothing rather than every placement: the form says what to change.
        result = SearchResult(items=[], count=0, page=1, page_size=SearchParams.page_size)
    elif result is None:
        result = placement_search(SearchParams(page=_page_number(request.GET.get("page"))))
    return render_page(
        request,
        "placements/search.html",
        {"form": form, "result": result},
        partial="placements/partials/search_results.html",
    )


def _page_number(value: Any) -> int:
    try:
        return min(max(1, int(value)), 10_000)
    except (TypeError, ValueError):
        return 1


def _search_params(data: dict[str, Any], page: Any = None) -> SearchParams:
    programme = data.get("programme")
    return SearchParams(
        q=data.get("q") or "",
        programme=programme.pk if programme else None,
        level=data.get("level"),
        kind=data.get("kind") or None,
        municipality=data.get("municipality") or None,
        postcode=data.get("postcode") or None,
        max_km=float(data["max_km"]) if data.get("max_km") else None,
        min_allowance=data.get("min_allowance"),
        hours_max=data.get("hours_max"),
        start_from=data.get("start_from"),
        side_job=True if data.get("side_job") else None,
        duo=True if data.get("duo") else None,
        sort=data.get("sort") or "relevance",
        page=_page_number(page),
    )


class _PlacementFeed(Feed):
    feed_type = Atom1Feed
    limit = 50

    def item_title(self, item: Placement) -> str:
        return item.title

    def item_description(self, item: Placement) -> str:
        return "\n".join(["• " + a for a in item.activities] + ["", item.description])

    def item_link(self, item: Placement) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Placement):
        return item.published_at

    def item_updateddate(self, item: Placement):
        return item.updated_at

    def item_author_name(self, item: Placement) -> str:
        return item.company.name

    def item_categories(self, item: Placement) -> list[str]:
        return [t.programme.name for t in getattr(item, "approved_targets", [])]


class ProgrammeFeed(_PlacementFeed):
    def get_object(self, request, programme_id: int) -> Programme:
        return get_object_or_404(Programme.objects.select_related("institution"), pk=programme_id)

    def title(self, obj: Programme) -> str:
        return _("Placements for %(programme)s") % {
            "programme": f"{obj.name} ({obj.institution.name})"
        }

    def link(self, obj: Programme) -> str:
        return reverse("placements:search") + f"?programme={obj.pk}"

    def subtitle(self, obj: Programme) -> str:
        return _("New placements on Stagebrug approved for this programme.")

    def items(self, obj: Programme):
        return selectors.published_placements().filter(
            targets__programme=obj, targets__decision=ProgrammeDecision.APPROVED
        )[: self.limit]


class SectorFeed(_PlacementFeed):
    def get_object(self, request, code: str) -> SectorCode:
        return get_object_or_404(SectorCode, pk=code)

    def title(self, obj: SectorCode) -> str:
        return _("Placements in %(sector)s") % {"sector": obj.name}

    def link(self, obj: SectorCode) -> str:
        return reverse("placements:search")

    def items(self, obj: SectorCode):
        qs = selectors.published_placements()
        return qs.filter(company__sector__in=[obj.pk, *obj.children.values_list("pk", flat=True)])[
            : self.limit
        ]


class MunicipalityFeed(_PlacementFeed):
    def get_object(self, request, code: str) -> Municipality:
        return get_object_or_404(Municipality, pk=code)

    def title(self, obj: Municipality) -> str:
        return _("Placements in %(municipality)s") % {"municipality": obj.name}

    def link(self, obj: Municipality) -> str:
        return reverse("placements:search") + f"?municipality={obj.code}"

    def items(self, obj: Municipality):
        return selectors.published_placements().filter(municipality=obj)[: self.limit]


def feeds_index(request: HttpRequest) -> HttpResponse:
    programmes = (
        Programme.objects.filter(is_active=True).select_related("institution").order_by("name")
    )
    municipalities = Municipality.objects.filter(is_mra=True).order_by("name")
    sectors = SectorCode.objects.filter(level="afdeling").order_by("code")
    return render(
        request,
        "placements/feeds.html",
        {
            "programmes": programmes,
            "municipalities": municipalities,
            "sectors": sectors,
            "site": settings.SITE_URL,
        },
    )
