"""Reads for students and applications, with the permission filter built in."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.functional import SimpleLazyObject

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import Role, User
from stagebrug.applications.models import (
    Application,
    Interview,
    Message,
    Notification,
    StudentProfile,
)
from stagebrug.registry.models import Programme

APPLICATION_JOINS = (
    "placement__company",
    "placement__location",
    "student__student_profile__programme",
)


def student_programmes(user: User) -> QuerySet[Programme]:
    """The programmes a student follows (memberships); all active ones when none is recorded."""
    ids = [
        m.programme_id for m in perms.memberships(user) if m.role == Role.STUDENT and m.programme_id
    ]
    qs = Programme.objects.filter(is_active=True)
    institution_ids = [m.institution_id for m in perms.memberships(user) if m.role == Role.STUDENT]
    if ids:
        return qs.filter(pk__in=ids)
    if institution_ids:
        return qs.filter(institution_id__in=institution_ids)
    return qs.none()  # not a student


def profile_of(user: User) -> StudentProfile | None:
    return (
        StudentProfile.objects.select_related("programme__institution", "home_pc4")
        .filter(user=user)
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )


def application_for(*, user: User, pk: int) -> Application | None:
    """The application if the user is its student or may act for its business."""
    application = (
        Application.objects.select_related(*APPLICATION_JOINS, "placement__buddy")
        .prefetch_related(
            "events__actor",
            "messages__author",
            Prefetch("interviews", queryset=Interview.objects.order_by("starts_at")),
        )
        .filter(pk=pk)
        .first()
    )
    if application is None:
        return None
    if application.student_id == user.pk or perms.can_edit_company(
        user, application.placement.company
    ):
        return application
    return None


def student_applications(*, user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(student=user)
        .select_related(*APPLICATION_JOINS)
        .order_by("-updated_at", "-id")
    )


def placement_applications(*, placement) -> QuerySet[Application]:
    return (
        Application.objects.filter(placement=placement)
        .select_related(*APPLICATION_JOINS)
        .order_by("status", "created_at", "id")
    )


def unread_notifications(user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def header_context(request) -> dict:
    """The unread count in every page's header: one query, and only when a template shows it
    (not for htmx fragments such as progress polls)."""
    user = request.user
    return {"unread_notifications": SimpleLazyObject(lambda: unread_notifications(user))}


def personal_data(*, user: User) -> dict:
    """The applications' part of a person's data export: their student profile with its
    support notes, applications, messages, interviews and inbox."""
    profile = (
        StudentProfile.objects.select_related("programme", "home_pc4").filter(user=user).first()
    )
    out: dict = {"student_profile": None}
    if profile is not None:
        out["student_profile"] = {
            "programme": profile.programme.name,
            "year": profile.year,
            "home_postcode_area": profile.home_pc4_id,
            "available_from": profile.available_from.isoformat()
            if profile.available_from
            else None,
            "hours_per_week": profile.hours_per_week,
            "wanted_activities": profile.wanted_activities,
            "activity_tags": profile.activity_tags,
            "skills": profile.skills,
            "skill_tags": profile.skill_tags,
            "languages": profile.languages,
            "allowance_needed": str(profile.allowance_needed)
            if profile.allowance_needed is not None
            else None,
            "max_travel_km": profile.max_travel_km,
            "discoverable": profile.discoverable,
            "school_may_add_notes": profile.school_may_add_notes,
            "has_cv": bool(profile.cv),
            "support_notes": [
                {"by": n.author_role, "text": n.text, "at": n.created_at.isoformat()}
                for n in profile.support_notes.all()
            ],
        }
    out["applications"] = [
        {
            "placement": a.placement.title,
            "company": a.placement.company.name,
            "status": a.status,
            "motivation": a.motivation,
            "at": a.created_at.isoformat(),
        }
        for a in Application.objects.filter(student=user).select_related("placement__company")
    ]
    out["messages_written"] = [
        {"application": m.application_id, "text": m.body, "at": m.created_at.isoformat()}
        for m in Message.objects.filter(author=user)[:5000]
    ]
    out["interviews"] = [
        {
            "placement": i.application.placement.title,
            "at": i.starts_at.isoformat(),
            "where": i.location,
        }
        for i in Interview.objects.filter(application__student=user).select_related(
            "application__placement"
        )
    ]
    out["notifications"] = [
        {"title": n.title, "at": n.created_at.isoformat()}
        for n in Notification.objects.filter(user=user)[:1000]
    ]
    return out
