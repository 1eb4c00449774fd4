"""Guest lectures both ways (W7): a business offers one, a school asks for one (subject,
programme, period) and the businesses of that sector are told, or only the business whose
offer it asks for; the business that accepts names a time within the period and the request
becomes the school's event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stagebrug.applications.models import Notification
from stagebrug.community.lectures import services
from stagebrug.community.models import Event, LectureRequest
from stagebrug.registry.models import Programme
from tests.community.conftest import soon

pytestmark = pytest.mark.django_db


def programme(personas) -> Programme:
    return Programme.objects.filter(institution=personas.rocva).order_by("pk").first()


def ask(personas, **kw) -> LectureRequest:
    today = timezone.localdate()
    values = {
        "institution": personas.rocva,
        "by": personas.coordinator,
        "programme": programme(personas),
        "subject": "Zuurdesem: van starter tot brood",
        "description": "Wat een bakker dagelijks doet.",
        "period_start": today + dt.timedelta(days=20),
        "period_end": today + dt.timedelta(days=60),
        "sector": personas.company.sector,
    }
    return services.lecture_request_create(**(values | kw))


def test_the_businesses_of_the_sector_are_told(personas):
    request = ask(personas)
    assert request.told >= 1
    told = set(Notification.objects.filter(kind="lecture.requested").values_list("user", flat=True))
    assert personas.owner.pk in told and personas.member.pk in told
    # A business of another sector is not told.
    if personas.other_company.sector_id != personas.company.sector_id:
        assert personas.outsider.pk not in told


def test_asking_for_a_businesss_offer_tells_only_that_business(personas):
    offer = services.lecture_offer_create(
        company=personas.other_company,
        by=personas.outsider,
        subject="APK en veiligheid",
        description="Wat een garage doet.",
    )
    request = ask(personas, offer=offer, sector=None)
    assert request.told == 1
    told = set(Notification.objects.filter(kind="lecture.requested").values_list("user", flat=True))
    assert told == {personas.outsider.pk}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period_start": dt.date(2020, 1, 2), "period_end": dt.date(2020, 1, 1)}, "period_end"),
        ({"period_start": dt.date(2020, 1, 1), "period_end": dt.date(2020, 2, 1)}, "period_end"),
        ({"subject": " "}, "subject"),
    ],
)
def test_a_request_with_a_bad_period_or_no_subject_is_refused(personas, change, field):
    with pytest.raises(ValidationError) as caught:
        ask(personas, **change)
    assert field in caught.value.error_dict
    assert not LectureRequest.objects.exists()


def test_only_the_schools_coordinators_ask_and_only_for_their_programmes(personas):
    with pytest.raises(PermissionDenied):
        ask(personas, by=personas.teacher)
    other = Programme.objects.filter(institution=personas.hva).first()
    with pytest.raises(ValidationError) as caught:
        ask(personas, programme=other)
    assert "programme" in caught.value.error_dict


def test_an_accepted_request_becomes_the_schools_event(personas):
    request = ask(personas)
    starts = timezone.make_aware(
        dt.datetime.combine(request.period_start + dt.timedelta(days=3), dt.time(10))
    )
    with pytest.raises(ValidationError) as caught:
        services.lecture_request_accept(
            request=request,
            by=personas.owner,
            company=personas.company,
            starts_at=soon(200),
            ends_at=soon(200) + dt.timedelta(hours=1),
        )
    assert "starts_at" in caught.value.error_dict
    with pytest.raises(PermissionDenied):
        services.lecture_request_accept(
            request=request,
            by=personas.outsider,
            company=personas.company,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        )
    event = services.lecture_request_accept(
        request=request,
        by=personas.owner,
        company=personas.company,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        note="We nemen deeg mee.",
    )
    request.refresh_from_db()
    assert (request.status, request.event, request.company) == ("accepted", event, personas.company)
    assert (event.kind, event.institution, event.company) == (
        Event.Kind.GUEST_LECTURE,
        personas.rocva,
        personas.company,
    )
    assert Notification.objects.filter(user=personas.coordinator, kind="lecture.accepted").exists()
    with pytest.raises(ValidationError):  # accepted once
        services.lecture_request_accept(
            request=request,
            by=personas.owner,
            company=personas.company,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        )


def test_a_business_sees_its_sectors_open_requests_not_another_schools_closed_ones(personas):
    request = ask(personas)
    assert services.visible_requests(personas.owner).filter(pk=request.pk).exists()
    services.lecture_request_close(request=request, by=personas.coordinator)
    assert not services.visible_requests(personas.owner).filter(pk=request.pk).exists()
    assert services.visible_requests(personas.coordinator).filter(pk=request.pk).exists()
    assert not services.visible_requests(personas.other_coordinator).filter(pk=request.pk).exists()
