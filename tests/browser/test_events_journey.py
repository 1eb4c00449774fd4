"""Events on a phone (C8; W0, W7): the coordinator publishes a network meeting with two places;
a business owner finds it on the public events page and signs up for the business; a student
signs up, the next one lands on the waiting list; the student gives up the place and the one
waiting moves up by itself; on the day the coordinator ticks off at the door who came. Run in
the English interface; every page axe-clean."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from stagebrug.community.models import Event, Registration
from tests.browser.conftest import check_page, english, login, logout, uses_english
from tests.community.conftest import soon
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def viewport() -> str:
    return "phone"


def test_publish_sign_up_wait_move_up_and_the_door(page, live_server, personas):
    p = personas
    english(page, live_server)
    waiting = UserFactory(email="wachtend@example.org", full_name="Wim Wachtend")
    uses_english(p.coordinator, p.owner, p.student, waiting)
    start = soon(20, 17)

    # 1. The coordinator publishes it.
    login(page, p.coordinator.email)
    page.goto("/evenementen/nieuw/")
    page.get_by_role("heading", name="Publish an event").wait_for()
    check_page(page, "events-01-new")
    page.get_by_label("Kind").select_option("network")
    page.get_by_label("Title").fill("Netwerkavond horeca")
    page.get_by_label("What it is about").fill("Docenten en leerbedrijven ontmoeten elkaar.")
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(re.compile(r"^Place\b(?!s)")).fill("Amstelcampus")
    page.get_by_label(re.compile(r"^Places")).fill("2")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published.").wait_for()
    event = Event.objects.get()
    logout(page)

    # 2. The owner finds it on the public page and signs up for the bakery.
    login(page, p.owner.email)
    page.goto("/evenementen/")
    check_page(page, "events-02-list")
    page.get_by_role("link", name="Netwerkavond horeca").click()
    page.get_by_role("heading", name="Netwerkavond horeca").wait_for()
    check_page(page, "events-03-detail")
    page.get_by_label("I come for").select_option(label=p.company.name)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("You are signed up.").first.wait_for()
    logout(page)

    # 3. The student takes the last place; the next one waits.
    for who in (p.student, waiting):
        login(page, who.email)
        page.goto(event.get_absolute_url())
        page.get_by_role("button", name="Sign up").or_(
            page.get_by_role("button", name="Join the waiting list")
        ).click()
        page.get_by_role("heading", name="Your place").wait_for()
        logout(page)
    assert Registration.objects.get(user=waiting).status == "waiting"

    # 4. The student gives up the place; the one waiting moves up by itself.
    login(page, p.student.email)
    page.goto(event.get_absolute_url())
    page.get_by_label("Yes, I give up my place").check()
    page.get_by_role("button", name="Cancel my place").click()
    page.get_by_text("Cancelled. Your place goes to the first on the waiting list.").wait_for()
    logout(page)
    assert Registration.objects.get(user=waiting).status == "confirmed"

    # 5. On the day, the coordinator ticks off at the door.
    with time_machine.travel(start - dt.timedelta(minutes=10), tick=True):
        login(page, p.coordinator.email)
        page.goto(event.get_absolute_url())
        page.get_by_role("link", name="The list at the door").click()
        page.get_by_text("0 of 2 came").wait_for()
        check_page(page, "events-04-door")
        page.get_by_role("button", name="Mark as came – Wim Wachtend").click()
        page.get_by_text("1 of 2 came").wait_for()
    assert Registration.objects.get(user=waiting).attended_at is not None
