"""What the community pages read, with their joins built in: a fixed number of queries per
page whatever the number of events or sign-ups."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.community.events import MAX_LENGTH
from stagebrug.community.models import Event, LectureOffer, LectureRequest, Registration
from stagebrug.registry.models import Institution, Programme

_CONFIRMED = Q(registrations__status=Registration.Status.CONFIRMED)


class EventRows:
    """A list of events that counts the places taken (`taken`) only for the rows of the page,
    in one grouped query, so the list's sort and count never join the sign-ups. The Paginator
    and the API's pagination slice and count it like a queryset."""

    def __init__(self, qs: QuerySet[Event]) -> None:
        self.qs = qs

    def all(self) -> EventRows:
        return self

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, item):
        if isinstance(item, slice):
            rows = list(self.qs[item])
            taken = dict(
                Registration.objects.filter(
                    event_id__in=[e.pk for e in rows], status=Registration.Status.CONFIRMED
                )
                .values("event_id")
                .annotate(n=Count("pk"))
                .values_list("event_id", "n")
            )
            for event in rows:
                event.taken = taken.get(event.pk, 0)
            return rows
        return self[item : item + 1][0]


def events(
    *,
    kind: str | None = None,
    audience: str | None = None,
    institution: Institution | None = None,
    programme: Programme | None = None,
    sector_id: str | None = None,
    past: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Event]:
    """Published events, the next first (or, `past`, the latest first). Wrap it in
    `EventRows` to show the places taken."""
    now = now or timezone.now()
    qs = Event.objects.filter(state=Event.State.PUBLISHED)
    if past:
        qs = qs.filter(starts_at__lt=now, ends_at__lt=now)
    else:
        # An event lasts at most three days: the bound on the start lets the index on
        # (state, starts_at) find the upcoming ones.
        qs = qs.filter(starts_at__gte=now - MAX_LENGTH, ends_at__gte=now)
    if kind:
        qs = qs.filter(kind=kind)
    if audience:
        qs = qs.filter(audience__in=[audience, "both"])
    if institution is not None:
        qs = qs.filter(institution=institution)
    if programme is not None:
        qs = qs.filter(
            Q(programme=programme)
            | Q(programme__isnull=True, institution_id=programme.institution_id)
        )
    if sector_id:
        qs = qs.filter(Q(sector_id=sector_id) | Q(sector__isnull=True))
    return qs.select_related("institution", "programme", "company", "sector").order_by(
        "-starts_at" if past else "starts_at", "pk"
    )


def event_for(pk: int) -> Event | None:
    return (
        Event.objects.select_related("institution", "programme", "company", "sector")
        .annotate(taken=Count("registrations", filter=_CONFIRMED))
        .filter(pk=pk)
        .first()
    )


def registration_of(user: User, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(event=event, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Registration.Status.WAITING,
            created_at__lt=registration.created_at,
        ).count()
        + 1
    )


def door_list(event: Event) -> QuerySet[Registration]:
    """Who has a place, by name, for the list at the door."""
    return (
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("company")
        .order_by("name", "pk")
    )


def my_events(*, user: User, now: dt.datetime | None = None) -> QuerySet[Registration]:
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            user=user, event__ends_at__gte=now, event__state=Event.State.PUBLISHED
        )
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )


def organised_by(*, user: User) -> QuerySet[Event]:
    """The events `user` may change: their schools' (and, for operators, all)."""
    qs = Event.objects.all()
    if not perms.is_operator(user):
        qs = qs.filter(institution_id__in=perms.institution_ids(user, perms.SCHOOL_EDITORS))
    return qs.select_related("institution").annotate(
        taken=Count("registrations", filter=_CONFIRMED)
    )


def open_requests(
    *, sector_id: str | None = None, now: dt.datetime | None = None
) -> QuerySet[LectureRequest]:
    today = timezone.localdate(now or timezone.now())
    qs = LectureRequest.objects.filter(status=LectureRequest.Status.OPEN, period_end__gte=today)
    if sector_id:
        qs = qs.filter(Q(sector_id=sector_id) | Q(sector__isnull=True))
    return qs.select_related("institution", "programme", "sector").order_by("period_start", "pk")


def offers(*, institution_sector: str | None = None) -> QuerySet[LectureOffer]:
    qs = LectureOffer.objects.filter(is_active=True)
    if institution_sector:
        qs = qs.filter(sector_id=institution_sector)
    return qs.select_related("company", "sector").order_by("-created_at", "-pk")
