"""Recommendation pages (C5; W2, W14, W16): a student's best placements, and the discoverable
students who fit a business's placement. The work is in `recommend.py`; these views only load,
check who may look, and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stagebrug.applications.models import StudentProfile
from stagebrug.applications.recommendations.query import (
    candidates_for_placement,
    recommend_for_student,
)
from stagebrug.placements.selectors import placement_to_edit

PROFILE_PATH = "/student/profiel/"  # the lead's profile page (applications:profile)
SMALL_TRAVEL_KM = 10


def profile_url() -> str:
    try:
        return reverse("applications:profile")
    except NoReverseMatch:  # the profile pages are not installed (yet)
        return PROFILE_PATH


def profile_tips(profile: StudentProfile) -> list[str]:
    """What the student can add to get better recommendations (each gap scores neutral)."""
    tips = []
    if not (profile.wanted_activities.strip() or profile.activity_tags):
        tips.append(_("Say what you want to do: we match it with the placements' activities."))
    if profile.home_pc4_id is None:
        tips.append(_("Add your home postcode area, so we can show placements near you."))
    elif profile.max_travel_km < SMALL_TRAVEL_KM:
        tips.append(_("Travel a little further: a larger distance shows more placements."))
    if profile.hours_per_week is None:
        tips.append(_("Add how many hours a week you want to work."))
    if profile.available_from is None:
        tips.append(_("Add from when you are available."))
    if profile.allowance_needed is None:
        tips.append(_("Add the allowance you need per month."))
    return tips


@login_required
@require_GET
def student_recommendations(request: HttpRequest) -> HttpResponse:
    profile = (
        StudentProfile.objects.select_related("programme__institution", "home_pc4")
        .filter(user=request.user)
        .first()
    )
    context = {"profile": profile, "profile_url": profile_url()}
    if profile is not None:
        context["recommendations"] = recommend_for_student(profile, limit=20)
        context["tips"] = profile_tips(profile)
    return render(request, "recommend/student.html", context)


@login_required
@require_GET
def placement_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_to_edit(user=request.user, pk=pk)
    return render(
        request,
        "recommend/candidates.html",
        {"placement": placement, "candidates": candidates_for_placement(placement, limit=20)},
    )
