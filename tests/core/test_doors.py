"""Doors that hold: login lockout, limits on password reset and registration, and a pause for
clients that guess secrets in links or API tokens (stagebrug.core.doors, settings.AXES_*)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import api_token_create, invitation_create
from stagebrug.core import doors
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def try_login(client: Client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# ---------------------------------------------------------------------------------- logging in


def test_five_wrong_passwords_pause_that_address_from_that_client(personas):
    email = personas.owner.email
    client = client_at(HOME)
    for _ in range(4):
        assert try_login(client, email, "wrong-password").status_code == 200  # the form again
    locked = try_login(client, email.upper() + " ", "wrong-password")  # the same person
    assert locked.status_code == 429
    # Even the right password waits now, and the page says why and for how long.
    again = try_login(client, email, PASSWORD)
    assert again.status_code == 429
    assert not logged_in(client)
    text = again.content.decode()
    assert "Inloggen is gepauzeerd" in text
    assert "15 minuten" in text
    assert int(again["Retry-After"]) == 15 * 60
    # Another client, and another address from this client, can still log in.
    other = client_at(ELSEWHERE)
    try_login(other, email, PASSWORD)
    assert logged_in(other)
    colleague = client_at(HOME)
    try_login(colleague, personas.member.email, PASSWORD)
    assert logged_in(colleague)


def test_the_pause_ends_after_fifteen_minutes(personas):
    email = personas.owner.email
    client = client_at(HOME)
    start = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            try_login(client, email, "wrong-password")
        assert try_login(client, email, PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        try_login(client, email, PASSWORD)
        assert logged_in(client)


def test_logging_in_well_forgets_the_earlier_mistakes(personas):
    email = personas.owner.email
    client = client_at(HOME)
    for _ in range(4):
        try_login(client, email, "wrong-password")
    try_login(client, email, PASSWORD)
    assert logged_in(client)
    client.post("/account/uitloggen/")
    for _ in range(4):
        assert try_login(client, email, "wrong-password").status_code == 200
    try_login(client, email, PASSWORD)
    assert logged_in(client)


def test_the_lockout_page_speaks_english_to_an_english_visitor(personas):
    client = client_at(HOME)
    client.cookies["django_language"] = "en"
    for _ in range(5):
        try_login(client, personas.owner.email, "wrong-password")
    page = try_login(client, personas.owner.email, "wrong-password")
    assert page.status_code == 429
    assert "Logging in is paused" in page.content.decode()


# ------------------------------------------------------------------------- asking and joining


def test_one_address_gets_at_most_three_reset_emails_an_hour_whoever_asks(
    personas, django_capture_on_commit_callbacks
):
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            page = client_at(f"10.0.1.{n}").post(
                "/account/wachtwoord-vergeten/", {"email": personas.owner.email}
            )
        # The same answer every time: whether an address has an account stays unknown.
        assert page.status_code == 302
    assert len(mail.outbox) == 3


def test_one_client_may_ask_for_a_new_password_ten_times_an_hour(personas):
    client = client_at(HOME)
    for n in range(10):
        page = client.post("/account/wachtwoord-vergeten/", {"email": f"nobody{n}@example.org"})
        assert page.status_code == 302
    refused = client.post("/account/wachtwoord-vergeten/", {"email": "nobody@example.org"})
    assert refused.status_code == 429
    assert "te vaak" in refused.content.decode()
    assert int(refused["Retry-After"]) == 60 * 60
    elsewhere = client_at(ELSEWHERE)
    page = elsewhere.post("/account/wachtwoord-vergeten/", {"email": "nobody@example.org"})
    assert page.status_code == 302


def test_one_client_may_try_to_create_an_account_twenty_times_an_hour(reference_data):
    client = client_at(HOME)
    form = {"full_name": "Eva", "email": "not-an-address", "password1": "x", "password2": "y"}
    for _ in range(20):
        assert client.post("/aanmelden/account/", form).status_code == 200  # the form's errors
    refused = client.post("/aanmelden/account/", form)
    assert refused.status_code == 429
    assert client.get("/aanmelden/account/").status_code == 200  # reading the form still works


# ------------------------------------------------------------------------------- guessed links


def test_a_client_that_guesses_links_is_paused_even_for_a_real_one(personas):
    _, token = invitation_create(
        by=personas.owner,
        email="nieuw@example.org",
        role=Role.COMPANY_MEMBER,
        company=personas.company,
    )
    client = client_at(HOME)
    assert client.get(f"/account/uitnodiging/{token}/").status_code == 200
    for n in range(10):
        assert client.get(f"/account/uitnodiging/guess-{n}/").status_code == 404
        assert client.get(f"/ondertekenen/guess-{n}/").status_code == 404
    refused = client.get(f"/account/uitnodiging/{token}/")
    assert refused.status_code == 429
    assert client.get("/ondertekenen/guess-x/").status_code == 429
    assert client.get("/account/wachtwoord-herstellen/MQ/guess/").status_code == 429
    # Only the guessing client waits.
    assert client_at(ELSEWHERE).get(f"/account/uitnodiging/{token}/").status_code == 200


def test_wrong_password_reset_links_count_as_guesses(personas):
    client = client_at(HOME)
    for n in range(20):
        page = client.get(f"/account/wachtwoord-herstellen/MQ/guess-{n}/")
        assert page.status_code == 200  # "this link is not valid"
    assert client.get("/account/wachtwoord-herstellen/MQ/guess/").status_code == 429


# ----------------------------------------------------------------------------------- API tokens


def test_a_client_that_guesses_api_tokens_is_paused_with_a_reason(personas):
    _, good = api_token_create(user=personas.coordinator, name="school system")
    client = client_at(HOME)
    url = "/api/v1/me/notifications"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {good}").status_code == 200
    for n in range(20):
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer sb_guess{n}").status_code == 401
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {good}")
    assert refused.status_code == 429
    assert "te veel onbekende API-tokens" in refused.json()["detail"]
    assert client_at(ELSEWHERE).get(url, HTTP_AUTHORIZATION=f"Bearer {good}").status_code == 200


# ------------------------------------------------------------------------------ who the client is


@override_settings(TRUSTED_PROXIES=["10.9.9.9"])
def test_behind_the_load_balancer_the_client_is_the_address_it_added(rf):
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2")
    assert doors.client_ip(request) == "2.2.2.2"
    # Anyone else cannot choose their address by sending the header.
    direct = rf.get("/", REMOTE_ADDR="3.3.3.3", HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert doors.client_ip(direct) == "3.3.3.3"
    broken = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="<script>")
    assert doors.client_ip(broken) == "10.9.9.9"


@override_settings(TRUSTED_PROXIES=["*"])
def test_when_only_the_balancer_can_reach_us_its_last_address_is_the_client(rf):
    request = rf.get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2")
    assert doors.client_ip(request) == "2.2.2.2"
    assert doors.client_ip(rf.get("/", REMOTE_ADDR="172.18.0.5")) == "172.18.0.5"


def test_without_a_trusted_balancer_the_header_is_ignored(rf):
    request = rf.get("/", REMOTE_ADDR="3.3.3.3", HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert doors.client_ip(request) == "3.3.3.3"
