"""Placement test data, written through the services like a business would."""

from __future__ import annotations

from decimal import Decimal

from stagebrug.placements import services
from stagebrug.placements.models import Kind, Placement
from stagebrug.registry.models import Programme
from tests.dates import START


def kok_programme() -> Programme:
    return Programme.objects.get(institution__brin="25PZ", qualification__crebo="25180")


def communicatie_programme() -> Programme:
    return Programme.objects.get(institution__brin="28DN", croho__code="34405")


def placement_data(company, **overrides) -> dict:
    data = {
        "location": company.locations.first(),
        "title": "Stage keuken (MBO 2)",
        "description": (
            "Ons restaurant in Amsterdam-Oost zoekt een stagiair voor de keuken. Je werkt mee in een klein team. "
            "Je leert hoe een professionele keuken werkt. We koken elke dag vers. De chef legt alles rustig uit. "
            "Je krijgt een vaste buddy. Na een paar weken maak je zelf gerechten klaar. Je werkt overdag, soms op zaterdag."
        ),
        "activities": [
            "Groenten snijden en mise-en-place voorbereiden",
            "Gerechten bereiden volgens recept",
            "De keuken schoonmaken volgens HACCP",
            "Bestellingen controleren en opslaan",
        ],
        "learning": "Je leert zelfstandig eenvoudige gerechten bereiden en hygiënisch werken in een keuken.",
        "kind": Kind.MBO_BOL,
        "levels": [2],
        "hours_per_week": 32,
        "duration_weeks": 20,
        "start_dates": [START.isoformat()],
        "positions": 1,
        "allowance_amount": Decimal("2.00"),
        "allowance_unit": "hour",
        "allowance_basis": "net",
        "supervision_hours_per_week": Decimal("2"),
        "languages": ["nl"],
    }
    if overrides.get("is_duo"):  # W21: a duo has one MBO and one HBO seat unless told
        data.update(mbo_seats=1, hbo_seats=1)
    data.update(overrides)
    return data


def make_placement(company, by, *, programmes=None, **overrides) -> Placement:
    programmes = programmes if programmes is not None else [kok_programme()]
    return services.placement_create(
        company=company, by=by, programmes=programmes, **placement_data(company, **overrides)
    )


def make_published_duo(p, *, mbo_seats: int = 1, hbo_seats: int = 1) -> Placement:
    """Company A's published duo placement (W21) for Kok (MBO 2) and Communicatie (HBO), with
    an HBO-trained supervisor so both programmes are eligible; the ROC approved it for Kok."""
    from stagebrug.registry.models import EducationLevel
    from tests.factories import SupervisorFactory

    SupervisorFactory(
        company=p.company, by=p.owner, name="Hanna HBO", education_level=EducationLevel.BACHELOR
    )
    placement = make_placement(
        p.company,
        p.owner,
        programmes=[kok_programme(), communicatie_programme()],
        is_duo=True,
        levels=[2, 5],
        duration_weeks=20,
        hours_per_week=36,
        mbo_seats=mbo_seats,
        hbo_seats=hbo_seats,
    )
    services.placement_submit(placement=placement, by=p.owner)
    services.placement_decide(
        target=placement.targets.get(programme=kok_programme()), by=p.coordinator, approve=True
    )
    placement.refresh_from_db()
    return placement
