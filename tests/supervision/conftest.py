"""A running internship to supervise: the internship of tests/internships/conftest.py with its
agreement signed by everyone (schedule Monday to Thursday 09:00–17:00, phone 0611111111), the
persona `teacher` as its school supervisor, and started on its start date."""

from __future__ import annotations

import pytest

from stagebrug.internships import services as internship_services
from stagebrug.internships.models import Internship
from tests.agreements.conftest import signed_by_everyone


@pytest.fixture
def running(internship, personas) -> Internship:
    signed_by_everyone(internship, personas)
    Internship.objects.filter(pk=internship.pk).update(school_supervisor=personas.teacher)
    internship.refresh_from_db()
    internship_services.internship_start(
        internship=internship, by=personas.coordinator, today=internship.start_date
    )
    internship.refresh_from_db()
    return internship
