"""Applications and offers respect the seats of a duo placement (W21)."""

import pytest
from django.core.exceptions import ValidationError

from stagebrug.applications import services
from stagebrug.applications.models import ApplicationStatus
from stagebrug.internships.models import Internship
from stagebrug.placements import messages as pm
from stagebrug.placements import services as placement_services
from tests.applications.test_services import MOTIVATION, student
from tests.placements.factories import make_published_duo

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def duo(recognised):
    return make_published_duo(recognised)


def test_two_mbo_students_never_fill_a_duo_through_offers(duo, recognised):
    owner = recognised.owner
    first, second, third = student(), student(), student()
    apps = [
        services.application_create(student=s, placement=duo, motivation=MOTIVATION)
        for s in (first, second, third)
    ]
    for a in apps[:2]:
        services.application_move(application=a, by=owner, to=S.OFFER)
    services.offer_accept(application=apps[0], by=first)
    # The second MBO student's offer cannot be accepted, a new offer is refused, and a new
    # MBO application too: the duo's only MBO seat is taken.
    with pytest.raises(ValidationError) as info:
        services.offer_accept(application=apps[1], by=second)
    assert info.value.messages == [str(pm.SEAT_TAKEN["mbo"])]
    with pytest.raises(ValidationError) as info:
        services.application_move(application=apps[2], by=owner, to=S.OFFER)
    assert info.value.messages == [str(pm.SEAT_TAKEN["mbo"])]
    with pytest.raises(ValidationError) as info:
        services.application_create(student=student(), placement=duo, motivation=MOTIVATION)
    assert info.value.messages == [str(pm.SEAT_TAKEN["mbo"])]
    assert Internship.objects.filter(placement=duo).count() == 1
    duo.refresh_from_db()
    assert (duo.mbo_seats_taken, duo.hbo_seats_taken, duo.free_positions) == (1, 0, 1)


def test_the_first_mbo_student_takes_the_mbo_seat(duo, recognised):
    first = student()
    application = services.application_create(student=first, placement=duo, motivation=MOTIVATION)
    services.application_move(application=application, by=recognised.owner, to=S.OFFER)
    internship = services.offer_accept(application=application, by=first)
    duo.refresh_from_db()
    assert internship.placement_id == duo.pk
    assert (duo.mbo_seats_taken, duo.hbo_seats_taken, duo.positions_taken) == (1, 0, 1)


def test_a_duo_without_a_seat_of_the_students_kind_refuses_the_application(duo):
    # Seats set before W21's rule (a duo has one of each) was checked.
    type(duo).objects.filter(pk=duo.pk).update(mbo_seats=0, hbo_seats=2)
    duo.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.application_create(student=student(), placement=duo, motivation=MOTIVATION)
    assert info.value.messages == [str(pm.NO_SEAT_FOR_KIND["mbo"])]


def test_an_hbo_student_still_finds_the_hbo_seat_free(duo):
    placement_services.placement_take_positions(placement=duo, count=1, by=None, kind="mbo")
    duo.refresh_from_db()
    assert duo.seat_refusal("hbo") is None
    assert duo.seat_refusal("mbo") == pm.SEAT_TAKEN["mbo"]
