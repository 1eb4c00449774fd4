"""How people find insight: the coordinator's and the operator's dashboard, the chance of a
place on a programme's page; and the job registered to keep the figures fresh."""

from __future__ import annotations

import pytest

from stagebrug.core.hooks import recurring_jobs
from stagebrug.insights import refresh as m
from stagebrug.insights.tasks import insights_refresh
from tests.insights.figures import put, refreshed
from tests.placements.factories import kok_programme

pytestmark = pytest.mark.django_db


def test_a_coordinators_dashboard_leads_to_the_schools_insight(client, personas):
    client.force_login(personas.coordinator)
    html = client.get("/account/").content.decode()
    assert f'href="/scholen/{personas.rocva.slug}/inzicht/"' in html
    assert 'href="/inzicht/"' not in html


def test_the_operators_dashboard_leads_to_the_regions_insight(client, personas):
    client.force_login(personas.operator)
    html = client.get("/account/").content.decode()
    assert 'href="/inzicht/"' in html
    assert "Regional insight" in html


@pytest.mark.parametrize("who", ["student", "owner", "teacher"])
def test_others_are_not_led_to_insight(client, personas, who):
    client.force_login(getattr(personas, who))
    html = client.get("/account/").content.decode()
    assert "/inzicht/" not in html


def test_a_programmes_page_tells_its_chance_of_a_place(client, personas):
    kok = kok_programme()
    put(m.PLACES, 30, programme=kok)
    put(m.LOOKING, 20, programme=kok, sector=None)
    refreshed()
    html = client.get(f"/scholen/{kok.institution.slug}/opleidingen/{kok.slug}/").content.decode()
    assert "Chance of a place" in html
    assert "<strong>Good</strong>" in html
    assert "1.5 places per student looking" in html
    assert f'href="/kans-op-stage/?school={kok.institution_id}"' in html


def test_a_programme_with_few_students_looking_does_not_tell_it(client, personas):
    kok = kok_programme()
    put(m.PLACES, 30, programme=kok)
    put(m.LOOKING, 2, programme=kok, sector=None)
    refreshed()
    html = client.get(f"/scholen/{kok.institution.slug}/opleidingen/{kok.slug}/").content.decode()
    assert "Too few students looking" in html


def test_the_refresh_is_a_recurring_job():
    assert insights_refresh in recurring_jobs.providers
