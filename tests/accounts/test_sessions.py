"""A login of school staff or an operator ends a working day after it began; others last two
weeks (stagebrug.accounts.sessions)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import PASSWORD
from tests.two_step import pass_second_step

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)


def logged_in_at(email: str) -> Client:
    client = Client()
    with time_machine.travel(START, tick=False):
        client.post("/account/inloggen/", {"username": email, "password": PASSWORD})
        pass_second_step(client, email)
        assert client.get("/account/").status_code == 200
    return client


def still_in(client: Client, hours: float) -> bool:
    with time_machine.travel(START + dt.timedelta(hours=hours), tick=False):
        return client.get("/account/").status_code == 200


@pytest.mark.parametrize("who", ["coordinator", "teacher", "operator"])
def test_a_staff_login_ends_after_a_working_day(personas, who):
    client = logged_in_at(getattr(personas, who).email)
    # Read at the login's own time: the session row is gone once its eight hours have passed.
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        assert client.session.get_expiry_age() == 8 * 60 * 60
    assert still_in(client, 7.5)
    # Busy all day or not: eight hours after logging in, they log in again.
    assert not still_in(client, 8.1)


@pytest.mark.parametrize("who", ["student", "owner", "supervisor"])
def test_other_logins_last_two_weeks(personas, who):
    client = logged_in_at(getattr(personas, who).email)
    assert still_in(client, 8.1)
    assert still_in(client, 24 * 13)
    assert not still_in(client, 24 * 15)
