"""Account pages: log in and out, password reset, invitations, the dashboard, API tokens and
"my data" (see, export and delete what we keep about you)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stagebrug.accounts import hooks, second_factor, services
from stagebrug.accounts import permissions as perms
from stagebrug.accounts.forms import (
    ApiTokenForm,
    EraseForm,
    LoginForm,
    SignupForm,
    StyledPasswordResetForm,
    StyledSetPasswordForm,
)
from stagebrug.accounts.models import ApiToken, Role
from stagebrug.core import doors
from stagebrug.core.forms import add_service_errors


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What a locked-out login gets (AXES_LOCKOUT_CALLABLE): 429 and how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    page = render(request, "accounts/locked_out.html", {"lockout_minutes": minutes}, status=429)
    page["Retry-After"] = str(minutes * 60)
    return page


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. A client may ask a few times an hour, and one address gets at
    most a few e-mails an hour whoever asks (stagebrug.core.doors)."""

    template_name = "accounts/password_reset.html"
    form_class = StyledPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if doors.knock(request, doors.PASSWORD_RESET):
            return doors.refused(request, doors.PASSWORD_RESET)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        if doors.knock(self.request, doors.PASSWORD_RESET_ADDRESS, by=address):
            # Say the same as always: whether an address has an account stays unknown.
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password with the link from the e-mail. A client that opens too many wrong
    links is paused (stagebrug.core.doors.LINK_GUESS)."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = StyledSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def dispatch(self, *args, **kwargs):
        if doors.is_shut(self.request, doors.LINK_GUESS):
            return doors.refused(self.request, doors.LINK_GUESS)
        response = super().dispatch(*args, **kwargs)
        if not self.validlink:
            doors.knock(self.request, doors.LINK_GUESS)
        return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """My Stagebrug: a card per role with what each app offers for it, then the apps' own
    cards (`hooks.membership_links`, `hooks.dashboard_cards`)."""
    memberships = perms.memberships(request.user)
    roles = [
        (m, [link for links in hooks.membership_links.call_each(membership=m) for link in links])
        for m in memberships
        if m.role != Role.OPERATOR
    ]
    cards = [
        card
        for found in hooks.dashboard_cards.call_each(user=request.user, memberships=memberships)
        for card in found
    ]
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": memberships,
            "roles": roles,
            "cards": cards,
            "is_operator": perms.is_operator(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation. Without an account, the invitee creates one for that e-mail."""
    if doors.is_shut(request, doors.LINK_GUESS):
        return doors.refused(request, doors.LINK_GUESS)
    invitation = services.invitation_find(token=token)
    if invitation is None:
        doors.knock(request, doors.LINK_GUESS)
        raise Http404
    context = {
        "invitation": invitation,
        "organisation": invitation.company or invitation.institution,
    }
    if not invitation.is_open:
        return render(request, "accounts/invitation_closed.html", context, status=410)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("accounts:dashboard")
            second_factor.after_new_role(request)
            messages.success(request, _("Welcome! You now have access."))
            return redirect("accounts:dashboard")
        return render(request, "accounts/invitation_accept.html", context)
    form = SignupForm(request.POST or None, fixed_email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_signup(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="stagebrug.accounts.backends.EmailBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("accounts:dashboard")
    context["form"] = form
    return render(request, "accounts/invitation_signup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at=None)
    return render(
        request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked_at=None)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token no longer works."))
    return redirect("accounts:api_tokens")


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    data = services.user_export(user=request.user)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="stagebrug-mijn-gegevens.json"'
        return response
    return render(
        request,
        "accounts/my_data.html",
        {
            "data": data,
            "inactive_months": settings.INACTIVE_ACCOUNT_MONTHS,
            "warning_days": settings.INACTIVE_ACCOUNT_WARNING_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.user_erase(user=user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data were deleted."))
            return redirect("registry:home")
    return render(request, "accounts/erase.html", {"form": form})
