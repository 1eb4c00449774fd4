"""The mid-term evaluation by all three, on a phone: the workplace supervisor assesses each
criterion in a tap and explains; the student assesses themselves without seeing the workplace's
scores, then sees both; the school supervisor reviews both and decides; the student reads the
decision. Run in the English interface."""

from __future__ import annotations

import pytest
import time_machine

from stagebrug.supervision.models import Evaluation
from tests.browser.conftest import check_page, english, login, logout, uses_english
from tests.supervision.conftest import running  # noqa: F401 (the fixture)
from tests.supervision.test_attendance import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKPLACE = "Stan werkt netjes en vraagt door. Tempo mag omhoog."
OWN = "Ik leer veel, maar ik vind het druk als er veel gasten zijn."
DECISION = "Op koers. Werkpunt voor de tweede helft: tempo bij drukte."


@pytest.fixture
def viewport() -> str:
    return "phone"


def fill(page, evaluation: Evaluation, score: str, comment_label: str, comment: str, button: str):
    for criterion in evaluation.criteria:
        page.get_by_role("group", name=criterion["text"]).get_by_label(score, exact=True).check()
    page.get_by_label(comment_label).fill(comment)
    page.get_by_role("button", name=button).click()
    page.get_by_text("Saved. The other parties are told.").wait_for()


def test_the_mid_term_evaluation_by_all_three(page, live_server, personas, running):  # noqa: F811
    p = personas
    english(page, live_server)
    uses_english(p.teacher, p.supervisor, p.student)
    evaluation = Evaluation.objects.get(internship=running, kind="midterm")
    url = f"/stagiairs/{running.pk}/beoordeling/midterm/"

    with time_machine.travel(at(evaluation.due_on, "10:00"), tick=True):
        # 1. The workplace supervisor, from the internship page.
        login(page, p.supervisor.email)
        page.goto(f"/stagiairs/{running.pk}/")
        page.get_by_role("link", name="Mid-term evaluation").click()
        page.get_by_role("heading", name="Your assessment").wait_for()
        check_page(page, "evaluation-01-workplace")
        fill(page, evaluation, "Good", "Your explanation", WORKPLACE, "Save the assessment")
        logout(page)

        # 2. The student assesses themselves; the workplace's words stay hidden until then.
        login(page, p.student.email)
        page.goto(url)
        page.get_by_role("heading", name="Assess yourself").wait_for()
        assert page.get_by_text(WORKPLACE).count() == 0
        check_page(page, "evaluation-02-student")
        fill(page, evaluation, "Sufficient", "In your own words", OWN, "Save my assessment")
        page.get_by_text(WORKPLACE).wait_for()
        logout(page)

        # 3. The school supervisor reads both and decides.
        login(page, p.teacher.email)
        page.goto(url)
        page.get_by_text(OWN).wait_for()
        assert page.get_by_text(WORKPLACE).is_visible()
        check_page(page, "evaluation-03-school")
        page.get_by_label("On track", exact=True).check()
        page.get_by_label("Explanation for the student and the workplace").fill(DECISION)
        page.get_by_role("button", name="Decide").click()
        page.get_by_text("Saved. The other parties are told.").wait_for()
        logout(page)

        # 4. The student reads the decision.
        login(page, p.student.email)
        page.goto(url)
        page.get_by_text(DECISION).wait_for()
        check_page(page, "evaluation-04-decided")

    evaluation.refresh_from_db()
    assert evaluation.decision == "on_track" and evaluation.decided_by == p.teacher
