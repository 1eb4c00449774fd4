"""A round of placement by the school from the business's side (W2, W14): the bakery opens its
placement's round page (on a phone and a desktop), sees its candidates numbered, without names, with their
programme and why they fit, cannot rank named students, and lets the fit score rank them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from stagebrug.matching import services as round_services
from stagebrug.matching.models import RoundSeat, SeatRanking
from tests.browser.conftest import check_page, login
from tests.matching.conftest import make_student
from tests.placements.factories import kok_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_ranks_without_names_in_a_round_of_placement_by_the_school(
    page, live_server, personas, published
):
    p = personas
    kok = kok_programme()
    anna = make_student("Anna Aydin", "1094", kok)
    bram = make_student("Bram Bakker", "1011", kok)
    round = round_services.round_create(
        programme=kok,
        by=p.coordinator,
        name="Kok, ronde 1",
        deadline=timezone.now() + dt.timedelta(days=7),
        by_school=True,
    )
    round_services.round_open(round=round, by=p.coordinator)
    for student in (bram, anna):
        round_services.round_submit_choices(
            round=round, student=student, placement_ids=[published.pk]
        )

    login(page, p.owner.email)
    page.goto(f"/stageplaatsen/{published.pk}/rondes/{round.pk}/")
    main = page.locator("main")
    main.get_by_role("heading", name=re.compile("Kok, ronde 1")).wait_for()
    text = main.inner_text()
    assert "Anna" not in text and "Bram" not in text
    assert "Kandidaat 1" in text and "Kandidaat 2" in text
    assert "plaatsing door de school" in text
    # Nobody ranks named students here: the choice is not even offered.
    assert main.get_by_label(re.compile("zelf")).count() == 0
    check_page(page, "anonymous-round-01-candidates")

    main.get_by_label("Laat de matchscore de kandidaten in volgorde zetten").check()
    main.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Opgeslagen").first.wait_for()
    check_page(page, "anonymous-round-02-saved")
    seat = RoundSeat.objects.get(round=round, placement=published)
    assert seat.ranking == SeatRanking.FIT and seat.ranked_at is not None
