"""Duo placements in a round (W21): two linked engine seats, one per kind; a round's students
fill only the seat of their kind, and the results say which seat each student has."""

from __future__ import annotations

import pytest

from stagebrug.matching import adapter, services
from stagebrug.matching.adapter import build_input
from stagebrug.matching.engine import load_instance
from stagebrug.matching.models import RoundResult
from stagebrug.placements import services as placement_services
from tests.matching.conftest import open_round
from tests.matching.test_api import bearer
from tests.matching.test_rounds_api import api
from tests.matching.test_services import run_now
from tests.placements.factories import make_published_duo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lottery_for_fit(monkeypatch):
    monkeypatch.setattr(
        adapter,
        "rank_students_for_placements",
        lambda placements, ids: {p.pk: [(i, 50) for i in sorted(ids)] for p in placements},
    )


@pytest.fixture
def duo(world):
    return make_published_duo(world.personas)


def test_seat_ids_map_back_to_the_placement_and_its_kind():
    assert adapter.seat_key(12, "mbo") == "p12~mbo"
    assert adapter._pk("p12~mbo") == adapter._pk("p12~hbo") == adapter._pk("p12") == 12
    assert (adapter.seat_of("p12~hbo"), adapter.seat_of("p12")) == ("hbo", "")


def test_a_duo_becomes_two_linked_seats_and_mbo_choices_go_to_the_mbo_seat(world, duo):
    round = open_round(world, seed=7)
    anna, bram, *_ = world.students
    for student in (anna, bram):
        services.round_submit_choices(round=round, student=student, placement_ids=[duo.pk])
    inp = build_input(round)
    rows = {row["id"]: row for row in inp.data["placements"]}
    mbo, hbo = f"p{duo.pk}~mbo", f"p{duo.pk}~hbo"
    assert f"p{duo.pk}" not in rows
    assert rows[mbo]["capacity"] == 1 and rows[hbo]["capacity"] == 0
    assert rows[mbo]["duo"] == rows[hbo]["duo"] == f"p{duo.pk}"
    assert (rows[mbo]["seat"], rows[hbo]["seat"]) == ("mbo", "hbo")
    # The fit ranking is split by kind: Kok students are candidates for the MBO seat only.
    assert set(rows[mbo]["preferences"]) == {f"s{anna.pk}", f"s{bram.pk}"}
    assert rows[hbo]["preferences"] == []
    students = {s["id"]: s["preferences"] for s in inp.data["students"]}
    assert students[f"s{anna.pk}"] == students[f"s{bram.pk}"] == [mbo]
    assert inp.capacity[duo.pk] == 1
    load_instance(inp.data)  # the engine accepts the linked seats


def test_a_taken_mbo_seat_gives_the_round_no_mbo_capacity(world, duo):
    placement_services.placement_take_positions(placement=duo, count=1, by=None, kind="mbo")
    round = open_round(world, seed=7)
    # The round's programme is MBO: the duo has no seat left for it, so it is not offered.
    assert not round.seats.filter(placement=duo).exists()


def test_two_mbo_students_ranking_the_duo_first_fill_only_its_mbo_seat(
    client, world, duo, django_capture_on_commit_callbacks
):
    coordinator = world.personas.coordinator
    round = open_round(world, seed=7)
    anna, bram, *_ = world.students
    for student in (anna, bram):
        services.round_submit_choices(round=round, student=student, placement_ids=[duo.pk])
    services.round_close(round=round, by=coordinator)
    run = run_now(round, coordinator)
    placed = [s for s, p in run.assignment.items() if p == duo.pk]
    assert len(placed) == 1
    assert run.explanations[placed[0]]["seat"] == "mbo"
    assert run.stats["half_filled_duos"] == [{"placement": duo.pk, "filled": "mbo", "empty": "hbo"}]

    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(round=round, by=coordinator)
    result = RoundResult.objects.get(round=round, placement=duo)
    assert str(result.student_id) == placed[0] and result.seat == "mbo"
    duo.refresh_from_db()
    assert (duo.mbo_seats_taken, duo.hbo_seats_taken, duo.positions_taken) == (1, 0, 1)
    assert duo.free_seats("hbo") == 1

    base = f"/rounds/{round.pk}"
    rows = api(client, "get", f"{base}/results", bearer(coordinator)).json()["items"]
    seats = {r["student_id"]: (r["seat"], r["seat_label"]) for r in rows}
    assert seats[result.student_id] == ("mbo", "MBO seat")
    assert {v for k, v in seats.items() if k != result.student_id} == {("", "")}


def test_a_duos_seats_of_the_other_kind_are_not_counted_as_the_rounds(world, duo):
    """The round offers two places at the duo, but only its MBO seat is open to the round's
    MBO students: the round's seats and its unfilled placements count that one."""
    round = open_round(world, seed=7)
    round.seats.filter(placement=duo).update(capacity=2)
    (anna, *_rest) = world.students
    services.round_submit_choices(round=round, student=anna, placement_ids=[duo.pk])
    services.round_close(round=round, by=world.personas.coordinator)
    inp = build_input(round)
    assert inp.capacity[duo.pk] == 2  # the engine gets both linked seats
    assert (inp.open_to_round(duo.pk), inp.seat_capacity[f"p{duo.pk}~hbo"]) == (1, 1)
    run = run_now(round, world.personas.coordinator)
    others = [inp.open_to_round(pk) for pk in inp.placements if pk != duo.pk]
    assert run.stats["seats"] == 1 + sum(others)
    assert run.assignment.get(str(anna.pk)) == duo.pk
    # Anna took the MBO seat: for this round the duo is full, every other placement is not.
    assert run.stats["placements_unfilled"] == sum(1 for open_ in others if open_ > 0)


def test_the_student_sees_their_duo_seat_on_their_result_and_in_their_data(
    world, duo, django_capture_on_commit_callbacks
):
    from django.test import Client
    from django.urls import reverse

    from stagebrug.matching.selectors import personal_data

    coordinator = world.personas.coordinator
    round = open_round(world, seed=7)
    anna = world.students[0]
    services.round_submit_choices(round=round, student=anna, placement_ids=[duo.pk])
    services.round_close(round=round, by=coordinator)
    run_now(round, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(round=round, by=coordinator)
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(anna)
    page = browser.get(reverse("matching:student_round", args=[round.pk]))
    assert "duo placement: your seat is the MBO seat" in page.content.decode()
    (row,) = personal_data(user=anna)["round_results"]
    assert row["seat"] == "mbo"
