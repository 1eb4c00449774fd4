"""The school's dashboards, warnings first: the school supervisor's caseload and the
coordinator's overview (W8, W18)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import StyledForm
from stagebrug.internships.models import Status
from stagebrug.registry.decorators import institution_manage_view
from stagebrug.registry.models import Institution
from stagebrug.supervision.models import EarlyWarning
from stagebrug.supervision.progress import rules, selectors

PAGE_SIZE = 25


def _rows(page) -> list:
    """Each row with its warnings' reasons (read from what the page already loaded)."""
    for internship in page.object_list:
        internship.warning_lines = [
            (w.get_kind_display(), rules.reason_of(w.kind, w.detail))
            for w in internship.open_warning_list
        ]
    return page.object_list


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The school supervisor's current internships: those at risk first, with the reason,
    then those whose check-in is due soonest."""
    now = timezone.now()
    page = Paginator(selectors.caseload(user=request.user, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "supervision/progress/caseload.html",
        {"page": page, "rows": _rows(page), "today": timezone.localdate(now)},
    )


class OverviewFilter(StyledForm, forms.Form):
    warning = forms.ChoiceField(label=_("Warning"), required=False)
    school_supervisor = forms.ChoiceField(label=_("School supervisor"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Confirmed and under way")),
            (Status.CONFIRMED, Status.CONFIRMED.label),
            (Status.ACTIVE, Status.ACTIVE.label),
        ],
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["warning"].choices = [
            ("", _("All")),
            ("any", _("Any warning")),
            *EarlyWarning.Kind.choices,
        ]
        self.fields["school_supervisor"].choices = [
            ("", _("Everyone")),
            (selectors.UNASSIGNED, _("Not assigned yet")),
            *[(str(u.pk), u.full_name) for u in staff],
        ]


@institution_manage_view
def school_overview(request: HttpRequest, institution: Institution) -> HttpResponse:
    """The coordinator's overview of supervision: the figures, and the school's internships
    with warnings first, filtered and paginated."""
    now = timezone.now()
    form = OverviewFilter(
        request.GET or None, staff=selectors.school_supervisors(institution=institution)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.school_overview(
        institution=institution,
        warning=filters.get("warning") or None,
        school_supervisor=filters.get("school_supervisor") or None,
        status=filters.get("status") or None,
        now=now,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/progress/overview.html",
        {
            "institution": institution,
            "form": form,
            "page": page,
            "rows": _rows(page),
            "counts": selectors.school_counts(
                institution=institution, today=timezone.localdate(now)
            ),
            "today": timezone.localdate(now),
            "filtered": any(filters.values()),
        },
    )
