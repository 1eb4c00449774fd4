"""A guest lecture asked for and answered, and keeping in touch, on a phone (W6, W7, W11): the
coordinator asks for a guest lecture for the kitchen programme; the bakery's owner finds the
request on the guest-lecture board, accepts it with a time, and it is on the school's events.
Then the student whose internship was completed chooses to keep in touch (open to a side job),
the owner finds them among the former interns and offers a side job, and the student answers.
Run in the English interface; every page axe-clean."""

from __future__ import annotations

import pytest
from django.utils import timezone

from stagebrug.community.models import Event, JobOffer, LectureRequest
from stagebrug.internships import services as internships
from tests.browser.conftest import check_page, english, login, logout, uses_english
from tests.supervision.conftest import running  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def viewport() -> str:
    return "phone"


def test_a_guest_lecture_answered_and_a_former_intern_offered_a_side_job(
    page,
    live_server,
    personas,
    running,  # noqa: F811
):
    p = personas
    english(page, live_server)
    uses_english(p.coordinator, p.owner, p.student)
    today = timezone.localdate()

    # 1. The coordinator asks for a guest lecture, for the bakery's sector.
    login(page, p.coordinator.email)
    page.goto("/gastlessen/")
    check_page(page, "lecture-01-board")
    page.get_by_role("link", name="Ask for a guest lecture").click()
    page.get_by_label("Programme").select_option(str(running.programme_id))
    page.get_by_label("Subject").fill("Hygiëne in de keuken")
    page.get_by_label("What the students should learn").fill("HACCP in de praktijk.")
    page.get_by_label("Sector").select_option(p.company.sector_id)
    page.get_by_label("From").fill(today.isoformat())
    page.get_by_label("Until").fill(today.replace(year=today.year + 1).isoformat())
    check_page(page, "lecture-02-ask")
    page.get_by_role("button", name="Ask").click()
    page.get_by_text("businesses are told").wait_for()
    logout(page)

    # 2. The owner accepts it from the board with a time; it becomes the school's event.
    login(page, p.owner.email)
    page.goto("/gastlessen/")
    page.get_by_role("link", name="Hygiëne in de keuken").click()
    check_page(page, "lecture-03-request")
    when = timezone.localtime() + timezone.timedelta(days=7)
    page.get_by_label("Starts").fill(when.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Ends").fill(when.strftime("%Y-%m-%dT11:00"))
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("The guest lecture is on the school's events.").wait_for()
    event = Event.objects.get(kind="guest_lecture")
    assert event.company == p.company and LectureRequest.objects.get().status == "accepted"
    logout(page)

    # 3. The internship is completed; the student keeps in touch, open to a side job.
    internships.internship_complete(internship=running, by=p.coordinator)
    login(page, p.student.email)
    page.goto(f"/stagiairs/{running.pk}/")
    page.get_by_role("link", name="Keep in touch with the business?").click()
    check_page(page, "aftercare-01-student")
    page.get_by_label("that I am open to a side job").check()
    page.get_by_role("button", name="Keep in touch").click()
    page.get_by_text("Saved. You can change or stop it here at any time.").wait_for()
    logout(page)

    # 4. The owner offers a side job; the student answers.
    login(page, p.owner.email)
    page.goto(f"/bedrijven/{p.company.pk}/oud-stagiairs/")
    check_page(page, "aftercare-02-former")
    page.get_by_text("Send an offer").click()
    page.get_by_label("Side job").check()
    page.get_by_label("Message").fill("Zin om op zaterdag mee te bakken? Bel Karim.")
    page.get_by_role("button", name="Send the offer").click()
    page.get_by_text("Sent.").wait_for()
    logout(page)
    offer = JobOffer.objects.get()
    login(page, p.student.email)
    page.goto(f"/aanbiedingen/{offer.pk}/")
    check_page(page, "aftercare-03-offer")
    page.get_by_role("button", name="I am interested").click()
    page.get_by_text("Your answer is sent to the business.").wait_for()
    offer.refresh_from_db()
    assert offer.answer == "interested"
