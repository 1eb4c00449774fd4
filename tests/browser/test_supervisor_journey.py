"""Support notes (W14): a school supervisor adds a note for a student who consented (and cannot
for one who did not); after the student accepted an offer, the workplace supervisor finds the
intern on the dashboard and reads how best to approach them. Colleagues of the company see the
intern but not the notes. Run in the English interface."""

from __future__ import annotations

import pytest

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import membership_grant
from stagebrug.applications import services
from stagebrug.applications.models import ApplicationStatus, SupportNote
from stagebrug.core.models import AuditEvent
from stagebrug.internships.models import Internship
from stagebrug.registry.models import Postcode
from tests.browser.conftest import check_page, english, login
from tests.factories import UserFactory
from tests.placements.factories import kok_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHOOL_NOTE = "Geef instructies stap voor stap en check even of alles duidelijk is."
OWN_NOTE = "Ik werk het best als ik vooraf weet wat er die dag gebeurt."


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def test_school_adds_a_note_and_the_workplace_supervisor_reads_it_for_the_intern(
    page, live_server, personas, published, kok_student
):
    p = personas
    student = p.student
    # The student consents to notes from the school and writes one of their own.
    services.profile_save(user=student, by=student, school_may_add_notes=True)
    services.support_note_add(profile=kok_student, by=student, text=OWN_NOTE)
    # Another student of the school did not consent.
    other = UserFactory(email="noor@rocva.example", full_name="Noor Zonder")
    membership_grant(user=other, role=Role.STUDENT, institution=p.rocva)
    services.profile_save(
        user=other,
        by=other,
        programme=kok_programme(),
        year=2,
        home_pc4=Postcode.objects.get(code="1094"),
    )
    # The placement's buddy has an account: the persona supervisor.
    buddy = published.buddy
    buddy.user = p.supervisor
    buddy.save(update_fields=["user"])
    english(page, live_server)

    # 1. The school supervisor adds a note for the consenting student.
    login(page, p.teacher.email)
    page.get_by_role("link", name="Students of ROC van Amsterdam").click()
    page.get_by_role("heading", name="Students of ROC van Amsterdam").wait_for()
    check_page(page, "supervisor-01-school-students")
    stan = page.locator("main .sb-results > li").filter(
        has=page.get_by_role("heading", name="Stan Student")
    )
    noor = page.locator("main .sb-results > li").filter(
        has=page.get_by_role("heading", name="Noor Zonder")
    )
    assert noor.get_by_text("has not given permission for notes").is_visible()
    assert noor.get_by_role("button", name="Add note").count() == 0
    stan.get_by_text("Add a support note").click()
    stan.get_by_label("How can the supervisor best work with this student?").fill(SCHOOL_NOTE)
    check_page(page, "supervisor-02-note-form")
    stan.get_by_role("button", name="Add note").click()
    page.get_by_text("The note is saved.").wait_for()
    check_page(page, "supervisor-03-note-saved")
    note = SupportNote.objects.get(profile=kok_student, author=p.teacher)
    assert note.text == SCHOOL_NOTE and note.author_role == SupportNote.Author.SCHOOL
    # The school adds notes but does not read them.
    assert SCHOOL_NOTE not in page.locator("main").inner_text()
    logout(page)

    # 2. The student gets an offer and accepts it: an internship with the buddy as supervisor.
    application = services.application_create(
        student=student,
        placement=published,
        motivation="Ik kook elke dag thuis en wil het vak leren in een echte keuken.",
    )
    services.application_move(application=application, by=p.owner, to=ApplicationStatus.OFFER)
    internship = services.offer_accept(application=application, by=student)
    assert internship.supervisor == buddy

    # 3. The workplace supervisor finds the intern on the dashboard and reads the notes.
    login(page, p.supervisor.email)
    interns = page.locator("section", has=page.get_by_role("heading", name="Your interns"))
    interns.wait_for()
    assert "Stage keuken (MBO 2)" in interns.inner_text()
    check_page(page, "supervisor-04-dashboard")
    interns.get_by_role("link", name="Stan Student").click()
    page.wait_for_url(f"**/stagiairs/{internship.pk}/")
    page.get_by_role("heading", name="Stan Student").wait_for()
    notes = page.locator("section", has=page.get_by_role("heading", name="How best to approach"))
    notes.wait_for()
    items = notes.get_by_role("listitem")
    assert items.count() == 2
    assert OWN_NOTE in items.nth(0).inner_text()
    assert "(the student)" in items.nth(0).inner_text()
    assert SCHOOL_NOTE in items.nth(1).inner_text()
    assert "(the school)" in items.nth(1).inner_text()
    supervisor = page.locator("dt", has_text="Workplace supervisor").locator(
        "xpath=following-sibling::dd[1]"
    )
    assert "Chef Bram" in supervisor.inner_text()  # the workplace supervisor named
    check_page(page, "supervisor-05-intern")
    assert AuditEvent.objects.filter(
        actor=p.supervisor, action="support_notes.read", object_id=str(kok_student.pk)
    ).exists()
    logout(page)

    # 4. The owner sees the intern, but the notes are for the supervisor only.
    login(page, p.owner.email)
    page.goto(f"/stagiairs/{internship.pk}/")
    page.get_by_role("heading", name="Stan Student").wait_for()
    assert page.get_by_role("heading", name="How best to approach").count() == 0
    assert SCHOOL_NOTE not in page.locator("main").inner_text()
    check_page(page, "supervisor-06-owner-view")
    assert Internship.objects.filter(student=student, placement=published).count() == 1
