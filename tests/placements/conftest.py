import datetime as dt

import pytest

from stagebrug.registry.models import EducationLevel
from tests.factories import RecognitionFactory, SupervisorFactory


@pytest.fixture
def recognised(personas):
    """Company A may host MBO 2 cooks: an SBB recognition for Kok (25180) until 2030 and a
    workplace supervisor with MBO 4 (the ROC's requirement is MBO 3 or higher)."""
    RecognitionFactory(
        company=personas.company, by=personas.owner, crebo="25180", valid_from=dt.date(2026, 1, 1)
    )
    SupervisorFactory(
        company=personas.company,
        by=personas.owner,
        name="Chef Bram",
        education_level=EducationLevel.MBO_4,
    )
    return personas
