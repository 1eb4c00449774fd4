"""An event of ROC van Amsterdam (the persona coordinator organises it), next month, with
`places` places; and helpers that sign people up the way they would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stagebrug.community import events
from stagebrug.community.models import Event
from tests.factories import UserFactory


def soon(days: int = 30, hour: int = 15) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def publish(personas, **values) -> Event:
    base = {
        "kind": Event.Kind.NETWORK,
        "title": "Netwerkborrel gastvrijheid",
        "description": "Ontmoet docenten en collega-ondernemers.",
        "starts_at": soon(),
        "ends_at": soon() + dt.timedelta(hours=2),
        "venue": "ROC van Amsterdam, Amstelcampus",
        "street": "Wibautstraat 2",
        "postcode": "1091 GM",
        "city": "Amsterdam",
        "audience": "both",
        "capacity": 2,
    }
    return events.event_publish(
        by=personas.coordinator, institution=personas.rocva, **(base | values)
    )


@pytest.fixture
def event(personas) -> Event:
    return publish(personas)


def person(n: int):
    return UserFactory(email=f"gast{n}@example.org", full_name=f"Gast {n}")
