"""Rules that stay true (W3, W17): an approved placement is checked again when its company, its
supervisors or recognitions, or the programme's requirements change, and daily for recognitions
that ended; it is paused for that programme with the reason and the fix, both sides are told,
and it is offered again when fixed. Recognitions warn their company 90 and 30 days ahead."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from stagebrug.applications import services as application_services
from stagebrug.placements import services
from stagebrug.placements.models import PlacementEvent, ProgrammeDecision
from stagebrug.placements.search import SearchParams, placement_search
from stagebrug.registry import services as registry
from stagebrug.registry.models import EducationLevel, Recognition
from tests.dates import START, on
from tests.factories import RecognitionFactory, SupervisorFactory
from tests.placements.factories import kok_programme, make_placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_time(django_capture_on_commit_callbacks):
    """Run the e-mails queued on commit, as the worker would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def decision(placement) -> str:
    return placement.targets.get().decision


def mails_to(email: str) -> list:
    return [m for m in mail.outbox if email in m.to]


def test_the_only_recognition_removed_pauses_the_placement_and_both_sides_are_told(
    published, personas, on_time
):
    recognition = personas.company.recognitions.get()
    mail.outbox.clear()
    on_time(lambda: registry.recognition_delete(recognition=recognition, by=personas.owner))
    assert decision(published) == ProgrammeDecision.PAUSED
    event = PlacementEvent.objects.get(placement=published, action="paused")
    assert "SBB" in event.note and event.programme == kok_programme()
    (to_business,) = mails_to(personas.owner.email)
    assert "Gepauzeerd" in to_business.subject
    assert "SBB" in to_business.body and "vanzelf weer aangeboden" in to_business.body
    (to_school,) = mails_to(personas.coordinator.email)
    assert personas.company.name in to_school.subject
    # Off offer for the programme: not found by it, no application possible.
    found = placement_search(SearchParams(programme=kok_programme().pk)).items
    assert published not in found

    # Fixed: the placement is offered again by itself, and both sides hear it.
    mail.outbox.clear()
    on_time(
        lambda: RecognitionFactory(
            company=personas.company, by=personas.owner, valid_from=on(1, 1, -1)
        )
    )
    assert decision(published) == ProgrammeDecision.APPROVED
    assert PlacementEvent.objects.filter(placement=published, action="resumed").exists()
    assert "weer aangeboden" in mails_to(personas.owner.email)[0].subject.lower()
    assert mails_to(personas.coordinator.email)
    assert published in placement_search(SearchParams(programme=kok_programme().pk)).items


def test_a_paused_placement_refuses_new_applications(published, personas, kok_student):
    registry.recognition_delete(recognition=personas.company.recognitions.get(), by=personas.owner)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        application_services.application_create(
            student=personas.student,
            placement=published,
            motivation="Ik wil graag leren koken in een echte keuken.",
        )


def test_the_only_qualified_supervisor_leaving_pauses_it(published, personas):
    chef = published.buddy
    registry.supervisor_update(
        supervisor=chef, by=personas.owner, education_level=EducationLevel.MBO_2
    )
    assert decision(published) == ProgrammeDecision.PAUSED
    registry.supervisor_update(
        supervisor=chef, by=personas.owner, education_level=EducationLevel.MBO_4
    )
    assert decision(published) == ProgrammeDecision.APPROVED
    registry.supervisor_delete(supervisor=chef, by=personas.owner)
    assert decision(published) == ProgrammeDecision.PAUSED
    SupervisorFactory(
        company=personas.company, by=personas.owner, education_level=EducationLevel.MBO_3
    )
    assert decision(published) == ProgrammeDecision.APPROVED


def test_a_stricter_programme_requirement_pauses_it_until_relaxed(published, personas):
    programme = kok_programme()
    registry.requirements_update(
        programme=programme, by=None, hours_per_week_min=8, hours_per_week_max=20
    )
    assert published.hours_per_week > 20
    assert decision(published) == ProgrammeDecision.PAUSED
    event = PlacementEvent.objects.get(placement=published, action="paused")
    assert "20 uren per week" in event.note
    registry.requirements_update(programme=programme, by=None, hours_per_week_max=None)
    assert decision(published) == ProgrammeDecision.APPROVED


def test_a_change_that_keeps_the_rules_met_changes_nothing(published, personas, on_time):
    mail.outbox.clear()
    on_time(lambda: registry.company_update(company=personas.company, by=personas.owner))
    SupervisorFactory(company=personas.company, by=personas.owner, name="Extra hulp")
    assert decision(published) == ProgrammeDecision.APPROVED
    assert not PlacementEvent.objects.filter(action__in=["paused", "resumed"]).exists()
    assert not mail.outbox


def test_a_pending_programme_is_not_paused_but_gets_fresh_verdicts(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    services.placement_submit(placement=placement, by=p.owner)
    registry.recognition_delete(recognition=p.company.recognitions.get(), by=p.owner)
    target = placement.targets.get()
    assert target.decision == ProgrammeDecision.PENDING
    assert any(v["rule"] == "recognition" and v["status"] == "not_ok" for v in target.verdicts)


# --------------------------------------------------------------------------------------------
# Every day: recognitions that ended, and warnings before they end


def two_starts(personas):
    """Kok starts in February and September: a placement with both start dates."""
    placement = make_placement(
        personas.company, personas.owner, start_dates=[START.isoformat(), on(9, 1).isoformat()]
    )
    services.placement_submit(placement=placement, by=personas.owner)
    services.placement_decide(target=placement.targets.get(), by=personas.coordinator, approve=True)
    placement.refresh_from_db()
    return placement


def test_the_daily_run_pauses_a_placement_whose_recognition_ended(recognised, personas, on_time):
    Recognition.objects.filter(company=personas.company).update(valid_until=on(3, 1))
    placement = two_starts(personas)  # February is covered; September is a warning
    assert decision(placement) == ProgrammeDecision.APPROVED
    with time_machine.travel(dt.datetime.combine(on(3, 1), dt.time(12, 0)), tick=False):
        assert services.recognitions_daily()["rechecked"] == 0  # valid through its last day
    mail.outbox.clear()
    with time_machine.travel(dt.datetime.combine(on(3, 2), dt.time(12, 0)), tick=False):
        result = on_time(services.recognitions_daily)
        assert result["rechecked"] == 1
        assert decision(placement) == ProgrammeDecision.PAUSED
        assert "afgelopen" in PlacementEvent.objects.get(action="paused").note
        assert mails_to(personas.owner.email) and mails_to(personas.coordinator.email)
        # The next day: nothing new.
        assert services.recognitions_daily()["rechecked"] == 0
    # Renewed: the placement is back at once.
    with time_machine.travel(dt.datetime.combine(on(3, 10), dt.time(9, 0)), tick=False):
        RecognitionFactory(company=personas.company, by=personas.owner, valid_from=on(3, 2))
        assert decision(placement) == ProgrammeDecision.APPROVED


def test_a_recognition_warns_its_company_90_and_30_days_before_it_ends(
    recognised, personas, on_time
):
    recognition = personas.company.recognitions.get()
    ends = timezone.localdate() + dt.timedelta(days=200)
    Recognition.objects.filter(pk=recognition.pk).update(valid_until=ends)
    mail.outbox.clear()

    def run_on(day: dt.date) -> int:
        with time_machine.travel(dt.datetime.combine(day, dt.time(12, 0)), tick=False):
            return on_time(lambda: services.recognitions_daily(today=day))["warned"]

    assert run_on(ends - dt.timedelta(days=91)) == 0
    assert run_on(ends - dt.timedelta(days=90)) == 1
    (warning,) = mails_to(personas.owner.email)
    assert "90 dagen" in warning.subject and "s-bb.nl" in warning.body
    assert run_on(ends - dt.timedelta(days=89)) == 0  # once
    assert run_on(ends - dt.timedelta(days=31)) == 0
    assert run_on(ends - dt.timedelta(days=30)) == 1
    assert "30 dagen" in mails_to(personas.owner.email)[-1].subject
    assert run_on(ends - dt.timedelta(days=10)) == 0


def test_a_late_first_run_sends_only_the_nearest_warning(recognised, personas):
    recognition = personas.company.recognitions.get()
    today = timezone.localdate()
    Recognition.objects.filter(pk=recognition.pk).update(valid_until=today + dt.timedelta(days=20))
    assert services.recognitions_daily(today=today)["warned"] == 1
    recognition.refresh_from_db()
    assert recognition.expiry_warned_days == 30


def test_a_renewed_recognition_is_not_warned_and_a_new_end_date_warns_again(recognised, personas):
    recognition = personas.company.recognitions.get()
    today = timezone.localdate()
    Recognition.objects.filter(pk=recognition.pk).update(valid_until=today + dt.timedelta(days=20))
    RecognitionFactory(
        company=personas.company,
        by=personas.owner,
        valid_from=today + dt.timedelta(days=21),
        leerbedrijf_id="100234567",
    )
    assert services.recognitions_daily(today=today)["warned"] == 0
    # The old one's end date moves: its warnings start over.
    recognition.refresh_from_db()
    registry.recognition_update(
        recognition=recognition, by=personas.owner, valid_until=today + dt.timedelta(days=25)
    )
    recognition.refresh_from_db()
    assert recognition.expiry_warned_days is None


def test_the_daily_task_runs_the_checks(recognised):
    from stagebrug.placements.tasks import daily_rules_check

    result = daily_rules_check.enqueue().return_value
    assert set(result) == {"rechecked", "warned"}


def test_a_placement_paused_for_every_programme_is_offered_nowhere(published, personas, client):
    """W3: not in the search without a programme filter, not in the feeds, and its page says
    it is paused instead of offering to apply (and is not published as a job posting)."""
    from django.urls import reverse

    feed_url = reverse("placements:feed_sector", args=[personas.company.sector_id])
    assert published in placement_search(SearchParams()).items
    assert published.title in client.get(feed_url).content.decode()
    registry.recognition_delete(recognition=personas.company.recognitions.get(), by=personas.owner)
    assert decision(published) == ProgrammeDecision.PAUSED
    assert published not in placement_search(SearchParams()).items
    feed = client.get(feed_url)
    assert feed.status_code == 200 and published.title not in feed.content.decode()
    page = client.get(published.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and "This placement is paused" in text
    assert reverse("applications:apply", args=[published.pk]) not in text
    assert "application/ld+json" not in text and 'content="noindex"' in text
