"""A coordinator runs a matching round with 200 demo students: watches the progress bar,
reviews the statistics and publishes; then a student reads their result and why.

The demo round is made with the demo command's own functions. The run goes through the real
task queue (the database backend, as in production); the test plays the worker, so the page is
seen waiting before the bar fills. The pages are in English (the language switch), so the
test does not depend on the Dutch wording.
"""

from __future__ import annotations

import re

import pytest

from stagebrug.accounts.models import User
from stagebrug.demo import rounds as demo
from stagebrug.demo.companies import DEMO_PASSWORD
from stagebrug.internships.models import Internship
from stagebrug.matching import services
from stagebrug.matching.models import RoundResult, RoundRun, RoundStatus, RunStatus
from tests.browser.conftest import after_password, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, email: str, password: str) -> None:
    """Log in (in Dutch, or in English once the switch was used) and switch to English."""
    page.goto("/account/inloggen/")
    page.get_by_label(re.compile("^(E-mailadres|E-mail address)$")).fill(email)
    page.get_by_label(re.compile("^(Wachtwoord|Password)$")).fill(password)
    page.get_by_role("button", name=re.compile("^(Inloggen|Log in)$")).click()
    after_password(page, email)
    page.get_by_role("button", name="English").click()  # the language switch
    page.wait_for_load_state()


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def test_coordinator_runs_reviews_and_publishes_a_round_of_200_students(page, settings):
    # The real queue: the run waits until a worker (here: the test) picks it up.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    made = demo.prepare_round_demo(students=200, seed=5)
    round = made.round
    assert round.students.count() >= 200 and round.status == RoundStatus.CLOSED
    school = round.institution.slug

    login(page, demo.COORDINATOR_EMAIL, DEMO_PASSWORD)
    page.goto(f"/scholen/{school}/rondes/")
    check_page(page, "round-01-list")
    page.get_by_role("link", name=round.name).click()
    page.wait_for_url(f"**/rondes/{round.pk}/")
    assert page.get_by_text(f"{round.students.count()} students").first.is_visible()
    check_page(page, "round-02-round")

    # Run: the progress bar appears and waits for the worker.
    page.get_by_role("button", name="Run the round").click()
    bar = page.locator("#run-bar")
    bar.wait_for()
    assert bar.get_attribute("value") == "0"
    page.get_by_text("Waiting").first.wait_for()
    check_page(page, "round-03-waiting")
    run = RoundRun.objects.get(round=round)
    assert run.status == RunStatus.QUEUED
    services.round_run_execute(run_id=run.pk)  # the worker
    # The page polls every second and shows the bar full and the way on.
    page.get_by_role("link", name="Review the outcome").wait_for()
    assert bar.get_attribute("value") == "100"
    check_page(page, "round-04-done")

    # Review the statistics.
    page.get_by_role("link", name="Review the outcome").click()
    page.wait_for_url(re.compile(r"/uitkomst/\?run=\d+$"))
    run.refresh_from_db()
    stats = run.stats
    placed_text = page.locator("#stat-placed").inner_text()
    assert f"{stats['placed']} of {stats['students']}" in placed_text
    assert page.get_by_role("heading", name="Which choice students got").is_visible()
    assert page.get_by_role("heading", name="Not placed, and why").is_visible()
    assert "km" in page.get_by_role("heading", name="Travel distance").locator("..").inner_text()
    check_page(page, "round-05-review")

    # Publish, after confirming that it is final.
    page.get_by_role("link", name="Publish this outcome").click()
    page.get_by_text("Publishing is final.").wait_for()
    check_page(page, "round-06-confirm")
    page.get_by_role("button", name="Publish, final").click()
    page.get_by_text("This field is required.").first.wait_for()  # not confirmed: nothing done
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED
    page.get_by_label(re.compile("I understand that publishing is final")).check()
    # Publishing places a cohort (internships, agreements, supervision plans) in one request:
    # on a busy machine it may take longer than a click usually waits.
    page.get_by_role("button", name="Publish, final").click(timeout=90_000)
    page.get_by_role("heading", name="Published outcome").wait_for(timeout=90_000)
    check_page(page, "round-07-published")
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED and round.published_run_id == run.pk
    assert Internship.objects.filter(round=round).count() == stats["placed"]
    assert RoundResult.objects.filter(round=round).count() == stats["students"]

    # A student who did not get their first choice reads the result and why.
    result = (
        RoundResult.objects.filter(round=round, choice_rank__gte=2)
        .select_related("student", "placement")
        .first()
    )
    student: User = result.student
    student.set_password(DEMO_PASSWORD)
    student.save()
    logout(page)
    login(page, student.email, DEMO_PASSWORD)
    page.goto(f"/student/rondes/{round.pk}/")
    summary = page.locator("#result-summary").inner_text()
    assert f"choice: {result.placement.title}" in summary
    why = page.locator("#result-why").inner_text()
    assert "went to" in why or "did not rank you" in why
    others = (
        RoundResult.objects.filter(round=round)
        .exclude(student=student)
        .values_list("student__full_name", flat=True)[:50]
    )
    body = page.locator("main").inner_text()
    assert not any(name in body for name in others if name != student.full_name)
    check_page(page, "round-08-student-result")
