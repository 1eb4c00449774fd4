"""Helpers for two-step verification in tests: the code an authenticator app would show."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def app_code(device: TOTPDevice) -> str:
    """The code the person's app shows now, or the next one when this one was used already
    (a code is accepted once; the next 30-second step is within the allowed drift)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    while totp.t() <= device.last_t - 1:  # more than one step ahead: wait for the clock
        time.sleep(1)
        totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def code_for(email: str) -> str:
    """The code for the device being set up, or else the confirmed one, of this person."""
    device = TOTPDevice.objects.filter(user__email=email).order_by("confirmed", "-pk").first()
    assert device is not None, f"{email} has no authenticator app"
    return app_code(device)


def pass_second_step(client, email: str) -> None:
    """After a right password (Client.post to the login page): do the second step the way
    the person would, setting up an app first where they have none."""
    response = client.get("/account/")
    if response.status_code != 302 or "/tweestaps/" not in response["Location"]:
        return
    step_url = response["Location"].split("?")[0]
    client.get(step_url)  # the set-up page makes the device
    response = client.post(step_url, {"code": code_for(email)})
    assert response.status_code == 302, response.content.decode()[:2000]
