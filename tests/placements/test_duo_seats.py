"""Duo placements for real (W21): MBO and HBO seats, counted apart."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stagebrug.placements import messages as m
from stagebrug.placements import services
from stagebrug.placements.models import Placement, Status
from tests.placements.factories import (
    communicatie_programme,
    kok_programme,
    make_placement,
    make_published_duo,
    placement_data,
)

pytestmark = pytest.mark.django_db


def create_errors(p, **overrides) -> dict:
    with pytest.raises(ValidationError) as info:
        services.placement_create(
            company=p.company,
            by=p.owner,
            programmes=[kok_programme(), communicatie_programme()],
            **placement_data(p.company, is_duo=True, levels=[2, 5], **overrides),
        )
    return info.value.message_dict


def test_a_duos_positions_are_its_mbo_and_hbo_seats(recognised):
    p = recognised
    duo = make_placement(
        p.company,
        p.owner,
        programmes=[kok_programme(), communicatie_programme()],
        is_duo=True,
        levels=[2, 5],
        positions=7,
        mbo_seats=2,
        hbo_seats=1,
    )
    duo.refresh_from_db()
    assert (duo.positions, duo.mbo_seats, duo.hbo_seats) == (3, 2, 1)


def test_a_duo_needs_at_least_one_seat_of_each_kind(recognised):
    errors = create_errors(recognised, mbo_seats=2, hbo_seats=0)
    assert errors["hbo_seats"] == [str(m.DUO_SEAT_REQUIRED["hbo"])]
    assert "mbo_seats" not in errors
    errors = create_errors(recognised, mbo_seats=0, hbo_seats=1)
    assert errors["mbo_seats"] == [str(m.DUO_SEAT_REQUIRED["mbo"])]


def test_a_placement_that_is_no_duo_has_no_seats(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner, positions=2, mbo_seats=1, hbo_seats=1)
    placement.refresh_from_db()
    assert (placement.positions, placement.mbo_seats, placement.hbo_seats) == (2, 0, 0)
    assert placement.free_seats("mbo") == placement.free_seats("hbo") == 2


def test_two_mbo_students_never_fill_a_duo(recognised):
    duo = make_published_duo(recognised)
    services.placement_take_positions(placement=duo, count=1, by=None, kind="mbo")
    with pytest.raises(ValidationError) as info:
        services.placement_take_positions(placement=duo, count=1, by=None, kind="mbo")
    assert info.value.messages == [str(m.SEAT_TAKEN["mbo"])]
    duo.refresh_from_db()
    assert (duo.positions_taken, duo.mbo_seats_taken, duo.hbo_seats_taken) == (1, 1, 0)
    assert duo.status == Status.PUBLISHED
    assert duo.free_seats("mbo") == 0 and duo.free_seats("hbo") == 1


def test_the_hbo_seat_fills_the_duo(recognised):
    duo = make_published_duo(recognised)
    services.placement_take_positions(placement=duo, count=1, by=None, kind="mbo")
    services.placement_take_positions(placement=duo, count=1, by=None, kind="hbo")
    duo.refresh_from_db()
    assert (duo.positions_taken, duo.mbo_seats_taken, duo.hbo_seats_taken) == (2, 1, 1)
    assert duo.status == Status.FILLED


def test_seats_are_counted_per_kind(recognised):
    duo = make_published_duo(recognised, mbo_seats=2, hbo_seats=3)
    assert duo.positions == 5
    services.placement_take_positions(placement=duo, count=2, by=None, kind="hbo")
    services.placement_take_positions(placement=duo, count=1, by=None, kind="mbo")
    with pytest.raises(ValidationError):
        services.placement_take_positions(placement=duo, count=2, by=None, kind="hbo")
    duo.refresh_from_db()
    assert (duo.mbo_seats_taken, duo.hbo_seats_taken, duo.positions_taken) == (1, 2, 3)
    assert (duo.free_seats("mbo"), duo.free_seats("hbo"), duo.free_positions) == (1, 1, 2)


def test_a_duo_takes_positions_only_for_a_known_kind(recognised):
    duo = make_published_duo(recognised)
    with pytest.raises(ValueError):
        services.placement_take_positions(placement=duo, count=1, by=None)


def test_seats_cannot_drop_below_the_seats_taken(recognised):
    p = recognised
    duo = make_published_duo(p, mbo_seats=2)
    services.placement_take_positions(placement=duo, count=2, by=None, kind="mbo")
    duo.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.placement_update(placement=duo, by=p.owner, mbo_seats=1)
    assert "mbo_seats" in info.value.message_dict


def test_the_database_refuses_more_seats_taken_than_seats(recognised):
    duo = make_published_duo(recognised)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=duo.pk).update(hbo_seats_taken=2)
