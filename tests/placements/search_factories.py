"""Published placements for the search tests, written straight to the database.

Search only reads what the services store, so these helpers store the same: the
denormalised fields (`earliest_start`, `monthly_allowance`, coordinates and municipality of
the location's postcode area), approved programme targets, and `search_text` from
`build_search_text`, the call the services make after every change.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from stagebrug.core.text.terms import fit_fields
from stagebrug.placements.models import (
    Kind,
    Placement,
    PlacementProgramme,
    ProgrammeDecision,
    Status,
)
from stagebrug.placements.search import build_search_text
from stagebrug.registry.models import Company, Location, Postcode, Programme
from tests.dates import iso

_kvk = itertools.count(30_000_001)
_age = itertools.count(1)
EPOCH = timezone.now() - dt.timedelta(days=30)
START_DATES = (iso(2, 1),)  # 1 February next year


def kok() -> Programme:
    """Kok (MBO 2) at ROC van Amsterdam."""
    return Programme.objects.get(institution__brin="25PZ", qualification__crebo="25180")


def marketing_mbo() -> Programme:
    """Medewerker marketing en communicatie (MBO 4) at ROC van Amsterdam."""
    return Programme.objects.get(institution__brin="25PZ", qualification__crebo="25148")


def communicatie() -> Programme:
    """Communicatie (HBO) at the Hogeschool van Amsterdam."""
    return Programme.objects.get(institution__brin="28DN", croho__code="34405")


def company(*, name: str = "Restaurant De Gouden Lepel", postcode: str = "1012") -> Company:
    pc4 = Postcode.objects.get(code=postcode)
    host = Company.objects.create(
        kvk_number=str(next(_kvk)),
        name=name,
        street="Damrak",
        house_number="1",
        postcode=f"{postcode} AB",
        city=pc4.place,
        pc4=pc4,
        sector_id="56",
        employee_count=8,
    )
    Location.objects.create(
        company=host,
        name=name,
        street="Damrak",
        house_number="1",
        postcode=f"{postcode} AB",
        city=pc4.place,
        pc4=pc4,
        is_main=True,
    )
    return host


def published(
    *,
    host: Company | None = None,
    postcode: str = "1012",
    title: str = "Stage kok in de keuken",
    activities: Sequence[str] = ("Gerechten bereiden volgens recept", "Sauzen maken"),
    description: str = "Een klein restaurant met een open keuken.",
    learning: str = "",
    kind: str = Kind.MBO_BOL,
    levels: Sequence[int] = (2,),
    hours: int = 32,
    start_dates: Sequence[str] = START_DATES,
    allowance: Decimal | int = 0,
    unit: str = "month",
    side_job: bool = False,
    is_duo: bool = False,
    programmes: Sequence[Programme] | None = None,
    decision: str = ProgrammeDecision.APPROVED,
    status: str = Status.PUBLISHED,
    published_at: dt.datetime | None = None,
) -> Placement:
    """One placement, published unless `status` says otherwise; each call is published a
    minute after the previous one, so "newest first" has a known order."""
    host = host or company(postcode=postcode)
    location = host.locations.select_related("pc4").get()
    dates = sorted(start_dates)
    placement = Placement(
        company=host,
        location=location,
        title=title,
        description=description,
        activities=list(activities),
        learning=learning,
        kind=kind,
        levels=list(levels),
        hours_per_week=hours,
        duration_weeks=20,
        start_dates=list(dates),
        allowance_amount=Decimal(allowance),
        allowance_unit=unit,
        side_job=side_job,
        is_duo=is_duo,
        status=status,
        published_at=published_at or EPOCH + dt.timedelta(minutes=next(_age)),
        earliest_start=dt.date.fromisoformat(dates[0]),
        latitude=location.pc4.latitude,
        longitude=location.pc4.longitude,
        municipality_id=location.pc4.municipality_id,
    )
    placement.monthly_allowance = placement.allowance_per_month()
    placement.save()
    for programme in programmes if programmes is not None else [kok()]:
        PlacementProgramme.objects.create(
            placement=placement, programme=programme, decision=decision
        )
    placement.search_text = build_search_text(placement)
    terms = fit_fields(placement.search_text)  # as the services write them
    placement.fit_keys, placement.fit_mask = terms["fit_keys"], terms["fit_mask"]
    placement.save(update_fields=["search_text", "fit_keys", "fit_mask"])
    return placement
