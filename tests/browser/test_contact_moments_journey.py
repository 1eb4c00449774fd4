"""Contact moments on a phone: the school supervisor opens the internship's contact moments
from its page, moves the mid-term moment to another day and time, and records the first one
(which has just been held); the student opens the same page and reads what was agreed. Run in
the Dutch interface (labels not translated yet are matched in English too), on the phone
viewport only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from stagebrug.supervision.contacts.services import AMSTERDAM
from stagebrug.supervision.models import ContactMoment
from tests.browser.conftest import check_page, login, logout
from tests.supervision.conftest import running  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGREED = "Stan draait eerst mee in de keuken; vaste taak: mise-en-place."
NEXT = "Over twee weken de leerdoelen samen bijstellen."


def both(dutch: str, english: str) -> re.Pattern:
    """A label in Dutch, or in English until its translation is in (the site shows the
    source text for a string not translated yet)."""
    return re.compile(f"^({re.escape(dutch)}|{re.escape(english)})$")


@pytest.fixture
def viewport() -> str:
    return "phone"


def test_the_school_supervisor_moves_and_records_and_the_student_reads_it(
    page,
    live_server,
    personas,
    running,  # noqa: F811
):
    p = personas
    start = ContactMoment.objects.get(internship=running, kind="start")
    middle = ContactMoment.objects.get(internship=running, kind="middle")
    # The first moment has just been held (an hour ago).
    ContactMoment.objects.filter(pk=start.pk).update(
        planned_at=timezone.now() - dt.timedelta(hours=1)
    )
    new_day = middle.planned_at.astimezone(AMSTERDAM).date() + dt.timedelta(days=1)
    url = f"/stagiairs/{running.pk}/contactmomenten/"

    # 1. The school supervisor opens the internship and follows "Contactmomenten".
    login(page, p.teacher.email)
    page.goto(f"/stagiairs/{running.pk}/")
    page.get_by_role("link", name=both("Contactmomenten", "Contact moments")).click()
    page.wait_for_url(f"**{url}")
    page.get_by_role("heading", name=both("Contactmomenten", "Contact moments"), level=1).wait_for()
    check_page(page, "contacts-01-school-supervisor")

    # 2. She moves the mid-term moment by a day, to 14:30.
    card = page.locator(f"#moment-{middle.pk}")
    card.locator("summary", has_text=re.compile("^(Verzetten|Move)")).click()
    card.get_by_label(both("Dag", "Day")).fill(new_day.isoformat())
    card.get_by_label(both("Tijd", "Time")).fill("14:30")
    card.get_by_role("button", name=both("Nieuwe tijd opslaan", "Save the new time")).click()
    page.get_by_text(re.compile("^(Verzet|Moved)\\.")).wait_for()
    middle.refresh_from_db()
    local = middle.planned_at.astimezone(AMSTERDAM)
    assert (local.date(), local.time()) == (new_day, dt.time(14, 30))
    assert middle.sequence == 1

    # 3. She records the first moment.
    card = page.locator(f"#moment-{start.pk}")
    card.get_by_label(both("Wat is afgesproken", "What was agreed")).fill(AGREED)
    card.get_by_label(re.compile("^(Vervolgstappen|Next steps)")).fill(NEXT)
    card.get_by_role("button", name=both("Verslag opslaan", "Save the record")).click()
    page.get_by_text(re.compile("^(Opgeslagen|Saved)\\. ")).wait_for()
    check_page(page, "contacts-02-recorded")
    logout(page)

    # 4. The student reads the record and cannot change anything.
    login(page, p.student.email)
    page.goto(url)
    card = page.locator(f"#moment-{start.pk}")
    card.get_by_text(AGREED).wait_for()
    assert NEXT in card.inner_text()
    assert (
        page.get_by_role("button", name=both("Nieuwe tijd opslaan", "Save the new time")).count()
        == 0
    )
    assert page.get_by_role("button", name=both("Verslag opslaan", "Save the record")).count() == 0
    check_page(page, "contacts-03-student")
    logout(page)

    start.refresh_from_db()
    assert (start.agreed, start.next_steps, start.recorded_by) == (AGREED, NEXT, p.teacher)
