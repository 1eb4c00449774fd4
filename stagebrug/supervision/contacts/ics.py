"""Calendar invitations (RFC 5545) for contact moments, written with `icalendar`.

One VEVENT per moment. Its UID is stable (`contact-<pk>@<site>`), so a calendar replaces the
event when a rescheduled invitation (a higher SEQUENCE) arrives, and removes it on METHOD:CANCEL.
DTSTART carries TZID Europe/Amsterdam with its VTIMEZONE, so the time stays right across DST.
The SUMMARY is in the recipient's language: the caller renders it inside `speaking_to(person)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from stagebrug.supervision.models import ContactMoment

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"
PRODID = "-//Stagebrug//Contactmomenten//NL"


@dataclass(frozen=True)
class Party:
    """Someone a moment is between: the student, the workplace supervisor or the school
    supervisor (`user` is None for a workplace supervisor without an account)."""

    role: str
    name: str
    email: str
    language: str
    user: object | None = None


def uid(moment: ContactMoment) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "stagebrug.nl"
    return f"contact-moment-{moment.pk}@{host}"


def summary(moment: ContactMoment) -> str:
    """The event's title, in the active language."""
    student = moment.internship.student
    name = student.full_name if student is not None else _("the student")
    kind = ContactMoment.Kind(moment.kind).label
    return _("Contact moment (%(kind)s): %(name)s") % {"kind": kind, "name": name}


def where(moment: ContactMoment) -> str:
    if moment.location:
        return moment.location
    if moment.on_site:
        placement = moment.internship.placement
        location = getattr(placement, "location", None)
        place = str(location) if location is not None else placement.company.name
        return _("At the workplace: %(place)s") % {"place": place}
    return _("Online or at school (to agree)")


def _address(party: Party, *, attendee: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{party.email}")
    address.params["CN"] = vText(party.name)
    if attendee:
        address.params["ROLE"] = vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = vText("NEEDS-ACTION")
        address.params["RSVP"] = vText("FALSE")
    return address


def event(
    moment: ContactMoment, *, parties: Sequence[Party], method: str, stamp: dt.datetime
) -> Event:
    ev = Event()
    ev.add("uid", uid(moment))
    ev.add("sequence", moment.sequence)
    ev.add("dtstamp", stamp.astimezone(dt.UTC))
    start = moment.planned_at.astimezone(AMSTERDAM)
    ev.add("dtstart", start)
    ev.add("dtend", start + dt.timedelta(minutes=moment.duration_minutes))
    ev.add("summary", summary(moment))
    ev.add("location", where(moment))
    ev.add("url", f"{settings.SITE_URL}/stagiairs/{moment.internship_id}/contactmomenten/")
    cancelled = method == CANCEL or moment.cancelled_at is not None
    ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = next((p for p in parties if p.role == "school_supervisor"), None)
    if organizer is not None and organizer.email:
        ev.add("organizer", _address(organizer, attendee=False))
    else:
        ev.add("organizer", vCalAddress(f"mailto:{_from_address()}"))
    for party in parties:
        if party.email:
            ev.add("attendee", _address(party, attendee=True))
    return ev


def _from_address() -> str:
    raw = settings.DEFAULT_FROM_EMAIL
    return raw.split("<", 1)[1].rstrip(">").strip() if "<" in raw else raw


def calendar(
    moments: Iterable[ContactMoment],
    *,
    parties: Sequence[Party],
    method: str = REQUEST,
    stamp: dt.datetime | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per moment, as bytes (CRLF lines, folded)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    stamp = stamp or timezone.now()
    for moment in moments:
        cal.add_component(event(moment, parties=parties, method=method, stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()
