"""Matching-round pages: the coordinator runs the round, students rank and read their result,
businesses choose how to rank their candidates (C5; W2, W14)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from stagebrug.accounts import permissions as perms
from stagebrug.applications.recommendations import query as recommend
from stagebrug.core.forms import add_service_errors, flash_errors
from stagebrug.core.geo import haversine_km
from stagebrug.core.htmx import is_partial, render_page
from stagebrug.matching import selectors, services
from stagebrug.matching.adapter import (
    WHY_ALL_FULL,
    WHY_NO_ELIGIBLE,
    WHY_RANKED_NOTHING,
    home_point,
)
from stagebrug.matching.explanations import placements_for, word
from stagebrug.matching.forms import (
    FollowUpForm,
    PublishForm,
    RankingForm,
    RoundForm,
    RunForm,
    SeatRankingForm,
)
from stagebrug.matching.models import (
    DuoSeat,
    Round,
    RoundRun,
    RoundStatus,
    RunStatus,
    SeatRanking,
)
from stagebrug.registry.decorators import institution_manage_view
from stagebrug.registry.models import Institution

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


def _why_labels() -> dict[str, str]:
    return {
        WHY_RANKED_NOTHING: _("Ranked no placement"),
        WHY_ALL_FULL: _("All chosen placements were full with students ranked higher"),
        WHY_NO_ELIGIBLE: _("No chosen placement could take them (not ranked, or not suitable)"),
    }


def _coordinator_round(request: HttpRequest, institution: Institution, pk: int) -> Round:
    round = selectors.round_for_coordinator(user=request.user, institution=institution, pk=pk)
    if round is None:
        raise Http404
    return round


# --------------------------------------------------------------------------------------------
# Coordinator


@institution_manage_view
def round_list(request: HttpRequest, institution: Institution) -> HttpResponse:
    rounds = selectors.rounds_for_institution(user=request.user, institution=institution)
    return render(
        request, "matching/round_list.html", {"institution": institution, "rounds": rounds}
    )


@institution_manage_view
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, institution: Institution) -> HttpResponse:
    form = RoundForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = services.round_create(
                programme=data["programme"],
                by=request.user,
                name=data["name"],
                cohort=data["cohort"],
                year=data["year"],
                deadline=data["deadline"],
                max_choices=data["max_choices"],
                anonymous=data["anonymous"] or None,
                by_school=data["by_school"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The round is prepared. Check the students and placements, then open it."),
            )
            return redirect("matching:round_detail", slug=institution.slug, pk=round.pk)
    return render(request, "matching/round_form.html", {"institution": institution, "form": form})


def _progress_context(institution: Institution, round: Round, run: RoundRun | None) -> dict:
    return {"institution": institution, "round": round, "run": run, "active": ACTIVE}


@institution_manage_view
def round_detail(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    round = _coordinator_round(request, institution, pk)
    students = selectors.students_with_counts(round=round)
    seats = selectors.seats_with_counts(round=round)
    runs = list(round.runs.select_related("created_by").order_by("-created_at", "-id")[:10])
    now = timezone.now()
    return render(
        request,
        "matching/round_detail.html",
        {
            **_progress_context(institution, round, runs[0] if runs else None),
            "students": students,
            "seats": seats,
            "runs": runs,
            "submitted": sum(1 for s in students if s.n_choices),
            "ranked_seats": sum(1 for s in seats if s.ranked_at),
            "capacity": sum(s.capacity for s in seats),
            "deadline_passed": round.deadline <= now,
            "can_run": services.can_run(round, now),
            "run_form": RunForm(),
            "follow_ups": list(round.follow_ups.all()),
            "placed_by_school": services.placed_by_school(round),
        },
    )


ACTIONS = {
    "openen": (
        services.round_open,
        gettext_lazy("The round is open. Students and businesses are told."),
    ),
    "sluiten": (
        services.round_close,
        gettext_lazy("The round is closed for rankings. You can run it now."),
    ),
}


@institution_manage_view
@require_POST
def round_action(request: HttpRequest, institution: Institution, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    round = _coordinator_round(request, institution, pk)
    service, done = ACTIONS[action]
    try:
        service(round=round, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("matching:round_detail", slug=institution.slug, pk=round.pk)


@institution_manage_view
@require_POST
def round_run(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    round = _coordinator_round(request, institution, pk)
    mode = request.POST.get("mode") or "stable"  # the service refuses an unknown mode
    try:
        run = services.round_run(round=round, by=request.user, mode=mode)
    except ValidationError as exc:
        if is_partial(request):
            return render(
                request,
                "matching/partials/run_progress.html",
                {**_progress_context(institution, round, None), "error": " ".join(exc.messages)},
            )
        flash_errors(request, exc)
        return redirect("matching:round_detail", slug=institution.slug, pk=round.pk)
    if not is_partial(request):
        return redirect("matching:run_progress", slug=institution.slug, pk=round.pk, run_id=run.pk)
    run.refresh_from_db()
    return render(
        request, "matching/partials/run_progress.html", _progress_context(institution, round, run)
    )


@institution_manage_view
def run_progress(
    request: HttpRequest, institution: Institution, pk: int, run_id: int
) -> HttpResponse:
    """The progress bar; while the run is queued or running it asks again every second."""
    round = _coordinator_round(request, institution, pk)
    run = round.runs.filter(pk=run_id).first()
    if run is None:
        raise Http404
    return render_page(
        request,
        "matching/run_started.html",
        _progress_context(institution, round, run),
        partial="matching/partials/run_progress.html",
    )


def _chosen_run(request: HttpRequest, round: Round) -> RoundRun | None:
    """The run of ?run= (ignored once a run is published), else the published or latest one."""
    wanted = request.GET.get("run", "")
    if round.published_run_id or not (wanted.isascii() and wanted.isdigit()):
        return selectors.chosen_run(round=round)
    return selectors.chosen_run(round=round, wanted=int(wanted))


def _outcome_rows(round: Round, run: RoundRun) -> list[dict[str, Any]]:
    """One row per student: what the run gives them (for the coordinator only)."""
    entries = selectors.students_with_counts(round=round)
    explanations = run.explanations or {}
    placements = placements_for(list(explanations.values()))
    why = _why_labels()
    rows = []
    for entry in entries:
        exp = explanations.get(str(entry.student_id), {})
        placement = placements.get(int(exp["placement"])) if exp.get("placement") else None
        rows.append(
            {
                "student": entry.student,
                "choices": entry.n_choices,
                "placement": placement,
                "choice": exp.get("choice"),
                "km": exp.get("km"),
                "why": why.get(exp.get("why", ""), ""),
                "seat": DuoSeat(exp["seat"]).label if exp.get("seat") in DuoSeat.values else "",
            }
        )
    rows.sort(key=lambda r: (r["placement"] is not None, r["student"].full_name))
    return rows


@institution_manage_view
def round_results(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    round = _coordinator_round(request, institution, pk)
    run = _chosen_run(request, round)
    if run is None:
        messages.info(request, _("There is no finished run yet. Run the round first."))
        return redirect("matching:round_detail", slug=institution.slug, pk=round.pk)
    stats = run.stats or {}
    why = _why_labels()
    return render(
        request,
        "matching/round_results.html",
        {
            "institution": institution,
            "round": round,
            "run": run,
            "stats": stats,
            "by_choice": sorted(
                (
                    (int(k), v, (stats.get("by_choice_share") or {}).get(k, 0))
                    for k, v in (stats.get("by_choice") or {}).items()
                ),
            ),
            "unplaced_why": [
                (why[key], count) for key, count in (stats.get("unplaced_why") or {}).items()
            ],
            "rows": _outcome_rows(round, run),
            "runs": round.runs.filter(status=RunStatus.DONE).order_by("-created_at", "-id"),
        },
    )


@institution_manage_view
@require_http_methods(["GET", "POST"])
def round_publish(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    round = _coordinator_round(request, institution, pk)
    run = _chosen_run(request, round) if round.status != RoundStatus.PUBLISHED else None
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_publish(round=round, by=request.user, run=run)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The round is published. Students and businesses are told their results."),
            )
            return redirect("matching:round_results", slug=institution.slug, pk=round.pk)
    return render(
        request,
        "matching/round_publish.html",
        {"institution": institution, "round": round, "run": run, "form": form},
    )


@institution_manage_view
@require_http_methods(["GET", "POST"])
def round_follow_up(request: HttpRequest, institution: Institution, pk: int) -> HttpResponse:
    round = _coordinator_round(request, institution, pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            follow_up = services.round_create_follow_up(
                round=round,
                by=request.user,
                name=data["name"],
                deadline=data["deadline"],
                max_choices=data["max_choices"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The follow-up round is prepared. Check it, then open it."))
            return redirect("matching:round_detail", slug=institution.slug, pk=follow_up.pk)
    unplaced = len(selectors.follow_up_students(round=round))
    return render(
        request,
        "matching/follow_up_form.html",
        {"institution": institution, "round": round, "form": form, "unplaced": unplaced},
    )


# --------------------------------------------------------------------------------------------
# Student


@login_required
def student_rounds(request: HttpRequest) -> HttpResponse:
    rounds = selectors.rounds_for_student(user=request.user)
    return render(request, "matching/student_rounds.html", {"rounds": rounds})


def _offer_rows(rnd: Round, student) -> list[dict[str, Any]]:
    home = home_point(student)
    rows = []
    for seat in selectors.seats_with_counts(round=rnd):
        p = seat.placement
        km = (
            round(haversine_km(home, (p.latitude, p.longitude)), 1)
            if home and p.latitude is not None
            else None
        )
        rows.append({"seat": seat, "placement": p, "km": km})
    rows.sort(key=lambda r: (r["km"] is None, r["km"] or 0, r["placement"].title))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def student_round(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_for_student(user=request.user, pk=pk)
    if round is None:
        raise Http404
    now = timezone.now()
    can_rank = services.rankings_open(round, now)
    rows = _offer_rows(round, request.user)
    options = [
        (r["placement"].pk, f"{r['placement'].title} – {r['placement'].company.name}") for r in rows
    ]
    chosen = list(selectors.student_choices(round=round, student=request.user))
    initial = {f"choice_{c.rank}": str(c.placement_id) for c in chosen}
    form = RankingForm(
        request.POST or None, initial=initial, max_choices=round.max_choices, options=options
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_submit_choices(
                round=round, student=request.user, placement_ids=form.placement_ids()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request, _("Your ranking is saved. You can change it until the deadline.")
            )
            return redirect("matching:student_round", pk=round.pk)
    result = None
    worded = None
    if round.status == RoundStatus.PUBLISHED:
        result = selectors.student_result(round=round, student=request.user)
        if result is not None:
            worded = word(result.explanation, placements_for([result.explanation]))
    return render(
        request,
        "matching/student_round.html",
        {
            "round": round,
            "form": form,
            "rows": rows,
            "chosen": chosen,
            "can_rank": can_rank,
            "result": result,
            "worded": worded,
        },
    )


# --------------------------------------------------------------------------------------------
# Business


@login_required
@require_http_methods(["GET", "POST"])
def seat_ranking(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    seat = selectors.seat_for_business(user=request.user, placement_pk=pk, round_pk=round_id)
    if seat is None:
        raise Http404
    round = seat.round
    can_edit = perms.can_edit_company(request.user, seat.placement.company)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    chosen = list(selectors.candidates(seat=seat))
    hidden = services.candidates_hidden(round)
    if hidden:  # W2, W14: in the order they chose it, so not even the order hints at a name
        chosen.sort(key=lambda c: c.pk)
    names = {
        c.student_id: (_("Candidate %(number)s") % {"number": n} if hidden else c.student.full_name)
        for n, c in enumerate(chosen, start=1)
    }
    ranks = {
        r.student_id: r.rank for r in round.candidate_ranks.filter(placement_id=seat.placement_id)
    }
    initial = {"ranking": seat.ranking}
    initial.update({f"student_{sid}": rank for sid, rank in ranks.items()})
    form = SeatRankingForm(
        request.POST or None, initial=initial, seat=seat, candidates=chosen, names=names
    )
    open_now = services.rankings_open(round)
    if request.method == "POST" and form.is_valid():
        ordered = form.ordered_students()
        if form.is_valid():
            try:
                services.round_set_seat_ranking(
                    seat=seat,
                    by=request.user,
                    ranking=form.cleaned_data["ranking"],
                    student_ids=ordered
                    if form.cleaned_data["ranking"] == SeatRanking.RANK
                    else None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved. You can change it until the deadline."))
                return redirect("matching:seat_ranking", pk=pk, round_id=round.pk)
    reasons = recommend.reasons_for_business(seat.placement, [c.student_id for c in chosen])
    placed = []
    if round.status == RoundStatus.PUBLISHED:
        placed = list(
            round.results.filter(placement_id=seat.placement_id).select_related("student")
        )
    return render(
        request,
        "matching/seat_ranking.html",
        {
            "seat": seat,
            "round": round,
            "placement": seat.placement,
            "form": form,
            "rows": [
                {
                    "choice": c,
                    "name": names[c.student_id],
                    "field": form.position_field(c.student_id),
                    "reasons": reasons.get(c.student_id, []),
                    "programme": round.programme,
                }
                for c in chosen
            ],
            "hidden": hidden,
            "can_edit": can_edit and open_now,
            "open_now": open_now,
            "placed": placed,
            "manage_url": reverse("placements:manage", args=[seat.placement_id]),
        },
    )
