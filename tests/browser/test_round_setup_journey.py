"""A coordinator prepares a matching round for a programme and opens it; a student of the
programme ranks the placements (a placement chosen twice is refused with a clear message and
nothing is saved); the business chooses how it ranks its candidates. Running and publishing
are covered by test_round_journey.py. Run in the English interface."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

import stagebrug.matching.views  # noqa: F401  (imported before any request, as on a fresh server)
from stagebrug.accounts.models import Role
from stagebrug.accounts.services import membership_grant
from stagebrug.applications.models import Notification
from stagebrug.matching import services as matching_services
from stagebrug.matching.models import (
    CandidateRank,
    Round,
    RoundSeat,
    RoundStatus,
    SeatRanking,
    StudentChoice,
)
from stagebrug.placements import services as placement_services
from tests.browser.conftest import check_page, english, login, uses_english
from tests.factories import UserFactory
from tests.placements.factories import kok_programme, make_placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def second_kitchen_placement(p):
    """A second published placement of company A for Kok, so the student has a choice."""
    placement = make_placement(
        p.company,
        p.owner,
        title="Stage bakkerij (MBO 2)",
        buddy=p.company.supervisors.get(name="Chef Bram"),
    )
    placement_services.placement_submit(placement=placement, by=p.owner)
    placement_services.placement_decide(
        target=placement.targets.get(), by=p.coordinator, approve=True
    )
    return placement


def test_coordinator_opens_a_round_student_ranks_and_business_chooses_how_to_rank(
    page, live_server, personas, published
):
    p = personas
    kitchen = published
    bakery = second_kitchen_placement(p)
    student = UserFactory(email="jayden@rocva.example", full_name="Jayden Pinas")
    membership_grant(
        user=student, role=Role.STUDENT, institution=p.rocva, programme=kok_programme()
    )
    english(page, live_server)
    uses_english(student, p.owner)

    # 1. The coordinator prepares the round; a deadline in the past is refused.
    login(page, p.coordinator.email)
    page.goto(f"/scholen/{p.rocva.slug}/rondes/")
    check_page(page, "round-setup-01-list")
    page.get_by_role("link", name="New round").click()
    page.get_by_role("heading", name="New matching round").wait_for()
    page.get_by_label("Programme").select_option(value=str(kok_programme().pk))
    page.get_by_label("Name", exact=True).fill("Kok, cohort 2026, ronde 1")
    page.get_by_label("Cohort").fill("2026")
    past = timezone.localtime() - dt.timedelta(days=1)
    page.get_by_label("Deadline for rankings").fill(past.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Choices per student").fill("3")
    page.get_by_role("button", name="Prepare the round").click()
    page.get_by_text("Choose a deadline in the future.").wait_for()
    check_page(page, "round-setup-02-form-error")
    assert not Round.objects.exists()

    deadline = timezone.localtime() + dt.timedelta(days=14)
    page.get_by_label("Deadline for rankings").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Prepare the round").click()
    page.get_by_text("The round is prepared.").wait_for()
    round = Round.objects.get()
    page.wait_for_url(f"**/scholen/{p.rocva.slug}/rondes/{round.pk}/")
    page.get_by_role("heading", name="Kok, cohort 2026, ronde 1").wait_for()
    main = page.locator("main").inner_text()
    assert "1 student" in main and "2 placements with 3 seats" in main
    check_page(page, "round-setup-03-draft")
    assert round.status == RoundStatus.DRAFT and round.max_choices == 3
    assert round.cohort == "2026" and round.programme == kok_programme()
    assert list(round.students.values_list("student", flat=True)) == [student.pk]
    assert {s.placement_id: s.capacity for s in round.seats.all()} == {kitchen.pk: 2, bakery.pk: 1}

    # 2. Opening it tells the student and the business.
    page.get_by_role("button", name="Open the round").click()
    page.get_by_role("button", name="Close the rankings").wait_for()
    assert page.locator("main .utrecht-status-badge").first.inner_text() == "Open for rankings"
    check_page(page, "round-setup-04-open")
    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN and round.opened_at is not None
    assert Notification.objects.filter(user=student, kind="round.rank").exists()
    assert Notification.objects.filter(user=p.owner, kind="round.candidates").count() == 2
    logout(page)

    # 3. The student ranks; the same placement twice is refused and nothing is saved.
    login(page, student.email)
    page.goto("/student/rondes/")
    check_page(page, "round-setup-05-student-rounds")
    page.get_by_role("link", name="Kok, cohort 2026, ronde 1").click()
    page.get_by_role("heading", name="Your ranking").wait_for()
    assert page.get_by_text("Choose up to 3 placements").is_visible()
    check_page(page, "round-setup-06-student-round")
    kitchen_label = "Stage keuken (MBO 2) – Bakkerij A"
    bakery_label = "Stage bakkerij (MBO 2) – Bakkerij A"
    page.get_by_label("1st choice").select_option(label=kitchen_label)
    page.get_by_label("2nd choice").select_option(label=kitchen_label)
    page.get_by_role("button", name="Save my ranking").click()
    alert = page.get_by_role("alert").filter(has_text="more than once")
    alert.wait_for()
    assert "You chose “Stage keuken (MBO 2)” more than once" in alert.inner_text()
    check_page(page, "round-setup-07-student-error")
    assert not StudentChoice.objects.filter(round=round).exists()

    page.get_by_label("2nd choice").select_option(label=bakery_label)
    page.get_by_role("button", name="Save my ranking").click()
    page.get_by_text("Your ranking is saved.").wait_for()
    # The saved ranking is shown again in the form.
    assert page.get_by_label("1st choice").input_value() == str(kitchen.pk)
    assert page.get_by_label("2nd choice").input_value() == str(bakery.pk)
    check_page(page, "round-setup-08-student-saved")
    assert list(
        StudentChoice.objects.filter(round=round, student=student)
        .order_by("rank")
        .values_list("placement_id", flat=True)
    ) == [kitchen.pk, bakery.pk]
    assert round.students.get(student=student).submitted_at is not None
    logout(page)

    # 4. The business follows the link in its inbox and ranks its candidate itself.
    login(page, p.owner.email)
    page.goto("/meldingen/")
    page.get_by_role("link", name=re.compile("Students can choose Stage keuken")).click()
    page.wait_for_url(f"**/stageplaatsen/{kitchen.pk}/rondes/{round.pk}/")
    page.get_by_role("heading", name=re.compile("Matching round: Kok, cohort 2026")).wait_for()
    assert page.get_by_text("1 student chose your placement so far.").is_visible()
    assert page.get_by_role("rowheader", name="Jayden Pinas").is_visible()
    assert page.get_by_label("Let the fit score rank the candidates").is_checked()
    check_page(page, "round-setup-09-business")
    # Ranking themselves without giving anyone a position is refused.
    page.get_by_label("We rank the candidates ourselves").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Rank at least one candidate").wait_for()
    check_page(page, "round-setup-10-business-error")
    seat = RoundSeat.objects.get(round=round, placement=kitchen)
    assert seat.ranking == SeatRanking.FIT and seat.ranked_at is None

    page.get_by_label("We rank the candidates ourselves").check()
    page.get_by_label("Position of Jayden Pinas").select_option(value="1")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved. You can change it until the deadline.").wait_for()
    assert page.get_by_label("We rank the candidates ourselves").is_checked()
    assert page.get_by_label("Position of Jayden Pinas").input_value() == "1"
    check_page(page, "round-setup-11-business-saved")
    seat.refresh_from_db()
    assert seat.ranking == SeatRanking.RANK and seat.ranked_at is not None
    assert list(
        CandidateRank.objects.filter(round=round, placement=kitchen).values_list(
            "student_id", "rank"
        )
    ) == [(student.pk, 1)]


def test_coordinator_reads_in_english_that_the_round_is_open(
    page, live_server, personas, published
):
    p = personas
    membership_grant(
        user=UserFactory(full_name="Jayden Pinas"),
        role=Role.STUDENT,
        institution=p.rocva,
        programme=kok_programme(),
    )
    round = matching_services.round_create(
        programme=kok_programme(),
        by=p.coordinator,
        name="Kok, ronde 1",
        deadline=timezone.now() + dt.timedelta(days=14),
    )
    english(page, live_server)
    login(page, p.coordinator.email)
    page.goto(f"/scholen/{p.rocva.slug}/rondes/{round.pk}/")
    page.get_by_role("button", name="Open the round").click()
    page.get_by_role("button", name="Close the rankings").wait_for()
    check_page(page, "round-setup-12-opened-message")
    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN
    status = page.get_by_role("status").first.inner_text()
    assert "The round is open. Students and businesses are told." in status, status
