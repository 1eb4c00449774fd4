"""Two-step verification: required for school staff and operators, a choice for others
(stagebrug.accounts.second_factor). Every login here goes through the real pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stagebrug.accounts.admin import reset_second_factor
from stagebrug.accounts.models import Role, User
from stagebrug.accounts.services import invitation_create
from stagebrug.core.models import AuditEvent
from tests.factories import PASSWORD
from tests.two_step import app_code, code_for

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
VERIFY = "/account/tweestaps/"
SETUP = "/account/tweestaps/instellen/"
CODES = "/account/tweestaps/herstelcodes/"
MANAGE = "/account/tweestaps/beheren/"


def password_only(email: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": email, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return client


def set_up_app(client: Client, email: str) -> list[str]:
    """Set up an app on the set-up page; returns the recovery codes shown."""
    assert client.get(SETUP).status_code == 200
    response = client.post(SETUP, {"code": code_for(email), "next": "/account/"})
    assert response.status_code == 302 and response["Location"].startswith(CODES)
    page = client.get(response["Location"]).content.decode()
    codes = [line.split("<code>")[1].split("</code>")[0] for line in page.split("<li>")[1:]]
    codes = [c for c in codes if "-" in c]
    assert client.post(CODES, {"next": "/account/"})["Location"] == "/account/"
    return codes


def after_a_wait(seconds: int = 5):
    """A wrong code slows the next try down by a second or more: a person takes that long."""
    return time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds))


def staff_with_app(email: str) -> list[str]:
    client = password_only(email)
    return set_up_app(client, email)


@pytest.mark.parametrize("who", ["coordinator", "teacher", "operator"])
def test_staff_must_set_up_an_app_before_anything_else(personas, who):
    email = getattr(personas, who).email
    client = password_only(email)
    for page in ["/account/", "/account/mijn-gegevens/", "/stages/", "/beheer/"]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(SETUP + "?next="), page
    # The API does not count the pending login as logged in.
    assert client.get("/api/v1/me/companies").status_code == 401
    assert client.get(SETUP).status_code == 200
    set_up_app(client, email)
    assert client.get("/account/").status_code == 200
    assert AuditEvent.objects.filter(
        action="two_factor_enabled", object_id=str(getattr(personas, who).pk)
    ).exists()


def test_a_wrong_code_does_not_turn_it_on(personas):
    client = password_only(personas.coordinator.email)
    client.get(SETUP)
    right = code_for(personas.coordinator.email)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.coordinator, confirmed=True).exists()
    assert client.get("/account/").status_code == 302


def test_the_set_up_page_keeps_its_key_on_a_reload(personas):
    client = password_only(personas.teacher.email)
    first = client.get(SETUP).context["secret"]
    assert client.get(SETUP).context["secret"] == first
    assert TOTPDevice.objects.filter(user=personas.teacher).count() == 1


def test_recovery_codes_are_shown_once(personas):
    client = password_only(personas.operator.email)
    codes = set_up_app(client, personas.operator.email)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(CODES)["Location"] == "/account/"  # gone after "I have stored them"
    assert StaticToken.objects.filter(device__user=personas.operator).count() == 10


def test_the_next_login_asks_for_a_code_and_a_code_works_once(personas):
    email = personas.coordinator.email
    staff_with_app(email)
    client = password_only(email)
    response = client.get("/stages/")
    assert response["Location"] == VERIFY + "?next=%2Fstages%2F"
    code = code_for(email)
    response = client.post(VERIFY, {"code": code, "next": "/stages/"})
    assert response["Location"] == "/stages/"
    assert client.get("/account/").status_code == 200
    # The same code, seen over a shoulder, does not open a second login.
    other = password_only(email)
    response = other.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert other.get("/account/").status_code == 302


def test_a_login_passes_with_spaces_in_the_code_and_keeps_next_on_the_site(personas):
    email = personas.teacher.email
    staff_with_app(email)
    client = password_only(email)
    code = code_for(email)
    response = client.post(
        VERIFY, {"code": f" {code[:3]} {code[3:]} ", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/account/"


def test_wrong_codes_slow_the_next_try_down(personas):
    email = personas.coordinator.email
    staff_with_app(email)
    device = TOTPDevice.objects.get(user=personas.coordinator)
    start = dt.datetime.now(dt.UTC)
    client = password_only(email)
    with time_machine.travel(start, tick=False):
        client.post(VERIFY, {"code": "000000"})
        response = client.post(VERIFY, {"code": app_code(device)})
    # One wrong code: the next try, even a right one, waits a second.
    assert response.status_code == 200
    assert "wacht 1 seconde " in response.content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=1.5), tick=False):
        client.post(VERIFY, {"code": "000001"})
        response = client.post(VERIFY, {"code": app_code(device)})
    # Two: two seconds; the wait doubles with each wrong code.
    assert "wacht 2 seconden" in response.content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=4), tick=False):
        response = client.post(VERIFY, {"code": app_code(device)})
    assert response.status_code == 302


def test_a_recovery_code_works_once(personas):
    email = personas.operator.email
    codes = staff_with_app(email)
    client = password_only(email)
    response = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/"
    assert "9 over" in response.content.decode()
    assert AuditEvent.objects.filter(action="two_factor_recovery_code_used").count() == 1
    again = password_only(email)
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert again.get("/account/").status_code == 302
    with after_a_wait():
        assert again.post(VERIFY, {"code": codes[1]}).status_code == 302


@pytest.mark.parametrize("who", ["student", "owner", "supervisor"])
def test_others_are_not_asked_unless_they_turn_it_on(personas, who):
    email = getattr(personas, who).email
    client = password_only(email)
    assert client.get("/account/").status_code == 200
    assert "Uit." in client.get(MANAGE).content.decode()
    set_up_app(client, email)
    later = password_only(email)
    assert later.get("/account/")["Location"].startswith(VERIFY)
    later.post(VERIFY, {"code": code_for(email)})
    # Turning it off asks for a current code.
    wrong = later.post(MANAGE, {"action": "turn-off", "code": "123"})
    assert wrong.status_code == 200 and TOTPDevice.objects.filter(user__email=email).exists()
    with after_a_wait():
        response = later.post(MANAGE, {"action": "turn-off", "code": code_for(email)})
    assert response["Location"] == MANAGE
    assert not TOTPDevice.objects.filter(user__email=email).exists()
    assert password_only(email).get("/account/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor_disabled").count() == 1


def test_staff_cannot_turn_it_off(personas):
    email = personas.teacher.email
    staff_with_app(email)
    client = password_only(email)
    client.post(VERIFY, {"code": code_for(email)})
    page = client.get(MANAGE).content.decode()
    assert "turn-off" not in page
    response = client.post(MANAGE, {"action": "turn-off", "code": code_for(email)})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=personas.teacher, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(personas):
    email = personas.coordinator.email
    old = staff_with_app(email)
    client = password_only(email)
    client.post(VERIFY, {"code": code_for(email)})
    response = client.post(MANAGE, {"action": "new-codes", "code": code_for(email)})
    assert response["Location"].startswith(CODES)
    new = [c for c in client.get(response["Location"]).context["codes"]]
    assert set(new).isdisjoint(old)
    again = password_only(email)
    assert again.post(VERIFY, {"code": old[0]}).status_code == 200
    with after_a_wait():
        assert again.post(VERIFY, {"code": new[0]}).status_code == 302


def test_moving_to_a_new_phone_replaces_the_app(personas):
    email = personas.coordinator.email
    staff_with_app(email)
    old = TOTPDevice.objects.get(user=personas.coordinator)
    client = password_only(email)
    client.post(VERIFY, {"code": code_for(email)})
    # Without a current code the set-up page is closed to someone who has an app.
    assert client.get(SETUP)["Location"] == MANAGE
    response = client.post(MANAGE, {"action": "new-app", "code": code_for(email)})
    assert response["Location"] == SETUP
    set_up_app(client, email)
    devices = TOTPDevice.objects.filter(user=personas.coordinator)
    assert devices.count() == 1 and devices.get().pk != old.pk and devices.get().confirmed


def test_someone_who_becomes_staff_sets_it_up_first(personas):
    newcomer = User.objects.create_user("newteacher@rocva.example", PASSWORD, full_name="N")
    _invitation, token = invitation_create(
        by=personas.coordinator,
        email=newcomer.email,
        role=Role.SCHOOL_SUPERVISOR,
        institution=personas.rocva,
    )
    client = password_only(newcomer.email)
    assert client.get("/account/").status_code == 200
    client.post(f"/account/uitnodiging/{token}/")
    assert client.get("/account/")["Location"].startswith(SETUP)


def test_the_operator_resets_a_lost_phone(personas):
    email = personas.teacher.email
    staff_with_app(email)
    request = RequestFactory().post("/")
    request.user = personas.operator
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    reset_second_factor(site._registry[User], request, User.objects.filter(pk=personas.teacher.pk))
    assert not TOTPDevice.objects.filter(user=personas.teacher).exists()
    assert not StaticToken.objects.filter(device__user=personas.teacher).exists()
    event = AuditEvent.objects.get(action="two_factor_reset")
    assert event.actor == personas.operator and event.object_id == str(personas.teacher.pk)
    assert password_only(email).get("/account/")["Location"].startswith(SETUP)


def test_passing_the_second_step_gives_a_new_session_key(personas):
    email = personas.coordinator.email
    client = password_only(email)
    before = client.cookies["sessionid"].value
    set_up_app(client, email)
    assert client.cookies["sessionid"].value != before
