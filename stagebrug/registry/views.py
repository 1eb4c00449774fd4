"""Registry pages: the public directory, business registration, and company and school
management. Views are thin: forms validate, services write, selectors read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.forms import InvitationForm, SignupForm
from stagebrug.accounts.models import Invitation, Membership, Role
from stagebrug.accounts.services import (
    invitation_create,
    invitation_revoke,
    membership_remove,
    user_signup,
)
from stagebrug.core import doors
from stagebrug.core.forms import add_service_errors, detached
from stagebrug.core.htmx import render_page
from stagebrug.registry import hooks, selectors, services
from stagebrug.registry.decorators import company_view, institution_manage_view
from stagebrug.registry.forms import (
    CompanyForm,
    CompanySearchForm,
    DirectorySearchForm,
    InstitutionForm,
    LocationForm,
    ProgrammeForm,
    RecognitionForm,
    RequirementsForm,
    SupervisorForm,
)
from stagebrug.registry.models import (
    Company,
    Institution,
    Location,
    Programme,
    Recognition,
    Supervisor,
)

PAGE_SIZE = 25


def _page(request: HttpRequest, qs: models.QuerySet, size: int = PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registry/home.html",
        {
            "search_form": DirectorySearchForm(),
            "institutions": Institution.objects.order_by("name"),
            "programme_count": Programme.objects.filter(is_active=True).count(),
            "company_count": Company.objects.filter(is_public=True).count(),
        },
    )


# --------------------------------------------------------------------------------------------
# Public directory (W15: one place to find each programme, its requirements and contact)


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    programmes = selectors.programme_list(
        q=data.get("q"), kind=data.get("kind"), sector=data.get("sector")
    )
    context = {
        "form": form,
        "page_obj": _page(request, programmes),
        "institutions": selectors.institution_list(),
        "searched": any(data.values()) if data else False,
    }
    return render_page(
        request,
        "registry/directory.html",
        context,
        partial="registry/partials/programme_results.html",
    )


def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    programmes = selectors.programme_list(institution=institution)
    return render(
        request,
        "registry/institution_detail.html",
        {
            "institution": institution,
            "page_obj": _page(request, programmes, 50),
            "can_manage": perms.can_edit_institution(request.user, institution),
            "cards": hooks.cards_for(obj=institution, user=request.user),
        },
    )


def programme_detail(request: HttpRequest, slug: str, programme_slug: str) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.select_related("institution", "qualification", "croho"),
        institution__slug=slug,
        slug=programme_slug,
    )
    requirements = selectors.requirements_for(programme)
    return render(
        request,
        "registry/programme_detail.html",
        {
            "programme": programme,
            "requirements": requirements,
            "can_manage": perms.can_edit_institution(request.user, programme.institution),
            "cards": hooks.cards_for(obj=programme, user=request.user),
        },
    )


def company_list(request: HttpRequest) -> HttpResponse:
    form = CompanySearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    companies = selectors.company_public_list(
        q=data.get("q"), municipality=data.get("municipality")
    )
    return render_page(
        request,
        "registry/company_list.html",
        {"form": form, "page_obj": _page(request, companies)},
        partial="registry/partials/company_results.html",
    )


def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.company_get_for_view(user=request.user, pk=company_id)
    if company is None:
        raise Http404
    private = perms.can_view_company_private(request.user, company)
    context: dict[str, Any] = {
        "company": company,
        "private": private,
        "can_edit": perms.can_edit_company(request.user, company),
        "can_manage_team": perms.can_manage_company_team(request.user, company),
        "locations": company.locations.select_related("pc4__municipality"),
        "cards": hooks.cards_for(obj=company, user=request.user),
    }
    if private:
        context["supervisors"] = company.supervisors.all()
        context["recognitions"] = company.recognitions.select_related("qualification")
    return render(request, "registry/company_detail.html", context)


# --------------------------------------------------------------------------------------------
# Registration flow: account → company → supervisors → recognitions (resumable)

REGISTRATION_STEPS = [
    ("account", gettext_lazy("Your account")),
    ("company", gettext_lazy("Your business")),
    ("supervisors", gettext_lazy("Supervisors")),
    ("recognitions", gettext_lazy("SBB recognitions")),
]


def _steps(current: str) -> list[dict[str, Any]]:
    keys = [k for k, _label in REGISTRATION_STEPS]
    return [
        {
            "key": k,
            "label": label,
            "current": k == current,
            "done": keys.index(k) < keys.index(current),
        }
        for k, label in REGISTRATION_STEPS
    ]


def _unfinished_registration(user) -> Company | None:
    for m in perms.memberships(user):
        if (
            m.role == Role.COMPANY_OWNER
            and m.company.registration_step != Company.RegistrationStep.DONE
        ):
            return m.company
    return None


def register_start(request: HttpRequest) -> HttpResponse:
    """Send the owner to where they left off."""
    if not request.user.is_authenticated:
        return redirect("registry:register_account")
    company = _unfinished_registration(request.user)
    if company is None:
        return redirect("registry:register_company")
    step = company.registration_step
    return redirect(f"registry:register_{step}", company_id=company.pk)


@require_http_methods(["GET", "POST"])
def register_account(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("registry:register_start")
    if request.method == "POST" and doors.knock(request, doors.REGISTRATION):
        return doors.refused(request, doors.REGISTRATION)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_signup(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="stagebrug.accounts.backends.EmailBackend")
            messages.success(request, _("Your account is ready. Now tell us about your business."))
            return redirect("registry:register_company")
    return render(
        request, "registry/register_account.html", {"form": form, "steps": _steps("account")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_company(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_register(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your business is registered. Add your supervisors next."))
            return redirect("registry:register_supervisors", company_id=company.pk)
    return render(
        request, "registry/register_company.html", {"form": form, "steps": _steps("company")}
    )


# --------------------------------------------------------------------------------------------
# Company children: locations, supervisors, recognitions (shared by registration and management)


@dataclass(frozen=True)
class ChildKind:
    slug: str
    model: type[models.Model]
    form: type
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    title: Any
    add_title: Any
    empty: Any
    related: str
    select_related: tuple[str, ...] = ()
    form_takes_company: bool = True


CHILD_KINDS = {
    "locaties": ChildKind(
        slug="locaties",
        model=Location,
        form=LocationForm,
        create=services.location_create,
        update=lambda obj, **kw: services.location_update(location=obj, **kw),
        delete=lambda obj, **kw: services.location_delete(location=obj, **kw),
        title=gettext_lazy("Locations"),
        add_title=gettext_lazy("Add a location"),
        empty=gettext_lazy("No locations yet."),
        related="locations",
        select_related=("pc4__municipality",),
        form_takes_company=False,
    ),
    "begeleiders": ChildKind(
        slug="begeleiders",
        model=Supervisor,
        form=SupervisorForm,
        create=services.supervisor_create,
        update=lambda obj, **kw: services.supervisor_update(supervisor=obj, **kw),
        delete=lambda obj, **kw: services.supervisor_delete(supervisor=obj, **kw),
        title=gettext_lazy("Workplace supervisors"),
        add_title=gettext_lazy("Add a supervisor"),
        empty=gettext_lazy(
            "No supervisors yet. Add the people who will guide interns (W9: a buddy helps)."
        ),
        related="supervisors",
    ),
    "erkenningen": ChildKind(
        slug="erkenningen",
        model=Recognition,
        form=RecognitionForm,
        create=services.recognition_create,
        update=lambda obj, **kw: services.recognition_update(recognition=obj, **kw),
        delete=lambda obj, **kw: services.recognition_delete(recognition=obj, **kw),
        title=gettext_lazy("SBB recognitions"),
        add_title=gettext_lazy("Add a recognition"),
        empty=gettext_lazy(
            "No recognitions yet. To host MBO students you need an SBB recognition (W3)."
        ),
        related="recognitions",
        select_related=("qualification",),
    ),
}


def _child_kind(kind: str) -> ChildKind:
    try:
        return CHILD_KINDS[kind]
    except KeyError:
        raise Http404 from None


def _child_form(spec: ChildKind, company: Company, *args, **kwargs):
    if spec.form_takes_company:
        kwargs["company"] = company
    form = spec.form(*args, **kwargs)
    if not spec.form_takes_company:
        form.instance.company = company
    return form


def _child_page(
    request: HttpRequest, company: Company, spec: ChildKind, *, registration_step: str | None
) -> HttpResponse:
    form = _child_form(spec, company, request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "next" and registration_step:
            return _registration_next(request, company, registration_step)
        if form.is_valid():
            try:
                spec.create(company=company, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.path)
    objects = getattr(company, spec.related).select_related(*spec.select_related)
    context = {
        "company": company,
        "spec": spec,
        "form": form,
        "objects": objects,
        "registration_step": registration_step,
        "steps": _steps(registration_step) if registration_step else None,
        "row_template": f"registry/partials/{spec.slug}_row.html",
    }
    return render(request, "registry/company_children.html", context)


def _registration_next(request: HttpRequest, company: Company, step: str) -> HttpResponse:
    if step == "supervisors":
        services.company_registration_advance(
            company=company, by=request.user, step=Company.RegistrationStep.RECOGNITIONS
        )
        return redirect("registry:register_recognitions", company_id=company.pk)
    services.company_registration_advance(
        company=company, by=request.user, step=Company.RegistrationStep.DONE
    )
    messages.success(request, _("Your registration is complete. Welcome to Stagebrug!"))
    return redirect(company.get_absolute_url())


@company_view(edit=True)
@require_http_methods(["GET", "POST"])
def register_supervisors(request: HttpRequest, company: Company) -> HttpResponse:
    return _child_page(
        request, company, CHILD_KINDS["begeleiders"], registration_step="supervisors"
    )


@company_view(edit=True)
@require_http_methods(["GET", "POST"])
def register_recognitions(request: HttpRequest, company: Company) -> HttpResponse:
    return _child_page(
        request, company, CHILD_KINDS["erkenningen"], registration_step="recognitions"
    )


@company_view(edit=True)
@require_http_methods(["GET", "POST"])
def company_children(request: HttpRequest, company: Company, kind: str) -> HttpResponse:
    return _child_page(request, company, _child_kind(kind), registration_step=None)


def _child_object(company: Company, spec: ChildKind, obj_id: int) -> models.Model:
    obj = getattr(company, spec.related).filter(pk=obj_id).first()
    if obj is None:
        raise Http404
    obj.company = company
    return obj


@company_view(edit=True)
@require_http_methods(["GET", "POST"])
def company_child_edit(
    request: HttpRequest, company: Company, kind: str, obj_id: int
) -> HttpResponse:
    spec = _child_kind(kind)
    obj = _child_object(company, spec, obj_id)
    form = _child_form(spec, company, request.POST or None, instance=detached(obj))
    if request.method == "POST" and form.is_valid():
        try:
            spec.update(obj, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:company_children", company_id=company.pk, kind=kind)
    return render(
        request,
        "registry/company_child_edit.html",
        {"company": company, "spec": spec, "form": form, "object": obj},
    )


@company_view(edit=True)
@require_http_methods(["GET", "POST"])
def company_child_delete(
    request: HttpRequest, company: Company, kind: str, obj_id: int
) -> HttpResponse:
    spec = _child_kind(kind)
    obj = _child_object(company, spec, obj_id)
    if request.method == "POST":
        try:
            spec.delete(obj, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Deleted."))
        return redirect("registry:company_children", company_id=company.pk, kind=kind)
    return render(
        request,
        "registry/confirm_delete.html",
        {
            "object": obj,
            "cancel_url": reverse(
                "registry:company_children", kwargs={"company_id": company.pk, "kind": kind}
            ),
        },
    )


@company_view(edit=True)
@require_http_methods(["GET", "POST"])
def company_edit(request: HttpRequest, company: Company) -> HttpResponse:
    form = CompanyForm(request.POST or None, instance=detached(company))
    if request.method == "POST" and form.is_valid():
        try:
            services.company_update(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(company.get_absolute_url())
    return render(request, "registry/company_edit.html", {"company": company, "form": form})


# --------------------------------------------------------------------------------------------
# Teams and invitations (company owners invite colleagues; coordinators invite school staff)


def _team_page(
    request: HttpRequest,
    *,
    organisation: Company | Institution,
    roles: list[tuple[str, str]],
    template: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    is_company = isinstance(organisation, Company)
    filter_kw = {"company": organisation} if is_company else {"institution": organisation}
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and request.POST.get("action") == "invite" and form.is_valid():
        try:
            invitation_create(by=request.user, **form.cleaned_data, **filter_kw)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("We sent an invitation to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect(request.path)
    members = (
        Membership.objects.filter(**filter_kw)
        .exclude(role=Role.STUDENT)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    invitations = Invitation.objects.filter(
        accepted_at=None, revoked_at=None, **filter_kw
    ).select_related("invited_by")
    context = {
        "organisation": organisation,
        "form": form,
        "members": members,
        "invitations": invitations,
        **(extra or {}),
    }
    return render(request, template, context)


@company_view(team=True)
@require_http_methods(["GET", "POST"])
def company_team(request: HttpRequest, company: Company) -> HttpResponse:
    roles = [
        (Role.COMPANY_MEMBER, Role.COMPANY_MEMBER.label),
        (Role.COMPANY_SUPERVISOR, Role.COMPANY_SUPERVISOR.label),
        (Role.COMPANY_OWNER, Role.COMPANY_OWNER.label),
    ]
    return _team_page(
        request,
        organisation=company,
        roles=roles,
        template="registry/company_team.html",
        extra={"company": company},
    )


@company_view(team=True)
@require_POST
def company_team_remove(request: HttpRequest, company: Company, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=membership_id, company=company)
    try:
        membership_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect("registry:company_team", company_id=company.pk)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    try:
        invitation_revoke(invitation=invitation, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The invitation was withdrawn."))
    if invitation.company_id:
        return redirect("registry:company_team", company_id=invitation.company_id)
    return redirect("registry:institution_manage", slug=invitation.institution.slug)


# --------------------------------------------------------------------------------------------
# School management: coordinators keep their own programmes and requirements


@institution_manage_view
@require_http_methods(["GET", "POST"])
def institution_manage(request: HttpRequest, institution: Institution) -> HttpResponse:
    edit_form = InstitutionForm(
        request.POST if request.POST.get("action") == "edit" else None,
        instance=detached(institution),
    )
    if request.method == "POST" and request.POST.get("action") == "edit" and edit_form.is_valid():
        services.institution_update(
            institution=institution, by=request.user, **edit_form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect(request.path)
    roles = [
        (Role.SCHOOL_SUPERVISOR, Role.SCHOOL_SUPERVISOR.label),
        (Role.SCHOOL_COORDINATOR, Role.SCHOOL_COORDINATOR.label),
    ]
    return _team_page(
        request,
        organisation=institution,
        roles=roles,
        template="registry/institution_manage.html",
        extra={
            "institution": institution,
            "edit_form": edit_form,
            "programmes": selectors.programme_list(institution=institution, active_only=False),
        },
    )


@institution_manage_view
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest, institution: Institution) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                institution=institution, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Programme added. Now set its placement requirements."))
            return redirect(
                "registry:requirements_edit", slug=institution.slug, programme_slug=programme.slug
            )
    return render(
        request,
        "registry/programme_form.html",
        {"institution": institution, "form": form, "programme": None},
    )


def _managed_programme(institution: Institution, programme_slug: str) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("institution", "qualification", "croho"),
        institution=institution,
        slug=programme_slug,
    )


@institution_manage_view
@require_http_methods(["GET", "POST"])
def programme_edit(
    request: HttpRequest, institution: Institution, programme_slug: str
) -> HttpResponse:
    programme = _managed_programme(institution, programme_slug)
    form = ProgrammeForm(request.POST or None, instance=detached(programme))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(programme.get_absolute_url())
    return render(
        request,
        "registry/programme_form.html",
        {"institution": institution, "form": form, "programme": programme},
    )


@institution_manage_view
@require_http_methods(["GET", "POST"])
def requirements_edit(
    request: HttpRequest, institution: Institution, programme_slug: str
) -> HttpResponse:
    programme = _managed_programme(institution, programme_slug)
    requirements = selectors.requirements_for(programme)
    form = RequirementsForm(request.POST or None, instance=detached(requirements))
    if request.method == "POST" and form.is_valid():
        try:
            services.requirements_update(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The placement requirements are saved."))
            return redirect(programme.get_absolute_url())
    return render(
        request,
        "registry/requirements_form.html",
        {"institution": institution, "programme": programme, "form": form},
    )
