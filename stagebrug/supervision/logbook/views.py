"""The logbook page: open warnings with what to do, hours against the hours required, each
learning goal over time, the form for one's own kind of entry, and the entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagebrug.core.forms import add_service_errors
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship
from stagebrug.internships.selectors import internship_for
from stagebrug.supervision.logbook import selectors, services
from stagebrug.supervision.logbook.forms import FORMS, CheckinForm
from stagebrug.supervision.models import GoalStatus, LogEntry, Progress
from stagebrug.supervision.progress import rules as progress_rules

PAGE_SIZE = 20


def _internship(request: HttpRequest, pk: int) -> Internship:
    internship = internship_for(user=request.user, pk=pk)
    if internship is None:
        raise Http404
    return internship


def _form(kind: str, goals, data=None):
    cls = FORMS[kind]
    return cls(data, goals=goals, prefix=kind) if cls is CheckinForm else cls(data, prefix=kind)


def _page(request: HttpRequest, internship: Internship, *, status=200, bound=None) -> HttpResponse:
    roles = can.roles(request.user, internship)
    today = timezone.localdate()
    goals = selectors.goals_of(internship)
    progress = Progress.objects.filter(internship=internship).first()
    columns, goal_rows = selectors.goal_history(internship=internship, goals=goals)
    kinds = services.kinds_for(request.user, internship)
    forms = [
        (
            kind,
            LogEntry.Kind(kind).label,
            bound if bound and bound.prefix == kind else _form(kind, goals),
        )
        for kind in kinds
    ]
    warnings = selectors.open_warnings(internship=internship)
    page = Paginator(selectors.entries(internship=internship), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = {g.key: g.text for g in goals}
    for entry in page.object_list:
        entry.goal_lines = [
            (labels.get(key, key), GoalStatus(value).label)
            for key, value in entry.goals.items()
            if value in GoalStatus.values
        ]
    return render(
        request,
        "supervision/logbook/page.html",
        {
            "internship": internship,
            "roles": roles,
            "goals": goals,
            "columns": columns,
            "goal_rows": goal_rows,
            "progress": progress,
            "hours": selectors.hours(internship=internship, progress=progress, today=today),
            "warnings": [
                (w, progress_rules.reason_of(w.kind, w.detail), progress_rules.FIXES[w.kind])
                for w in warnings
            ],
            "forms": forms,
            "page": page,
            "checkin_due": bool(
                progress
                and progress.next_checkin_due
                and progress.next_checkin_due <= today
                and "checkin" in kinds
            ),
        },
        status=status,
    )


@login_required
def logbook(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _internship(request, pk))


@login_required
@require_POST
def logbook_write(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    internship = _internship(request, pk)
    if kind not in FORMS or kind not in services.kinds_for(request.user, internship):
        raise PermissionDenied
    goals = selectors.goals_of(internship)
    form = _form(kind, goals, request.POST)
    if form.is_valid():
        try:
            services.logbook_write(
                internship=internship,
                by=request.user,
                kind=kind,
                text=form.cleaned_data.get("text", ""),
                going=form.cleaned_data.get("going", ""),
                goals=form.verdicts() if isinstance(form, CheckinForm) else None,
                goal_list=goals,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved in the logbook. The three parties can read it."))
            return redirect("supervision:logbook", pk=pk)
    return _page(request, internship, status=400, bound=form)
