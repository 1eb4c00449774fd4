"""Attendance on a phone (W10), with the clock set to days of the internship: the student
reports sick before the start; the next day they do not turn up, the prompt job finds it, the
workplace supervisor sees "not arrived, no word" with the student's number and a kind sentence,
records the call and marks the day absent in a tap; after the second absence without notice
the school supervisor finds the alert in their inbox. Run in the English interface."""

from __future__ import annotations

import pytest
import time_machine

from stagebrug.supervision import services
from stagebrug.supervision.models import Attendance, Mark
from tests.browser.conftest import check_page, english, login, logout, uses_english
from tests.supervision.conftest import running  # noqa: F401 (the fixture)
from tests.supervision.test_attendance import at, working_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_sick_report_missed_prompt_call_and_the_schools_alert(
    page,
    live_server,
    running,  # noqa: F811
    personas,
):
    p = personas
    first, second, third = (working_day(running, n) for n in range(3))
    english(page, live_server)
    uses_english(p.teacher)  # the school's alert reaches the inbox in the reader's language

    # 1. Day one, 07:30: the student reports sick from their internship page.
    with time_machine.travel(at(first, "07:30"), tick=True):
        login(page, p.student.email)
        page.goto(f"/stagiairs/{running.pk}/")
        page.get_by_role("link", name="Sick or late? Attendance and hours").click()
        page.get_by_role("heading", name="Sick or late?").wait_for()
        check_page(page, "attendance-01-student")
        page.get_by_label("What is the matter?").select_option("sick")
        page.get_by_label("Message for your workplace supervisor (optional)").fill("Koorts")
        page.get_by_role("button", name="Send").click()
        page.get_by_text("Get well soon!").wait_for()
        logout(page)
        assert services.absences_prompt() == 0  # reported: no prompt
    row = Attendance.objects.get(internship=running, date=first)
    assert row.mark == Mark.SICK and row.announced

    # 2. Day two, 09:20: no word since the 09:00 start; the job prompts the supervisor.
    with time_machine.travel(at(second, "09:20"), tick=True):
        assert services.absences_prompt() == 1
        login(page, p.supervisor.email)
        page.get_by_role("link", name="Your interns today").first.click()
        missed = page.locator(
            "section", has=page.get_by_role("heading", name="Not arrived, no word")
        )
        missed.get_by_text("We missen je vandaag, alles goed?").wait_for()
        assert missed.get_by_role("link", name="Call 0611111111").get_attribute("href") == (
            "tel:0611111111"
        )
        check_page(page, "attendance-02-missed")
        missed.get_by_label("What came out of the call (optional)").fill("Verslapen, komt niet")
        missed.get_by_role("button", name="I called").click()
        page.get_by_text("Noted that you called.").wait_for()
        assert page.get_by_role("heading", name="Not arrived, no word").count() == 0
        intern = page.locator("section", has=page.get_by_role("heading", name="Stan Student"))
        intern.get_by_role("button", name="Absent").click()
        page.get_by_text("Stan Student: absent on").wait_for()
        check_page(page, "attendance-03-marked")
    row = Attendance.objects.get(internship=running, date=second)
    assert row.mark == Mark.ABSENT and row.call_note == "Verslapen, komt niet"

    # 3. Day three: absent again without notice; the school supervisor is alerted.
    with time_machine.travel(at(third, "09:30"), tick=True):
        assert services.absences_prompt() == 1
        page.reload()
        intern = page.locator("section", has=page.get_by_role("heading", name="Stan Student"))
        intern.get_by_role("button", name="Absent").click()
        page.get_by_text("Stan Student: absent on").wait_for()
        logout(page)
        login(page, p.teacher.email)
        page.goto("/meldingen/")
        page.get_by_text("Stan Student was absent without notice 2 times").wait_for()
        check_page(page, "attendance-04-school-alert")
