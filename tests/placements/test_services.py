import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from stagebrug.placements import services
from stagebrug.placements.models import Placement, PlacementEvent, ProgrammeDecision, Status
from tests.dates import START, YEAR, on
from tests.factories import SupervisorFactory
from tests.placements.factories import (
    communicatie_programme,
    kok_programme,
    make_placement,
    placement_data,
)

pytestmark = pytest.mark.django_db


def errors_of(call, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    return info.value.message_dict


def test_a_new_placement_is_a_draft_with_targets_an_event_and_derived_fields(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    assert placement.status == Status.DRAFT
    assert list(placement.programmes.all()) == [kok_programme()]
    assert placement.earliest_start == START
    assert placement.monthly_allowance == Decimal("277.33")  # 2 euro × 32 hours × 52/12
    assert placement.municipality.name == "Amsterdam"
    assert placement.quality_score > 0
    assert placement.search_text
    assert PlacementEvent.objects.filter(
        placement=placement, action="created", actor=p.owner
    ).exists()


@pytest.mark.parametrize(
    "overrides, field, en_words",
    [
        ({"allowance_amount": Decimal("-1")}, "allowance_amount", "cannot be negative"),
        ({"positions": 0}, "positions", "at least one position"),
        ({"activities": []}, "activities", "at least one activity"),
        ({"start_dates": []}, "start_dates", "at least one start date"),
        ({"start_dates": [f"{YEAR}-02-31"]}, "start_dates", "not a valid date"),
        ({"title": "Stage <script>alert(1)</script>"}, "title", "HTML and scripts are not allowed"),
        (
            {"description": 'Leuk <img src=x onerror="alert(1)">'},
            "description",
            "HTML and scripts are not allowed",
        ),
        ({"activities": ["<b>Koken</b>"]}, "activities", "HTML and scripts are not allowed"),
        ({"levels": []}, "levels", "level"),
    ],
)
def test_bad_placement_input_is_refused_with_a_clear_message_and_writes_nothing(
    recognised, overrides, field, en_words
):
    p = recognised
    with translation.override("en"):
        errors = errors_of(
            services.placement_create,
            company=p.company,
            by=p.owner,
            programmes=[kok_programme()],
            **placement_data(p.company, **overrides),
        )
    assert en_words in " ".join(errors[field])
    assert not Placement.objects.exists()


def test_unknown_or_wrong_kind_programmes_are_refused(recognised):
    p = recognised
    errors = errors_of(
        services.placement_create,
        company=p.company,
        by=p.owner,
        programmes=[],
        **placement_data(p.company),
    )
    assert "programmes" in errors
    with translation.override("en"):
        errors = errors_of(
            services.placement_create,
            company=p.company,
            by=p.owner,
            programmes=[communicatie_programme()],
            **placement_data(p.company),
        )
    assert "HBO programme" in errors["programmes"][0]


def test_a_duo_placement_needs_an_mbo_and_an_hbo_programme(recognised):
    p = recognised
    errors = errors_of(
        services.placement_create,
        company=p.company,
        by=p.owner,
        programmes=[kok_programme()],
        **placement_data(p.company, is_duo=True),
    )
    assert "programmes" in errors
    duo = make_placement(
        p.company,
        p.owner,
        programmes=[kok_programme(), communicatie_programme()],
        is_duo=True,
        levels=[2, 5],
    )
    assert duo.is_duo


def test_another_companys_location_or_buddy_is_refused(recognised):
    p = recognised
    other_location = p.other_company.locations.first()
    other_buddy = SupervisorFactory(company=p.other_company, by=p.outsider)
    errors = errors_of(
        services.placement_create,
        company=p.company,
        by=p.owner,
        programmes=[kok_programme()],
        **placement_data(p.company, location=other_location, buddy=other_buddy),
    )
    assert {"location", "buddy"} <= set(errors)


def test_only_the_companys_editors_write_placements(recognised):
    p = recognised
    for stranger in (p.outsider, p.supervisor, p.coordinator, p.student):
        with pytest.raises(PermissionDenied):
            make_placement(p.company, stranger)


def test_submitting_is_refused_while_a_programme_rule_is_not_met(personas):
    # No SBB recognition for Kok: the placement may not be offered to that programme (W3).
    placement = make_placement(personas.company, personas.owner)
    with translation.override("en"):
        errors = errors_of(services.placement_submit, placement=placement, by=personas.owner)
    assert "no SBB recognition" in errors["programmes"][0]
    placement.refresh_from_db()
    assert placement.status == Status.DRAFT


def test_submit_notifies_the_schools_coordinators_and_approval_publishes(
    recognised, django_capture_on_commit_callbacks
):
    p = recognised
    placement = make_placement(p.company, p.owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.placement_submit(placement=placement, by=p.owner)
    assert mail.outbox[-1].to == [p.coordinator.email]
    target = placement.targets.get()
    assert target.decision == ProgrammeDecision.PENDING and target.verdicts
    with django_capture_on_commit_callbacks(execute=True):
        services.placement_decide(target=target, by=p.coordinator, approve=True)
    placement.refresh_from_db()
    assert placement.status == Status.PUBLISHED and placement.published_at
    assert p.owner.email in mail.outbox[-1].to
    assert [e.action for e in placement.events.all()] == [
        "created",
        "submitted",
        "approved",
        "published",
    ]


def test_a_rejection_needs_a_reason_which_the_business_sees(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    services.placement_submit(placement=placement, by=p.owner)
    target = placement.targets.get()
    with pytest.raises(ValidationError):
        services.placement_decide(target=target, by=p.coordinator, approve=False, reason="  ")
    services.placement_decide(
        target=target, by=p.coordinator, approve=False, reason="Meer variatie in taken graag."
    )
    target.refresh_from_db()
    assert (
        target.decision == ProgrammeDecision.REJECTED
        and target.reason == "Meer variatie in taken graag."
    )
    placement.refresh_from_db()
    assert placement.status == Status.SUBMITTED


def test_only_the_programmes_own_coordinator_decides(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    services.placement_submit(placement=placement, by=p.owner)
    target = placement.targets.get()
    for stranger in (p.other_coordinator, p.teacher, p.owner, p.student):
        with pytest.raises(PermissionDenied):
            services.placement_decide(target=target, by=stranger, approve=True)


def test_changing_a_published_placement_sends_it_back_for_approval(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    services.placement_submit(placement=placement, by=p.owner)
    services.placement_decide(target=placement.targets.get(), by=p.coordinator, approve=True)
    placement.refresh_from_db()
    services.placement_update(placement=placement, by=p.owner, hours_per_week=24)
    placement.refresh_from_db()
    assert placement.status == Status.SUBMITTED and placement.published_at is None
    assert placement.targets.get().decision == ProgrammeDecision.PENDING


def test_a_change_that_breaks_the_rules_after_submission_is_refused(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    services.placement_submit(placement=placement, by=p.owner)
    with pytest.raises(ValidationError):
        services.placement_update(placement=placement, by=p.owner, levels=[4])  # Kok is level 2
    placement.refresh_from_db()
    assert placement.levels == [2] and placement.status == Status.SUBMITTED


def test_withdraw_fill_and_close_follow_the_life_cycle(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    with pytest.raises(ValidationError):
        services.placement_withdraw(placement=placement, by=p.owner)  # still a draft
    services.placement_submit(placement=placement, by=p.owner)
    services.placement_withdraw(placement=placement, by=p.owner)
    assert placement.status == Status.DRAFT
    with pytest.raises(ValidationError):
        services.placement_mark_filled(placement=placement, by=p.owner)  # never published
    services.placement_submit(placement=placement, by=p.owner)
    services.placement_decide(target=placement.targets.get(), by=p.coordinator, approve=True)
    placement.refresh_from_db()
    services.placement_mark_filled(placement=placement, by=p.owner)
    assert placement.status == Status.FILLED
    with pytest.raises(ValidationError):
        services.placement_close(placement=placement, by=p.owner)
    with pytest.raises(ValidationError):
        services.placement_update(placement=placement, by=p.owner, title="Nieuw")


def test_weekend_wage_without_weekend_work_is_dropped(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner, weekend_work=False, weekend_wage=True)
    assert placement.weekend_wage is False


def test_moving_a_location_moves_its_placements_on_the_map_and_in_search(recognised):
    from stagebrug.registry import services as registry_services

    p = recognised
    placement = make_placement(p.company, p.owner)
    location = placement.location
    registry_services.location_update(
        location=location, by=p.owner, postcode="2011 AB", city="Haarlem"
    )
    registry_services.company_update(company=p.company, by=p.owner, name="Bakkerij Haarlem")
    placement.refresh_from_db()
    assert placement.municipality.name == "Haarlem"
    assert placement.latitude == pytest.approx(52.38, abs=0.05)
    assert "haarlem" in placement.search_text


# Placements whose start dates have all passed go offline (the daily job).


def test_a_placement_goes_offline_once_every_start_date_has_passed(
    published, personas, kok_student, django_capture_on_commit_callbacks
):
    from stagebrug.applications import services as application_services
    from stagebrug.applications.models import ApplicationStatus
    from stagebrug.placements.search import SearchParams, placement_search

    application = application_services.application_create(
        student=personas.student,
        placement=published,
        motivation="Ik kook graag en wil leren in een echte keuken.",
    )
    start = published.start_date_objects[-1]
    assert services.placements_expire(today=start) == 0  # the start day itself still counts
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.placements_expire(today=start + dt.timedelta(days=1)) == 1
    published.refresh_from_db()
    assert published.status == Status.DRAFT
    assert published.published_at is None
    assert set(published.targets.values_list("decision", flat=True)) == {ProgrammeDecision.PENDING}
    assert PlacementEvent.objects.filter(placement=published, action="expired", actor=None).exists()
    assert published.pk not in [p.pk for p in placement_search(SearchParams()).items]
    to_business = [e for e in mail.outbox if personas.owner.email in e.to]
    assert len(to_business) == 1
    assert published.title in to_business[0].subject
    assert f"/stageplaatsen/{published.pk}/" in to_business[0].body
    assert any(personas.student.email in e.to for e in mail.outbox)  # the student's answer
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED  # the student got an answer (W1)
    # Run again: nothing left to do.
    assert services.placements_expire(today=start + dt.timedelta(days=2)) == 0


def test_one_future_start_date_keeps_a_placement_online(recognised):
    p = recognised
    first, later = on(2, 1), on(9, 1)
    placement = make_placement(
        p.company, p.owner, start_dates=[first.isoformat(), later.isoformat()]
    )
    services.placement_submit(placement=placement, by=p.owner)
    services.placement_decide(target=placement.targets.get(), by=p.coordinator, approve=True)
    assert services.placements_expire(today=first + dt.timedelta(days=30)) == 0
    placement.refresh_from_db()
    assert placement.status == Status.PUBLISHED
    assert services.placements_expire(today=later + dt.timedelta(days=1)) == 1


def test_only_published_placements_expire(recognised):
    p = recognised
    submitted = make_placement(p.company, p.owner)
    services.placement_submit(placement=submitted, by=p.owner)
    draft = make_placement(p.company, p.owner, title="Stage bediening (MBO 2)")
    assert services.placements_expire(today=on(1, 1, 3)) == 0
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == (Status.SUBMITTED, Status.DRAFT)
    assert not PlacementEvent.objects.filter(action="expired").exists()


def test_saving_an_unchanged_published_placement_keeps_it_published(published, personas):
    before = PlacementEvent.objects.filter(placement=published).count()
    services.placement_update(
        placement=published,
        by=personas.owner,
        programmes=list(published.programmes.all()),
        title=published.title,
        hours_per_week=published.hours_per_week,
    )
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert set(published.targets.values_list("decision", flat=True)) == {ProgrammeDecision.APPROVED}
    assert PlacementEvent.objects.filter(placement=published).count() == before
    # A real change still goes back to the school (W18).
    services.placement_update(placement=published, by=personas.owner, hours_per_week=30)
    published.refresh_from_db()
    assert published.status == Status.SUBMITTED
