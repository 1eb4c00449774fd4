"""An evaluation's page: the criteria, each party's part as far as they may see it, and the
form for their own part."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagebrug.core.forms import add_service_errors
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship
from stagebrug.internships.selectors import internship_for
from stagebrug.supervision.evaluations import forms, services
from stagebrug.supervision.models import Evaluation


def _load(request: HttpRequest, pk: int, kind: str) -> tuple[Internship, Evaluation]:
    internship = internship_for(user=request.user, pk=pk)
    if internship is None or kind not in Evaluation.Kind.values:
        raise Http404
    evaluation = Evaluation.objects.filter(internship=internship, kind=kind).first()
    if evaluation is None:
        raise Http404
    evaluation.internship = internship
    return internship, evaluation


def _rows(evaluation: Evaluation, sees_workplace: bool, sees_student: bool) -> list[dict]:
    labels = dict(Evaluation.Score.choices)
    return [
        {
            "text": c["text"],
            "workplace": labels.get(evaluation.workplace_scores.get(c["key"]), "")
            if sees_workplace
            else "",
            "student": labels.get(evaluation.student_scores.get(c["key"]), "")
            if sees_student
            else "",
        }
        for c in evaluation.criteria
    ]


def _page(
    request: HttpRequest, internship: Internship, evaluation: Evaluation, *, status=200, bound=None
) -> HttpResponse:
    roles = can.roles(request.user, internship)
    sees_workplace, sees_student = services.sees_parts(evaluation, roles)
    open_ = internship.status == "active" and not evaluation.is_decided
    bound = bound or {}
    context = {
        "internship": internship,
        "evaluation": evaluation,
        "roles": roles,
        "rows": _rows(evaluation, sees_workplace, sees_student),
        "sees_workplace": sees_workplace,
        "sees_student": sees_student,
        "today": timezone.localdate(),
    }
    if open_ and roles & services.WORKPLACE_PARTS:
        context["workplace_form"] = bound.get("workplace") or forms.workplace_form(evaluation)
    if open_ and can.STUDENT in roles:
        context["student_form"] = bound.get("student") or forms.student_form(evaluation)
    if open_ and roles & services.SCHOOL_PARTS and evaluation.workplace_at:
        context["decision_form"] = bound.get("school") or forms.DecisionForm(evaluation=evaluation)
    return render(request, "supervision/evaluations/page.html", context, status=status)


@login_required
def evaluation_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    internship, evaluation = _load(request, pk, kind)
    return _page(request, internship, evaluation)


@login_required
@require_POST
def evaluation_submit(request: HttpRequest, pk: int, kind: str, part: str) -> HttpResponse:
    internship, evaluation = _load(request, pk, kind)
    writers = {
        "workplace": services.WORKPLACE_PARTS,
        "student": {can.STUDENT},
        "school": services.SCHOOL_PARTS,
    }
    if part not in writers:
        raise Http404
    if not can.roles(request.user, internship) & writers[part]:
        raise PermissionDenied
    if part == "workplace":
        form = forms.workplace_form(evaluation, request.POST)
    elif part == "student":
        form = forms.student_form(evaluation, request.POST)
    else:
        form = forms.DecisionForm(request.POST, evaluation=evaluation)
    if form.is_valid():
        try:
            if part == "workplace":
                services.evaluation_assess(
                    evaluation=evaluation,
                    by=request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            elif part == "student":
                services.evaluation_self_assess(
                    evaluation=evaluation,
                    by=request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            else:
                services.evaluation_decide(
                    evaluation=evaluation,
                    by=request.user,
                    decision=form.cleaned_data["decision"],
                    comment=form.cleaned_data["comment"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved. The other parties are told."))
            return redirect("supervision:evaluation", pk=pk, kind=kind)
    return _page(request, internship, evaluation, status=400, bound={part: form})
