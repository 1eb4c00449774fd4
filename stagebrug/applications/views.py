"""Student and application pages: profile with CV and support notes, applying, the
application page both sides share (status, reasons, interviews, messages), and the inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stagebrug.accounts import permissions as perms
from stagebrug.applications import identity, selectors, services
from stagebrug.applications.forms import (
    ApplyForm,
    InterviewForm,
    MessageForm,
    ProfileForm,
    ReasonForm,
    SupportNoteForm,
)
from stagebrug.applications.models import ApplicationStatus, Interview, Notification, StudentProfile
from stagebrug.applications.recommendations.query import reasons_for_business
from stagebrug.core.forms import add_service_errors, detached, flash_errors
from stagebrug.placements import selectors as placement_selectors

S = ApplicationStatus


# --------------------------------------------------------------------------------------------
# Student profile


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    programmes = selectors.student_programmes(request.user)
    initial = {}
    if profile is None:
        known = [
            m.programme_id for m in services.student_memberships(request.user) if m.programme_id
        ]
        if known:
            initial["programme"] = known[0]
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=detached(profile) if profile else None,
        programmes=programmes,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("cv")
        try:
            profile = services.profile_submit(
                user=request.user,
                by=request.user,
                home_postcode=form.cleaned_data.get("home_postcode"),
                cv=(upload.name, upload.read()) if upload else None,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("applications:profile")
    notes = profile.support_notes.select_related("author") if profile else []
    return render(
        request,
        "applications/profile.html",
        {"form": form, "profile": profile, "notes": notes, "note_form": SupportNoteForm()},
    )


@login_required
@require_POST
def profile_cv_remove(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    if profile is None:
        raise Http404
    services.profile_remove_cv(profile=profile, by=request.user)
    messages.success(request, _("Your CV is removed."))
    return redirect("applications:profile")


def _cv_response(profile: StudentProfile) -> HttpResponse:
    if not profile.cv:
        raise Http404
    with profile.cv.open("rb") as handle:  # at most CV_MAX_BYTES
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="cv.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def cv_download(request: HttpRequest, user_id: int) -> HttpResponse:
    """The CV is never public: the student, and businesses the student applied to."""
    profile = get_object_or_404(StudentProfile, user_id=user_id)
    if not profile.cv:
        raise Http404
    try:
        return _cv_response(services.cv_open(request.user, profile))
    except (PermissionDenied, FileNotFoundError):
        raise Http404 from None


@login_required
@require_POST
def support_note_add(request: HttpRequest, user_id: int) -> HttpResponse:
    profile = get_object_or_404(StudentProfile.objects.select_related("programme"), user_id=user_id)
    form = SupportNoteForm(request.POST)
    if form.is_valid():
        try:
            services.support_note_add(
                profile=profile, by=request.user, text=form.cleaned_data["text"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The note is saved."))
    if request.user.pk == profile.user_id:
        return redirect("applications:profile")
    return redirect("applications:school_students", slug=profile.programme.institution.slug)


# --------------------------------------------------------------------------------------------
# Applying


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_selectors.placement_public(pk=pk)
    if placement is None:
        raise Http404
    profile = selectors.profile_of(request.user)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                student=request.user,
                placement=placement,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("You applied. The business gets a message and answers you here.")
            )
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/apply.html",
        {"placement": placement, "form": form, "profile": profile},
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.student_applications(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "applications/my_applications.html", {"page_obj": page})


@login_required
def placement_applications(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_selectors.placement_to_edit(user=request.user, pk=pk)
    page = Paginator(selectors.placement_applications(placement=placement), 25).get_page(
        request.GET.get("page")
    )
    for application in page.object_list:
        application.shown_name = identity.applicant_name(application, request.user)
    return render(
        request,
        "applications/placement_applications.html",
        {"placement": placement, "page_obj": page},
    )


# --------------------------------------------------------------------------------------------
# The application page, shared by the student and the business


def _application(request: HttpRequest, pk: int):
    application = selectors.application_for(user=request.user, pk=pk)
    if application is None:
        raise Http404
    return application


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    is_student = application.student_id == request.user.pk
    profile = getattr(application.student, "student_profile", None)
    hidden = identity.hidden_from(application, request.user)
    fit_reasons = []
    if hidden and profile is not None:
        fit_reasons = reasons_for_business(application.placement, [application.student_id]).get(
            application.student_id, []
        )
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "is_student": is_student,
            "is_business": not is_student,
            "profile": profile,
            "hidden": hidden,
            "applicant": identity.applicant_name(application, request.user),
            "fit_reasons": fit_reasons,
            "thread": [
                (m, identity.person_name(application, m.author, request.user))
                for m in application.messages.all()
            ],
            "history": [
                (e, identity.person_name(application, e.actor, request.user))
                for e in application.events.all()
            ],
            "message_form": MessageForm(),
            "conversation_open": services.conversation_open(application),
            "reason_form": ReasonForm(),
            "interview_form": InterviewForm(),
            "business_moves": sorted(services.BUSINESS_MOVES.get(application.status, set())),
        },
    )


@login_required
@require_POST
def application_message(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(
                application=application, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Write a message first."))
    return redirect("applications:detail", pk=pk)


ACTIONS = {
    "shortlist": S.SHORTLISTED,
    "aanbod": S.OFFER,
    "afwijzen": S.REJECTED,
}


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = _application(request, pk)
    reason = request.POST.get("reason", "")
    try:
        if action in ACTIONS:
            services.application_move(
                application=application, by=request.user, to=ACTIONS[action], reason=reason
            )
        elif action == "intrekken":
            services.application_withdraw(application=application, by=request.user, reason=reason)
        elif action == "accepteren":
            services.offer_accept(application=application, by=request.user)
            messages.success(request, _("Congratulations! The placement is yours."))
        elif action == "weigeren":
            services.offer_decline(application=application, by=request.user, reason=reason)
        else:
            raise Http404
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("applications:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def interview_propose(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not perms.can_edit_company(request.user, application.placement.company):
        raise Http404
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_propose(
                application=application, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The student is invited and gets a calendar file."))
            return redirect("applications:detail", pk=pk)
    return render(
        request,
        "applications/interview_form.html",
        {
            "application": application,
            "applicant": identity.applicant_name(application, request.user),
            "form": form,
        },
    )


@login_required
def interview_ics(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(Interview.objects.select_related("application"), pk=pk)
    _application(request, interview.application_id)  # permission
    response = HttpResponse(
        services.interview_ics(interview), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="stagebrug-gesprek-{interview.pk}.ics"'
    return response


# --------------------------------------------------------------------------------------------
# Inbox and the school's students


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("applications:inbox")
    qs = Notification.objects.filter(user=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/inbox.html",
        {"page_obj": page, "unread": qs.filter(read_at=None).count()},
    )


@login_required
def school_students(request: HttpRequest, slug: str) -> HttpResponse:
    """School staff see their students' profiles, and add support notes where the student
    consented (W14). They do not read the notes: only the student and the workplace supervisor
    do."""
    from stagebrug.registry.models import Institution

    institution = get_object_or_404(Institution, slug=slug)
    if institution.pk not in perms.institution_ids(request.user, perms.SCHOOL_STAFF):
        raise Http404
    profiles = (
        StudentProfile.objects.filter(programme__institution=institution)
        .select_related("user", "programme")
        .order_by("user__full_name", "pk")
    )
    query = (request.GET.get("q") or "").strip()
    if query:
        profiles = profiles.filter(user__full_name__icontains=query)
    page = Paginator(profiles, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/school_students.html",
        {
            "institution": institution,
            "page_obj": page,
            "note_form": SupportNoteForm(),
            "query": query,
        },
    )
