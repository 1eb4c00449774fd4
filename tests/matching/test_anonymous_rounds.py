"""Anonymous rounds and placement by the school (W2, W14): businesses see the candidates for
their placement without names until the round is published; in a round of placement by the
school they do not rank named students at all, and the school reports how many it placed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stagebrug.matching import adapter, services
from stagebrug.matching import messages as m
from stagebrug.matching.models import RoundSeat, SeatRanking
from stagebrug.registry.models import Programme
from tests.matching.conftest import soon
from tests.matching.test_api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fit(monkeypatch):
    monkeypatch.setattr(
        adapter,
        "rank_students_for_placements",
        lambda placements, ids: {p.pk: [(i, 50) for i in sorted(ids)] for p in placements},
    )


def make_round(world, **kwargs):
    round = services.round_create(
        programme=world.programme,
        by=world.personas.coordinator,
        name="Kok, ronde 1",
        deadline=soon(),
        **kwargs,
    )
    return services.round_open(round=round, by=world.personas.coordinator)


def seat_page(client, world, round):
    client.force_login(world.personas.owner)
    return client.get(f"/stageplaatsen/{world.a1.pk}/rondes/{round.pk}/")


def test_an_anonymous_round_shows_the_business_no_names_until_published(client, world):
    round = make_round(world, anonymous=True)
    anna, bram = world.students[:2]
    for student in (bram, anna):
        services.round_submit_choices(round=round, student=student, placement_ids=[world.a1.pk])
    response = seat_page(client, world, round)
    assert response.status_code == 200
    page = response.text
    assert anna.full_name not in page and bram.full_name not in page
    # Numbered in the order they chose, not by name: Bram chose first.
    assert page.index("Kandidaat 1") < page.index("Kandidaat 2")
    assert "zonder namen" in page
    services.round_close(round=round, by=world.personas.coordinator)
    run = services.round_run(round=round, by=world.personas.coordinator)
    services.round_run_execute(run_id=run.pk)
    services.round_publish(round=round, by=world.personas.coordinator)
    published = seat_page(client, world, round).text
    assert bram.full_name in published or anna.full_name in published  # who was placed


def test_a_named_round_shows_names(client, world):
    round = make_round(world, anonymous=False)
    anna = world.students[0]
    services.round_submit_choices(round=round, student=anna, placement_ids=[world.a1.pk])
    assert anna.full_name in seat_page(client, world, round).text


def test_a_round_follows_the_programmes_anonymous_first_look_by_default(world):
    Programme.objects.filter(pk=world.programme.pk).update(anonymous_first_look=True)
    world.programme.refresh_from_db()
    assert make_round(world).anonymous


def test_placement_by_the_school_refuses_a_business_ranking_of_named_students(client, world):
    round = make_round(world, by_school=True)
    assert round.anonymous  # always
    seat = RoundSeat.objects.get(round=round, placement=world.a1)
    anna = world.students[0]
    services.round_submit_choices(round=round, student=anna, placement_ids=[world.a1.pk])
    with pytest.raises(ValidationError) as refused:
        services.round_set_seat_ranking(
            seat=seat, by=world.personas.owner, ranking=SeatRanking.RANK, student_ids=[anna.pk]
        )
    assert refused.value.message_dict["ranking"] == [str(m.BY_SCHOOL_NO_RANK)]
    services.round_set_seat_ranking(seat=seat, by=world.personas.owner, ranking="accept_all")
    page = seat_page(client, world, round).text
    assert 'value="rank"' not in page and "plaatsing door de school" in page


def test_the_round_reports_how_many_the_school_placed(client, world):
    round = make_round(world, by_school=True)
    for student, placement in zip(world.students[:3], (world.a1, world.a2, world.b1), strict=True):
        services.round_submit_choices(round=round, student=student, placement_ids=[placement.pk])
    services.round_close(round=round, by=world.personas.coordinator)
    run = services.round_run(round=round, by=world.personas.coordinator)
    services.round_run_execute(run_id=run.pk)
    assert services.placed_by_school(round) is None  # not before publishing
    services.round_publish(round=round, by=world.personas.coordinator)
    assert services.placed_by_school(round) == 3
    body = client.get(f"/api/v1/rounds/{round.pk}", **bearer(world.personas.coordinator)).json()
    assert body["by_school"] and body["anonymous"] and body["placed_by_school"] == 3
    client.force_login(world.personas.coordinator)
    page = client.get(f"/scholen/{world.personas.rocva.slug}/rondes/{round.pk}/").text
    assert "3 studenten geplaatst door de school" in page
    follow_up_free = services.placed_by_school(make_round(world, by_school=False))
    assert follow_up_free is None
