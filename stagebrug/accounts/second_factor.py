"""Two-step verification (TOTP, with recovery codes). School staff and operators see the data of
many students, often minors: for them a password alone does not open Stagebrug. Everyone else
may turn it on.

After the password, a login is *pending* until the second step is done: the session holds
`SESSION_KEY` ("verify" for a person with an authenticator app set up, "setup" for staff who
have none yet) and `SecondFactorMiddleware` sends every page to that step. The step is decided
once, at login, so checking it costs no query per request.

The codes are checked by django-otp: a code is accepted once (never again in the same 30
seconds), one step of clock drift either way is allowed, and wrong codes slow further tries
down (the wait doubles with each one). A recovery code works once and is then gone.
"""

from __future__ import annotations

import base64
import io
import re
import secrets
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stagebrug.accounts.models import User
from stagebrug.accounts.sessions import is_staff_person
from stagebrug.core.audit import audit_log

SESSION_KEY = "second_factor"
VERIFY = "verify"
SETUP = "setup"
#: The issuer name authenticator apps show next to the account.
ISSUER = "Stagebrug"
RECOVERY_CODES = 10
#: Lower case letters and digits that are hard to misread (no 0/o, 1/l/i).
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def is_required(user: User) -> bool:
    """School staff and operators must use two-step verification."""
    return is_staff_person(user)


def app_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def step_after_password(user: User) -> str | None:
    """What a login still needs after a right password: VERIFY, SETUP or nothing."""
    if app_device(user) is not None:
        return VERIFY
    if is_required(user):
        return SETUP
    return None


def pending_step(request: HttpRequest) -> str | None:
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY) if session is not None else None


def require_step(request: HttpRequest, step: str | None) -> None:
    if step is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = step


def on_login(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """`user_logged_in`: a right password opens only the second step, where there is one."""
    if request is not None and hasattr(request, "session"):
        require_step(request, step_after_password(user))


def after_new_role(request: HttpRequest) -> None:
    """A person logged in without the second step who just became staff (an invitation)
    sets it up before going on."""
    if DEVICE_ID_SESSION_KEY not in request.session and pending_step(request) is None:
        require_step(request, step_after_password(request.user))


def _passed(request: HttpRequest, device) -> None:
    """The second step is done for this session (django-otp's record of which device)."""
    request.session.pop(SESSION_KEY, None)
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # A new session key: whatever an onlooker saw of the pending session opens nothing.
    request.session.cycle_key()


# --- Setting up an authenticator app ---------------------------------------------------------


def setup_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up (the same key on every reload of the page, so a
    scanned code keeps working), created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ISSUER, confirmed=False)
    return device


def secret_in_groups(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG in a data: address (allowed by the CSP)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def clean_code(raw: str) -> str:
    """What a person typed, without spaces, dashes and case: "123 456" and "K7WQ-M2XP" work."""
    return re.sub(r"[\s\-]", "", raw or "").lower()


@transaction.atomic
def setup_confirm(
    *, request: HttpRequest, user: User, device: TOTPDevice, code: str
) -> list[str] | None:
    """Confirm the app with a code it shows. On success the person's earlier app and codes
    are replaced, fresh recovery codes are made and returned (shown once), and this session
    has passed the second step. None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if device.confirmed or not device.verify_token(clean_code(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_log(actor=user, action="two_factor_enabled", obj=user)
    _passed(request, device)
    return codes


# --- Recovery codes -----------------------------------------------------------------------------


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=ISSUER, confirmed=True)
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _new_recovery_codes(user)
    audit_log(actor=user, action="two_factor_recovery_codes", obj=user)
    return codes


# --- The second step of a login -------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    ok: bool
    #: Seconds to wait before the next try, when wrong codes slowed it down.
    wait: int = 0
    used_recovery_code: bool = False


def _wait(device) -> int:
    allowed, why = device.verify_is_allowed()
    if allowed or why.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return 0
    return max(1, int((why["locked_until"] - timezone.now()).total_seconds() + 0.999))


@transaction.atomic
def check(*, request: HttpRequest, user: User, code: str) -> Check:
    """The second step: six digits from the app, or a recovery code (used up when it works).
    Only the kind of device the code's shape fits counts a wrong try."""
    token = clean_code(code)
    model = TOTPDevice if token.isdigit() else StaticDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return Check(ok=False)
    wait = _wait(device)
    if wait:
        return Check(ok=False, wait=wait)
    if not device.verify_token(token):
        return Check(ok=False)
    recovery = model is StaticDevice
    if recovery:
        audit_log(actor=user, action="two_factor_recovery_code_used", obj=user)
    _passed(request, device)
    return Check(ok=True, used_recovery_code=recovery)


@transaction.atomic
def confirm_with_code(*, user: User, code: str) -> Check:
    """Ask for a current code before a change to the second step itself (new recovery codes,
    turning it off): a session left open on a shared computer cannot make that change."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return Check(ok=False)
    wait = _wait(device)
    if wait:
        return Check(ok=False, wait=wait)
    if device.verify_token(clean_code(code)):
        return Check(ok=True)
    return Check(ok=False)


@transaction.atomic
def turn_off(*, request: HttpRequest, user: User) -> None:
    """Remove the app and the recovery codes (only for people who are not required to use
    them; the view checks)."""
    _remove_devices(user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    audit_log(actor=user, action="two_factor_disabled", obj=user)


@transaction.atomic
def reset(*, user: User, by: User) -> None:
    """An operator removes a person's app and codes (a lost phone and lost codes, checked
    outside Stagebrug). Staff set up a new app at their next login."""
    _remove_devices(user)
    audit_log(actor=by, action="two_factor_reset", obj=user)


def _remove_devices(user: User) -> None:
    """The person's app and recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
