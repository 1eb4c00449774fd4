"""Reads of contact moments: an internship's moments, and the coordinator's compliance list
(which internships miss a moment, most urgent first) in a constant number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.internships.models import CURRENT_STATUSES, Internship
from stagebrug.internships.selectors import internship_for
from stagebrug.registry.models import Institution
from stagebrug.supervision.contacts import permissions as can
from stagebrug.supervision.contacts.services import MINIMUM
from stagebrug.supervision.models import ContactMoment


def internship_with_moments(*, user: User, pk: int) -> Internship | None:
    """The internship (with its parties) if `user` plays a part in it; else None (a 404)."""
    internship = internship_for(user=user, pk=pk)
    if internship is None or not can.can_view(user, internship):
        return None
    return internship


def moments_of(*, internship: Internship) -> QuerySet[ContactMoment]:
    """The internship's moments in time order, cancelled ones included (shown struck)."""
    return (
        ContactMoment.objects.filter(internship=internship)
        .select_related("recorded_by")
        .order_by("planned_at", "id")
    )


def moment_for(*, user: User, internship_pk: int, pk: int) -> ContactMoment | None:
    """One moment of an internship `user` plays a part in (with the internship's parties)."""
    internship = internship_with_moments(user=user, pk=internship_pk)
    if internship is None:
        return None
    moment = ContactMoment.objects.filter(internship=internship, pk=pk).first()
    if moment is not None:
        moment.internship = internship
    return moment


def reads_compliance(*, user: User, institution: Institution) -> bool:
    """The school's coordinators (and operators)."""
    return perms.can_edit_institution(user, institution)


def compliance(*, institution: Institution, now: dt.datetime | None = None) -> QuerySet[Internship]:
    """The school's current internships that miss a contact moment, most urgent first.

    An internship misses one when a planned moment's time passed without a record (overdue),
    when fewer than three moments are planned, or when none is at the workplace. Order: the
    longest overdue first; then those short of moments or of an on-site one, by start date.
    Each row carries `overdue`, `overdue_since`, `planned` and `on_site`."""
    now = now or timezone.now()
    active = Q(contact_moments__cancelled_at__isnull=True)
    overdue = active & Q(contact_moments__held_at__isnull=True, contact_moments__planned_at__lt=now)
    return (
        Internship.objects.filter(institution=institution, status__in=CURRENT_STATUSES)
        .annotate(
            planned=Count("contact_moments", filter=active),
            on_site=Count("contact_moments", filter=active & Q(contact_moments__on_site=True)),
            overdue=Count("contact_moments", filter=overdue),
            overdue_since=Min("contact_moments__planned_at", filter=overdue),
        )
        .filter(Q(overdue__gt=0) | Q(planned__lt=MINIMUM) | Q(on_site=0))
        .select_related("student", "school_supervisor", "placement__company", "programme")
        .order_by(F("overdue_since").asc(nulls_last=True), "start_date", "id")
    )


def personal_data(*, user: User) -> dict:
    """`accounts.hooks.personal_data`: the contact moments of a student's internships, with
    their records."""
    rows = ContactMoment.objects.filter(internship__student=user).order_by("planned_at", "id")
    return {
        "contact_moments": [
            {
                "internship": m.internship_id,
                "kind": m.kind,
                "planned_at": m.planned_at.isoformat(),
                "on_site": m.on_site,
                "location": m.location,
                "held": m.held_at is not None,
                "cancelled": m.cancelled_at is not None,
                "agreed": m.agreed,
                "next_steps": m.next_steps,
            }
            for m in rows
        ]
    }
