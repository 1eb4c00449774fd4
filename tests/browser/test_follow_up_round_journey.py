"""A published matching round left two students without a placement. The coordinator starts a
follow-up round for them (a deadline in the past is refused and nothing is made) and opens it;
an unplaced student reads why the first round did not place her and ranks the placements of the
follow-up round; the coordinator then closes the rankings by hand. Run in the English
interface."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

import stagebrug.matching.views  # noqa: F401  (imported before any request, as on a fresh server)
from stagebrug.applications.models import Notification
from stagebrug.internships.models import Internship
from stagebrug.matching import services as matching_services
from stagebrug.matching.models import (
    Round,
    RoundResult,
    RoundStatus,
    SeatRanking,
    StudentChoice,
)
from stagebrug.placements.models import Status
from tests.browser.conftest import check_page, english, login, uses_english
from tests.matching.conftest import make_student, publish
from tests.placements.factories import kok_programme, make_placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Kok 2027, ronde 1"
FOLLOW_UP = "Kok 2027, ronde 1 – follow-up"  # the name the school gets when it leaves it empty


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def status_badge(page):
    return page.locator("main .utrecht-status-badge").first


def published_round(p):
    """Two Kok placements of Bakkerij A: the kitchen (one seat, the business ranks itself) and
    the lunchroom (two seats). Anna and Bram both want only the kitchen, and the business ranks
    Bram first; Chen chooses nothing. Published: Bram is placed, Anna and Chen are not."""
    buddy = p.company.supervisors.get(name="Chef Bram")
    kitchen = publish(
        make_placement(p.company, p.owner, title="Stage keuken (MBO 2)", buddy=buddy),
        p.coordinator,
    )
    lunchroom = publish(
        make_placement(
            p.company, p.owner, title="Stage lunchroom (MBO 2)", positions=2, buddy=buddy
        ),
        p.coordinator,
    )
    anna, bram, chen = (
        make_student(name, pc4, kok_programme())
        for name, pc4 in (("Anna Aydin", "1094"), ("Bram Bakker", "1011"), ("Chen Cohen", "1055"))
    )
    round = matching_services.round_create(
        programme=kok_programme(),
        by=p.coordinator,
        name=FIRST,
        deadline=timezone.now() + dt.timedelta(days=7),
        max_choices=2,
        seed=7,
    )
    matching_services.round_open(round=round, by=p.coordinator)
    for student in (anna, bram):
        matching_services.round_submit_choices(
            round=round, student=student, placement_ids=[kitchen.pk]
        )
    matching_services.round_set_seat_ranking(
        seat=round.seats.select_related("placement__company", "round").get(placement=kitchen),
        by=p.owner,
        ranking=SeatRanking.RANK,
        student_ids=[bram.pk, anna.pk],
    )
    matching_services.round_close(round=round, by=p.coordinator)
    run = matching_services.round_run(round=round, by=p.coordinator)
    matching_services.round_run_execute(run_id=run.pk)
    matching_services.round_publish(round=round, by=p.coordinator)
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED
    assert {r.student_id: r.placement_id for r in RoundResult.objects.filter(round=round)} == {
        anna.pk: None,
        bram.pk: kitchen.pk,
        chen.pk: None,
    }
    kitchen.refresh_from_db()
    assert kitchen.status == Status.FILLED  # its one seat went to Bram
    return round, kitchen, lunchroom, anna, bram, chen


def test_coordinator_starts_a_follow_up_round_and_an_unplaced_student_ranks_again(
    page, live_server, recognised
):
    p = recognised
    first, _kitchen, lunchroom, anna, bram, chen = published_round(p)
    school = p.rocva.slug
    english(page, live_server)
    uses_english(anna)

    # 1. The coordinator opens the published round and starts a follow-up round.
    login(page, p.coordinator.email)
    page.goto(f"/scholen/{school}/rondes/")
    page.get_by_role("link", name=FIRST, exact=True).click()
    page.wait_for_url(f"**/scholen/{school}/rondes/{first.pk}/")
    page.get_by_role("heading", name=FIRST, exact=True).wait_for()
    assert status_badge(page).inner_text() == "Published"
    check_page(page, "follow-up-01-published-round")
    page.get_by_role("link", name="Start a follow-up round for the students still unplaced").click()
    page.get_by_role("heading", name="Follow-up round").wait_for()
    page.wait_for_url(f"**/scholen/{school}/rondes/{first.pk}/vervolgronde/")
    assert page.get_by_text("2 students of this round have no placement yet.").is_visible()
    check_page(page, "follow-up-02-form")

    # A deadline in the past is refused on its field, and no round is made.
    past = timezone.localtime() - dt.timedelta(hours=2)
    page.get_by_label("Deadline for rankings").fill(past.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Prepare the follow-up round").click()
    page.get_by_text("Choose a deadline in the future.").wait_for()
    assert page.get_by_label("Deadline for rankings").get_attribute("aria-invalid") == "true"
    check_page(page, "follow-up-03-form-error")
    assert not Round.objects.filter(parent=first).exists()
    assert Round.objects.count() == 1

    # A deadline in the future: the follow-up round is prepared (the name may stay empty).
    deadline = timezone.localtime() + dt.timedelta(days=10)
    page.get_by_label("Deadline for rankings").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Prepare the follow-up round").click()
    page.get_by_text("The follow-up round is prepared. Check it, then open it.").wait_for()
    follow_up = Round.objects.get(parent=first)
    page.wait_for_url(f"**/scholen/{school}/rondes/{follow_up.pk}/")
    page.get_by_role("heading", name=FOLLOW_UP, exact=True).wait_for()
    assert status_badge(page).inner_text() == "Being prepared"
    assert page.get_by_role("link", name=FIRST, exact=True).is_visible()  # "Follow-up round of"
    main = page.locator("main").inner_text()
    assert "2 students, 0 ranked" in main and "with 2 seats" in main
    check_page(page, "follow-up-04-prepared")
    assert follow_up.status == RoundStatus.DRAFT and follow_up.name == FOLLOW_UP
    assert follow_up.max_choices == 4  # twice as many as in the first round
    assert set(follow_up.students.values_list("student_id", flat=True)) == {anna.pk, chen.pk}
    # Only the seats still free: the kitchen went to Bram, the lunchroom's two are left.
    assert {s.placement_id: s.capacity for s in follow_up.seats.all()} == {lunchroom.pk: 2}

    # 2. Opening it tells the two students; the first round links to it.
    page.get_by_role("button", name="Open the round").click()
    page.get_by_text("The round is open. Students and businesses are told.").wait_for()
    page.get_by_role("button", name="Close the rankings").wait_for()
    assert status_badge(page).inner_text() == "Open for rankings"
    check_page(page, "follow-up-05-open")
    follow_up.refresh_from_db()
    assert follow_up.status == RoundStatus.OPEN and follow_up.opened_at is not None
    asked = Notification.objects.filter(kind="round.rank", url=f"/student/rondes/{follow_up.pk}/")
    assert set(asked.values_list("user_id", flat=True)) == {anna.pk, chen.pk}

    page.get_by_role("link", name=FIRST, exact=True).click()
    page.get_by_role("heading", name=FIRST, exact=True).wait_for()
    assert page.get_by_role("link", name=FOLLOW_UP, exact=True).is_visible()
    assert page.get_by_role("link", name="Start a follow-up round").count() == 0  # only one
    check_page(page, "follow-up-06-first-round-links-to-it")
    logout(page)

    # 3. Anna reads, from her inbox, why the first round did not place her.
    login(page, anna.email)
    # (The first round's messages were written when it was published, in the school's language.)
    unplaced = Notification.objects.get(user=anna, kind="round.unplaced")
    assert unplaced.url == f"/student/rondes/{first.pk}/"
    page.goto("/meldingen/")
    page.get_by_role("heading", name="Your inbox").wait_for()
    page.get_by_role("link", name=f"Choose your placements: {FOLLOW_UP}").wait_for()
    check_page(page, "follow-up-07-student-inbox")
    page.get_by_role("link", name=unplaced.title, exact=True).click()
    page.wait_for_url(f"**/student/rondes/{first.pk}/")
    page.get_by_role("heading", name="Your result").wait_for()
    assert page.locator("#result-summary").inner_text() == (
        "You were not placed in this round: the placements you chose were full with "
        "students ranked higher."
    )
    why = page.locator("#result-why").inner_text()
    assert "Stage keuken (MBO 2) (Bakkerij A)" in why
    assert "Its only seat went to a student the business ranked higher than you." in why
    assert page.get_by_text("Your school will start a follow-up round").is_visible()
    body = page.locator("main").inner_text()
    assert "Bram" not in body and "Chen" not in body  # never who got the seat
    check_page(page, "follow-up-08-student-result")

    # 4. She ranks the placements of the follow-up round: only the lunchroom is left.
    page.get_by_role("link", name="Your matching rounds").click()
    page.get_by_role("heading", name="Your matching rounds").wait_for()
    check_page(page, "follow-up-09-student-rounds")
    page.get_by_role("link", name=FOLLOW_UP, exact=True).click()
    page.wait_for_url(f"**/student/rondes/{follow_up.pk}/")
    page.get_by_role("heading", name="Your ranking").wait_for()
    assert page.get_by_text("Choose up to 4 placements").is_visible()
    first_choice = page.get_by_label("1st choice")
    options = first_choice.locator("option").all_inner_texts()
    assert options == ["— no choice —", "Stage lunchroom (MBO 2) – Bakkerij A"]
    assert page.get_by_label("4th choice").is_visible()
    check_page(page, "follow-up-10-student-follow-up")
    first_choice.select_option(label="Stage lunchroom (MBO 2) – Bakkerij A")
    page.get_by_role("button", name="Save my ranking").click()
    page.get_by_text("Your ranking is saved.").wait_for()
    assert page.get_by_label("1st choice").input_value() == str(lunchroom.pk)
    check_page(page, "follow-up-11-student-saved")
    assert list(
        StudentChoice.objects.filter(round=follow_up, student=anna).values_list(
            "placement_id", flat=True
        )
    ) == [lunchroom.pk]
    assert not StudentChoice.objects.filter(round=follow_up).exclude(student=anna).exists()
    logout(page)

    # 5. The coordinator closes the rankings by hand, before the deadline.
    login(page, p.coordinator.email)
    page.goto(f"/scholen/{school}/rondes/{follow_up.pk}/")
    assert "2 students, 1 ranked" in page.locator("main").inner_text()
    page.get_by_role("button", name="Close the rankings").click()
    page.get_by_text("The round is closed for rankings. You can run it now.").wait_for()
    page.get_by_role("button", name="Run the round").wait_for()
    assert status_badge(page).inner_text() == "Rankings closed"
    assert page.get_by_role("button", name="Close the rankings").count() == 0
    check_page(page, "follow-up-12-closed")
    follow_up.refresh_from_db()
    assert follow_up.status == RoundStatus.CLOSED and follow_up.deadline > timezone.now()
    # Nothing is final yet: no new internships, only Bram's from the first round.
    assert list(Internship.objects.values_list("student_id", flat=True)) == [bram.pk]


def test_a_round_with_one_placement_says_placement_in_the_singular(
    page, live_server, personas, published
):
    p = personas
    make_student("Anna Aydin", "1094", kok_programme())
    round = matching_services.round_create(
        programme=kok_programme(),
        by=p.coordinator,
        name="Kok 2027, ronde 1",
        deadline=timezone.now() + dt.timedelta(days=7),
    )
    assert round.seats.count() == 1
    english(page, live_server)
    login(page, p.coordinator.email)
    page.goto(f"/scholen/{p.rocva.slug}/rondes/{round.pk}/")
    page.get_by_role("heading", name="Kok 2027, ronde 1", exact=True).wait_for()
    check_page(page, "follow-up-13-one-placement")
    main = page.locator("main").inner_text()
    assert "1 student, 0 ranked" in main  # the students line is pluralised correctly
    assert "1 placement with 2 seats" in main
