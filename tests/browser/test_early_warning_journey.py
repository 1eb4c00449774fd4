"""An early warning on a phone (W18), with the clock set past mid-term: the workplace supervisor
checks in from the intern's logbook in a tap per learning goal, one goal behind; the morning
review raises the warning; the school supervisor opens "My interns" from the dashboard, finds
the internship first with the reason, opens its logbook, reads what to do and writes a note
that the student reads. Run in the English interface."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from stagebrug.supervision.logbook import selectors
from stagebrug.supervision.models import EarlyWarning, LogEntry
from stagebrug.supervision.progress import rules, services
from tests.browser.conftest import check_page, english, login, logout, uses_english
from tests.supervision.conftest import running  # noqa: F401 (the fixture)
from tests.supervision.test_attendance import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Met Stan en Sam afgesproken: elke dag één gerecht zelfstandig bereiden."


@pytest.fixture
def viewport() -> str:
    return "phone"


def test_a_goal_behind_warns_the_school_supervisor_first(page, live_server, personas, running):  # noqa: F811
    p = personas
    english(page, live_server)
    uses_english(p.teacher, p.supervisor, p.student)
    goals = selectors.goals_of(running)
    day = rules.midpoint(running.start_date, running.end_date) + dt.timedelta(days=1)
    logbook = f"/stagiairs/{running.pk}/logboek/"

    # 1. The workplace supervisor checks in: a tap for how it goes and one per goal.
    with time_machine.travel(at(day, "16:00"), tick=True):
        login(page, p.supervisor.email)
        page.goto(f"/stagiairs/{running.pk}/")
        page.get_by_role("link", name="Logbook and progress").click()
        page.get_by_role("heading", name="Check-in").wait_for()
        check_page(page, "warning-01-checkin")
        form = page.locator("section", has=page.get_by_role("heading", name="Check-in"))
        form.get_by_role("group", name="How is it going?").get_by_label("Not going well").check()
        for n, goal in enumerate(goals):
            group = form.get_by_role("group", name=goal.text)
            group.get_by_label("Behind" if n == 0 else "On track").check()
        form.get_by_label("Anything to add?").fill("Stan wacht vaak af.")
        form.get_by_role("button", name="Save in the logbook").click()
        page.get_by_text("Saved in the logbook.").wait_for()
        logout(page)
    entry = LogEntry.objects.get(internship=running)
    assert entry.behind == 1 and entry.going == "hard"

    # 2. The next morning the review raises the warning.
    with time_machine.travel(at(day + dt.timedelta(days=1), "06:30"), tick=True):
        services.warnings_review()
    assert EarlyWarning.objects.filter(internship=running, kind="goals", resolved_at=None).exists()

    # 3. The school supervisor: "My interns" from the dashboard, the warning first.
    with time_machine.travel(at(day + dt.timedelta(days=1), "09:00"), tick=True):
        login(page, p.teacher.email)
        page.get_by_role("link", name="My interns").first.click()
        page.get_by_role("heading", name="My interns", level=1).wait_for()
        row = page.locator("article", has=page.get_by_role("heading", name="Stan Student"))
        row.get_by_text("At mid-term, 1 learning goal(s) are behind.").wait_for()
        check_page(page, "warning-02-caseload")
        row.get_by_role("link", name="Stan Student").click()
        page.get_by_role("heading", name="Needs attention").wait_for()
        with translation.override("en"):
            fix = str(rules.FIXES["goals"])
        assert page.get_by_text(fix).is_visible()
        check_page(page, "warning-03-logbook")
        note = page.locator(
            "section", has=page.get_by_role("heading", name="A note from the school")
        )
        note.get_by_label("Your note").fill(NOTE)
        note.get_by_role("button", name="Save in the logbook").click()
        page.get_by_text("Saved in the logbook.").wait_for()
        logout(page)

    # 4. The student reads the note in the same logbook.
    with time_machine.travel(at(day + dt.timedelta(days=1), "18:00"), tick=True):
        login(page, p.student.email)
        page.goto(logbook)
        page.get_by_text(NOTE).wait_for()
        assert page.get_by_text("Stan wacht vaak af.").is_visible()
        check_page(page, "warning-04-student")
