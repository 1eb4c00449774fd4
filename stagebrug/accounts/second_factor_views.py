"""Pages of two-step verification: the second step of a login, setting up an authenticator
app, the recovery codes (shown once) and changing the set-up (stagebrug.accounts.second_factor)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from stagebrug.accounts import second_factor as sf
from stagebrug.accounts.forms import (
    SecondFactorChangeForm,
    SecondFactorCodeForm,
    SecondFactorSetupForm,
)

#: The new recovery codes, kept in the session only until the person has seen them.
NEW_CODES_KEY = "second_factor_new_codes"
#: The session passed a current code to move to a new app.
REPLACE_KEY = "second_factor_replace"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/account/"


def _wrong_code(form, result: sf.Check) -> None:
    if result.wait:
        form.add_error(
            "code",
            ngettext(
                "Too many wrong codes. For your safety, wait %(seconds)s second and try again.",
                "Too many wrong codes. For your safety, wait %(seconds)s seconds and try again.",
                result.wait,
            )
            % {"seconds": result.wait},
        )
    else:
        form.add_error(
            "code",
            _(
                "This code is not right. Type the code your app shows now; if it keeps "
                "failing, check that the time on your phone is set automatically."
            ),
        )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login."""
    if sf.pending_step(request) != sf.VERIFY:
        return redirect(_next(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = sf.check(request=request, user=request.user, code=form.cleaned_data["code"])
        if result.ok:
            if result.used_recovery_code:
                left = sf.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(left)s is left. Make new ones on the "
                        "two-step verification page.",
                        "You used a recovery code; %(left)s are left. Make new ones on the "
                        "two-step verification page.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
        _wrong_code(form, result)
    return render(
        request, "accounts/second_factor/verify.html", {"form": form, "next": _next(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: for staff at their first login, for anyone who chooses
    to, and to move to a new phone (after a current code, see `manage`)."""
    step = sf.pending_step(request)
    has_app = sf.app_device(request.user) is not None
    if step == sf.VERIFY or (has_app and not request.session.get(REPLACE_KEY)):
        return redirect("accounts:second_factor")
    device = sf.setup_device(request.user)
    form = SecondFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = sf.setup_confirm(
            request=request, user=request.user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            request.session.pop(REPLACE_KEY, None)
            messages.success(request, _("Two-step verification is on."))
            return _show_codes(request, codes, then=_next(request))
        _wrong_code(form, sf.Check(ok=False))
    return render(
        request,
        "accounts/second_factor/setup.html",
        {
            "form": form,
            "next": _next(request),
            "required": step == sf.SETUP,
            "qr": sf.qr_code_data_uri(device),
            "secret": sf.secret_in_groups(device),
        },
    )


def _show_codes(request: HttpRequest, codes: list[str], *, then: str) -> HttpResponse:
    request.session[NEW_CODES_KEY] = codes
    return redirect(f"{reverse('accounts:second_factor_codes')}?{urlencode({'next': then})}")


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, once; after "I have stored them" they are not shown again."""
    codes = request.session.get(NEW_CODES_KEY)
    if request.method == "POST" or not codes:
        request.session.pop(NEW_CODES_KEY, None)
        return redirect(_next(request))
    return render(
        request,
        "accounts/second_factor/recovery_codes.html",
        {"codes": codes, "next": _next(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """Whether two-step verification is on, and the changes to it (each asks for a current
    code from the app)."""
    device = sf.app_device(request.user)
    required = sf.is_required(request.user)
    form = SecondFactorChangeForm(request.POST or None, may_turn_off=not required)
    if device is not None and request.method == "POST" and form.is_valid():
        result = sf.confirm_with_code(user=request.user, code=form.cleaned_data["code"])
        if not result.ok:
            _wrong_code(form, result)
        elif form.cleaned_data["action"] == form.NEW_CODES:
            codes = sf.recovery_codes_renew(user=request.user)
            return _show_codes(request, codes, then=reverse("accounts:second_factor"))
        elif form.cleaned_data["action"] == form.NEW_APP:
            request.session[REPLACE_KEY] = True
            return redirect("accounts:second_factor_setup")
        else:
            sf.turn_off(request=request, user=request.user)
            messages.success(request, _("Two-step verification is off."))
            return redirect("accounts:second_factor")
    return render(
        request,
        "accounts/second_factor/manage.html",
        {
            "form": form,
            "device": device,
            "required": required,
            "codes_left": sf.recovery_codes_left(request.user) if device else 0,
        },
    )
