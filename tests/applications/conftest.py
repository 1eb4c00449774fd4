import pytest

from stagebrug.applications import services
from stagebrug.placements import services as placement_services
from tests.placements.factories import kok_programme, make_placement


@pytest.fixture
def published(recognised):
    """Company A's published MBO 2 kitchen placement (two positions), approved for Kok."""
    p = recognised
    placement = make_placement(
        p.company, p.owner, positions=2, buddy=p.company.supervisors.get(name="Chef Bram")
    )
    placement_services.placement_submit(placement=placement, by=p.owner)
    placement_services.placement_decide(
        target=placement.targets.get(), by=p.coordinator, approve=True
    )
    placement.refresh_from_db()
    return placement


@pytest.fixture
def kok_student(personas):
    """The persona student, with a profile for Kok (MBO 2) living in Amsterdam-Oost."""
    from stagebrug.registry.models import Postcode

    return services.profile_save(
        user=personas.student,
        by=personas.student,
        programme=kok_programme(),
        year=1,
        home_pc4=Postcode.objects.get(code="1094"),
        wanted_activities="Koken en bakken in een restaurant.",
        activity_tags=["koken", "bakken"],
        hours_per_week=32,
        max_travel_km=15,
    )
