"""Calendar files (RFC 5545) of events, written with `icalendar`: one for an e-mail or a
download, and the subscribable feed. Each VEVENT has a stable UID (`event-<pk>@<site>`) and a
SEQUENCE that goes up with every change, so calendars replace it, or remove it when it is
cancelled. Times carry TZID Europe/Amsterdam."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from stagebrug.community.models import Event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PUBLISH = "PUBLISH"
CANCEL = "CANCEL"
MIME = "text/calendar"
PRODID = "-//Stagebrug//Evenementen//NL"


def uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "stagebrug.nl"
    return f"event-{event.pk}@{host}"


def vevent(event: Event, *, stamp: dt.datetime, with_link: bool = False) -> VEvent:
    """One event. The link to join an online event is only for those with a place
    (`with_link`): the public feed and downloads say "Online" and link to the event's page."""
    ev = VEvent()
    ev.add("uid", uid(event))
    ev.add("sequence", event.sequence)
    ev.add("dtstamp", stamp.astimezone(dt.UTC))
    ev.add("dtstart", event.starts_at.astimezone(AMSTERDAM))
    ev.add("dtend", event.ends_at.astimezone(AMSTERDAM))
    ev.add("summary", event.title)
    ev.add("description", event.description)
    if event.online:
        ev.add("location", event.online_url if with_link else event.place_line)
    else:
        ev.add("location", event.place_line)
    ev.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
    ev.add("status", "CANCELLED" if event.state == Event.State.CANCELLED else "CONFIRMED")
    return ev


def calendar(
    events: Iterable[Event],
    *,
    method: str = PUBLISH,
    name: str = "",
    stamp: dt.datetime | None = None,
    with_link: bool = False,
) -> bytes:
    """A VCALENDAR with one VEVENT per event, as bytes (CRLF lines, folded)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    stamp = stamp or timezone.now()
    for event in events:
        cal.add_component(vevent(event, stamp=stamp, with_link=with_link))
    cal.add_missing_timezones()
    return cal.to_ical()
