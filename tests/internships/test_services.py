"""The internship's services: one way in for accepted offers and published rounds, the parties'
changes, stopping on the record, and erasure that keeps the history without the person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import membership_grant, user_erase, user_export
from stagebrug.agreements import services as agreement_services
from stagebrug.applications import services as application_services
from stagebrug.applications.models import Application, ApplicationStatus, Notification
from stagebrug.core.models import AuditEvent
from stagebrug.internships import selectors, services
from stagebrug.internships.models import Internship, Status, StopReason
from stagebrug.matching import services as round_services
from stagebrug.matching.models import RoundResult
from stagebrug.placements.models import Status as PlacementStatus
from stagebrug.registry.models import EducationLevel, EducationSector
from tests.agreements.conftest import signed_by_everyone
from tests.dates import START, on
from tests.factories import SupervisorFactory, UserFactory, confirm_internship
from tests.internships.conftest import MOTIVATION, accept_offer
from tests.matching.conftest import make_student, publish, soon
from tests.placements.factories import communicatie_programme, kok_programme, make_placement

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --------------------------------------------------------------------------------------------
# Both ways in do the same


def _market(personas, tag: str):
    """A placement with one position that a student (`placed`) and two others applied to,
    and a second placement the placed student also applied to."""
    kok = kok_programme()
    wanted = publish(
        make_placement(personas.company, personas.owner, title=f"Stage keuken {tag}"),
        personas.coordinator,
    )
    other = publish(
        make_placement(personas.company, personas.owner, title=f"Stage lunchroom {tag}"),
        personas.coordinator,
    )
    placed = make_student(f"Placed {tag}", "1094", kok)
    rivals = [make_student(f"Rival{i} {tag}", "1011", kok) for i in (1, 2)]
    for student in (placed, *rivals):
        application_services.application_create(
            student=student, placement=wanted, motivation=MOTIVATION
        )
    application_services.application_create(student=placed, placement=other, motivation=MOTIVATION)
    return wanted, other, placed, rivals


def _outcome(wanted, other, placed, rivals) -> dict:
    """What happened, in terms that do not depend on names or ids."""
    wanted.refresh_from_db()
    internship = Internship.objects.get(student=placed)

    def answers(student, placement):
        application = Application.objects.get(student=student, placement=placement)
        last = application.events.order_by("-created_at", "-id").first()
        kinds = sorted(
            Notification.objects.filter(url=f"/sollicitaties/{application.pk}/")
            .exclude(kind="application.new")  # the business was told of each application
            .values_list("kind", flat=True)
        )
        return application.status, bool(last.reason), kinds

    return {
        "placement": (wanted.status, wanted.positions_taken),
        "internship": (internship.placement_id == wanted.pk, internship.status),
        "placed_elsewhere": answers(placed, other),
        "rivals": [answers(r, wanted) for r in rivals],
        "supervisor_told": bool(internship.supervisor_id),
    }


def test_publishing_a_round_answers_applications_exactly_as_an_accepted_offer_does(
    recognised, django_capture_on_commit_callbacks
):
    p = recognised
    # The open market: the business offers, the student accepts.
    market = _market(p, "markt")
    wanted, _other, placed, _rivals = market
    application = Application.objects.get(student=placed, placement=wanted)
    application_services.application_move(application=application, by=p.owner, to=S.OFFER)
    with django_capture_on_commit_callbacks(execute=True):
        application_services.offer_accept(application=application, by=placed)
    by_offer = _outcome(*market)

    # A matching round places another student at another such placement.
    market = _market(p, "ronde")
    wanted, _other, placed, _rivals = market
    round = round_services.round_create(
        programme=kok_programme(), by=p.coordinator, name="Kok ronde", deadline=soon()
    )
    round_services.round_open(round=round, by=p.coordinator, notify=False)
    round_services.round_submit_choices(round=round, student=placed, placement_ids=[wanted.pk])
    round_services.round_close(round=round, by=p.coordinator)
    run = round_services.round_run(round=round, by=p.coordinator)
    round_services.round_run_execute(run_id=run.pk)
    with django_capture_on_commit_callbacks(execute=True):
        round_services.round_publish(round=round, by=p.coordinator)
    assert RoundResult.objects.get(round=round, student=placed).placement_id == wanted.pk
    by_round = _outcome(*market)

    assert by_round == by_offer
    # And what that is: the place taken and the placement filled, the placed student's other
    # application withdrawn with a reason the business is told, both rivals answered.
    assert by_offer["placement"] == (PlacementStatus.FILLED, 1)
    # (owner and colleague are told of the withdrawal; the student of the answer)
    assert by_offer["placed_elsewhere"] == (S.WITHDRAWN, True, ["application.withdrawn"] * 2)
    assert by_offer["rivals"] == [(S.REJECTED, True, ["application.rejected"])] * 2


def test_a_new_internships_workplace_supervisor_is_told_once_it_is_committed(
    published, personas, kok_student, django_capture_on_commit_callbacks
):
    chef = published.buddy
    chef.user = personas.supervisor
    chef.save(update_fields=["user"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        internship = accept_offer(
            student=personas.student, placement=published, owner=personas.owner
        )
    assert not Notification.objects.filter(kind="internship.supervisor").exists()
    for callback in callbacks:
        callback()  # the commit
    note = Notification.objects.get(kind="internship.supervisor")
    assert note.user == personas.supervisor and note.url == internship.get_absolute_url()
    assert personas.student.full_name in note.title


# --------------------------------------------------------------------------------------------
# What a new internship holds


def test_the_supervisor_of_a_new_internship_is_the_one_whose_background_made_it_eligible(
    personas, reference_data
):
    """HBO (W17): a supervisor from the same field. The buddy studied something else, so the
    placement is eligible because of the marketing manager; she supervises, he stays buddy."""
    p = personas
    p.company.employee_count = 12
    p.company.save(update_fields=["employee_count"])
    comm = communicatie_programme()
    buddy = SupervisorFactory(
        company=p.company,
        by=p.owner,
        name="Kees Kok",
        education_level=EducationLevel.MBO_4,
        education_sector=EducationSector.TECHNIEK,
    )
    manager = SupervisorFactory(
        company=p.company,
        by=p.owner,
        name="Mira Marketing",
        education_level=EducationLevel.BACHELOR,
        education_sector=comm.sector,
    )
    placement = make_placement(
        p.company,
        p.owner,
        programmes=[comm],
        title="Marketingstage social media (HBO)",
        kind="hbo_placement",
        levels=[5],
        buddy=buddy,
        hours_per_week=36,
    )
    placement = publish(placement, p.other_coordinator)
    student = make_student("Hanna HBO", "1018", comm, year=3)
    internship = confirm_internship(student=student, placement=placement)
    assert (internship.supervisor, internship.buddy) == (manager, buddy)


def test_without_a_rule_on_the_supervisors_background_the_buddy_supervises(internship):
    # The ROC asks MBO 3 or higher and the buddy, Chef Bram, has MBO 4: the buddy it is.
    assert internship.supervisor == internship.placement.buddy == internship.buddy


def test_a_new_internship_has_the_placements_dates_hours_and_the_students_school(
    internship, personas
):
    placement = internship.placement
    assert internship.status == Status.CONFIRMED
    assert internship.start_date == START
    assert internship.end_date == START + dt.timedelta(weeks=placement.duration_weeks, days=-1)
    assert internship.weeks == placement.duration_weeks
    assert internship.hours_per_week == placement.hours_per_week
    assert (internship.programme, internship.institution) == (kok_programme(), personas.rocva)
    event = AuditEvent.objects.get(action="internship.confirmed", object_id=str(internship.pk))
    assert event.actor == personas.student and event.changes["placement"] == placement.pk


def test_a_student_with_a_current_internship_cannot_be_placed_again(internship, personas):
    second = publish(
        make_placement(personas.company, personas.owner, title="Stage avondkeuken"),
        personas.coordinator,
    )
    with pytest.raises(ValidationError) as exc:
        confirm_internship(student=personas.student, placement=second)
    assert message(exc.value) == str(services.ALREADY_PLACED)
    second.refresh_from_db()
    assert second.positions_taken == 0


def test_the_database_holds_one_current_internship_per_student(internship, personas):
    """Even a write that skips the service cannot give a student two current internships."""
    second = publish(
        make_placement(personas.company, personas.owner, title="Stage ontbijt"),
        personas.coordinator,
    )
    with pytest.raises(IntegrityError):
        Internship.objects.create(
            student=personas.student,
            placement=second,
            programme=internship.programme,
            institution=internship.institution,
            start_date=START,
            end_date=START,
            hours_per_week=32,
            source="application",
        )


def test_a_stopped_internship_frees_the_student_but_not_the_position(internship, personas):
    services.internship_stop(
        internship=internship,
        by=personas.coordinator,
        reason=StopReason.EXPECTATIONS,
        note="De taken waren anders dan afgesproken; we zoeken samen iets nieuws.",
        contact="all_three",
    )
    assert personas.student.pk not in {r["student_id"] for r in selectors.placed_students()}
    placement = internship.placement
    placement.refresh_from_db()
    assert placement.positions_taken == 1  # the internship happened; the seat stays counted
    second = publish(
        make_placement(personas.company, personas.owner, title="Stage bakkerij"),
        personas.coordinator,
    )
    again = confirm_internship(student=personas.student, placement=second)
    assert again.status == Status.CONFIRMED


def test_a_placement_cannot_have_fewer_positions_than_internships_took(internship, personas):
    from stagebrug.placements import messages as placement_messages
    from stagebrug.placements import services as placement_services

    other = make_student("Olga Other", "1094", kok_programme())
    confirm_internship(student=other, placement=internship.placement)
    placement = internship.placement
    placement.refresh_from_db()
    assert (placement.positions_taken, placement.status) == (2, PlacementStatus.FILLED)
    draft = make_placement(personas.company, personas.owner, title="Stage", positions=3)
    take = placement_services.placement_take_positions
    take(placement=draft, count=3, by=None)
    with pytest.raises(ValidationError) as exc:
        placement_services.placement_update(placement=draft, by=personas.owner, positions=2)
    assert exc.value.message_dict["positions"] == [
        str(placement_messages.POSITIONS_BELOW_TAKEN) % {"taken": 3}
    ]
    with pytest.raises(ValidationError) as exc:
        take(placement=draft, count=1, by=None)
    assert message(exc.value) == str(placement_messages.NO_PLACE_LEFT)


# --------------------------------------------------------------------------------------------
# The parties' changes


def test_the_business_names_supervisor_and_buddy_of_its_own_company_only(internship, personas):
    p = personas
    wim = SupervisorFactory(company=p.other_company, by=p.outsider, name="Chef Wim")
    with pytest.raises(ValidationError) as exc:
        services.internship_set_supervisors(
            internship=internship, by=p.owner, supervisor=wim, buddy=None
        )
    assert "supervisor" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.internship_set_supervisors(
            internship=internship, by=p.student, supervisor=None, buddy=None
        )
    lisa = SupervisorFactory(
        company=p.company, by=p.owner, name="Lisa Lunch", email="lisa@a.example"
    )
    lisa_user = UserFactory(email="lisa.account@a.example")
    lisa.user = lisa_user
    lisa.save(update_fields=["user"])
    changed = services.internship_set_supervisors(
        internship=internship, by=p.member, supervisor=lisa, buddy=internship.buddy
    )
    assert (changed.supervisor, changed.buddy.name) == (lisa, "Chef Bram")
    event = AuditEvent.objects.get(action="internship.supervisors", object_id=str(internship.pk))
    assert event.actor == p.member and event.changes["supervisor"][1] == lisa.pk
    # The new supervisor reads the support notes now; the old one no longer does.
    assert selectors.support_note_readers(student_id=p.student.pk) == {lisa_user.pk}


def test_the_school_assigns_one_of_its_own_staff_as_school_supervisor(internship, personas):
    p = personas
    foreign = UserFactory(email="docent@hva.example")
    membership_grant(user=foreign, role=Role.SCHOOL_SUPERVISOR, institution=p.hva)
    with pytest.raises(ValidationError):
        services.internship_assign_school_supervisor(
            internship=internship, by=p.coordinator, school_supervisor=foreign
        )
    with pytest.raises(PermissionDenied):
        services.internship_assign_school_supervisor(
            internship=internship, by=p.teacher, school_supervisor=p.teacher
        )
    with pytest.raises(PermissionDenied):
        services.internship_assign_school_supervisor(
            internship=internship, by=p.other_coordinator, school_supervisor=None
        )
    services.internship_assign_school_supervisor(
        internship=internship, by=p.coordinator, school_supervisor=p.teacher
    )
    internship.refresh_from_db()
    assert internship.school_supervisor == p.teacher
    told = Notification.objects.get(user=p.teacher, kind="internship.school_supervisor")
    assert told.url == internship.get_absolute_url()
    assert list(selectors.assigned_to(user=p.teacher)) == [internship]


def test_dates_in_the_wrong_order_and_hours_out_of_range_are_refused(internship, personas):
    with pytest.raises(ValidationError) as exc:
        services.internship_update(
            internship=internship,
            by=personas.coordinator,
            start_date=on(3, 1),
            end_date=on(2, 1),
            hours_per_week=32,
        )
    assert exc.value.message_dict["end_date"] == [str(services.END_BEFORE_START)]
    with pytest.raises(ValidationError) as exc:
        services.internship_update(
            internship=internship,
            by=personas.coordinator,
            start_date=on(3, 1),
            end_date=on(6, 30),
            hours_per_week=60,
        )
    assert "hours_per_week" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.internship_update(
            internship=internship,
            by=personas.owner,
            start_date=on(3, 1),
            end_date=on(6, 30),
            hours_per_week=24,
        )
    changed = services.internship_update(
        internship=internship,
        by=personas.coordinator,
        start_date=on(3, 1),
        end_date=on(6, 30),
        hours_per_week=24,
    )
    assert (changed.start_date, changed.end_date, changed.hours_per_week) == (
        on(3, 1),
        on(6, 30),
        24,
    )
    event = AuditEvent.objects.get(action="internship.updated", object_id=str(internship.pk))
    assert event.changes["hours_per_week"] == [32, 24]


def test_an_internship_starts_once_its_agreement_is_signed_and_on_its_start_date(
    internship, personas
):
    with pytest.raises(ValidationError) as exc:
        services.internship_start(internship=internship, by=personas.coordinator, today=START)
    assert message(exc.value) == str(agreement_services.NOT_SIGNED_YET)
    signed_by_everyone(internship, personas)
    with pytest.raises(ValidationError):
        services.internship_start(
            internship=internship, by=personas.coordinator, today=START - dt.timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        services.internship_complete(internship=internship, by=personas.coordinator)
    started = services.internship_start(internship=internship, by=personas.coordinator, today=START)
    assert started.status == Status.ACTIVE and started.started_at is not None
    done = services.internship_complete(internship=internship, by=personas.coordinator)
    assert done.status == Status.COMPLETED
    with pytest.raises(ValidationError) as exc:
        services.internship_set_supervisors(
            internship=internship, by=personas.owner, supervisor=None, buddy=None
        )
    assert message(exc.value) == str(services.NOT_OPEN) % {
        "status": str(Status.COMPLETED.label).lower()
    }


def test_stopping_needs_a_reason_from_the_list_and_what_happened(internship, personas):
    for reason, note, contact, field in (
        ("", "Het ging niet.", "all_three", "reason"),
        ("made_up", "Het ging niet.", "all_three", "reason"),
        (StopReason.SUPERVISION, "   ", "all_three", "note"),
        (StopReason.SUPERVISION, "x" * 2001, "all_three", "note"),
        # W18: after what contact is part of the record.
        (StopReason.SUPERVISION, "Het ging niet.", "", "contact"),
        (StopReason.SUPERVISION, "Het ging niet.", "telepathy", "contact"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.internship_stop(
                internship=internship,
                by=personas.owner,
                reason=reason,
                note=note,
                contact=contact,
            )
        assert field in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.internship_stop(
            internship=internship,
            by=personas.student,
            reason=StopReason.PERSONAL,
            note="Ik wil stoppen.",
            contact="none",
        )
    internship.refresh_from_db()
    assert internship.status == Status.CONFIRMED


def test_a_stop_is_kept_with_who_and_why_and_every_party_is_told(internship, personas):
    services.internship_assign_school_supervisor(
        internship=internship, by=personas.coordinator, school_supervisor=personas.teacher
    )
    stopped = services.internship_stop(
        internship=internship,
        by=personas.owner,
        reason=StopReason.BUSINESS,
        note="Ons restaurant sluit voor een verbouwing van drie maanden.",
        contact="student_business",
    )
    assert (stopped.status, stopped.stopped_by, stopped.stop_reason) == (
        Status.STOPPED,
        personas.owner,
        StopReason.BUSINESS,
    )
    told = set(
        Notification.objects.filter(kind="internship.stopped").values_list("user", flat=True)
    )
    assert told == {
        personas.student.pk,
        personas.supervisor.pk,
        personas.member.pk,
        personas.teacher.pk,
    }  # everyone but the owner who stopped it
    # The student hears what comes next; the others why it stopped.
    student_note = Notification.objects.get(kind="internship.stopped", user=personas.student)
    assert student_note.body == str(services.NEXT_STEP_FOR_STUDENT)
    owner_side = Notification.objects.get(kind="internship.stopped", user=personas.member)
    assert owner_side.body == str(StopReason.BUSINESS.label)


def test_the_timeline_lists_the_changes_in_order(internship, personas):
    signed_by_everyone(internship, personas)
    services.internship_assign_school_supervisor(
        internship=internship, by=personas.coordinator, school_supervisor=personas.teacher
    )
    services.internship_start(internship=internship, by=personas.coordinator, today=START)
    assert [e.action for e in selectors.timeline(internship=internship)] == [
        "internship.confirmed",
        "internship.school_supervisor",
        "internship.started",
    ]


# --------------------------------------------------------------------------------------------
# Erasure keeps the history without the person


def test_erasing_a_student_keeps_the_internship_anonymised_and_the_placement_filled(
    internship, personas
):
    placement = internship.placement
    other = make_student("Olga Other", "1094", kok_programme())
    confirm_internship(student=other, placement=placement)
    placement.refresh_from_db()
    assert (placement.status, placement.positions_taken) == (PlacementStatus.FILLED, 2)
    student_pk = personas.student.pk

    user_erase(user=personas.student)

    internship.refresh_from_db()
    assert internship.student_id is None and internship.student_erased_at is not None
    assert (internship.programme, internship.status) == (kok_programme(), Status.CONFIRMED)
    placement.refresh_from_db()
    assert (placement.status, placement.positions_taken) == (PlacementStatus.FILLED, 2)
    trail = AuditEvent.objects.filter(
        object_type="internships.internship", object_id=str(internship.pk)
    )
    assert {e.action for e in trail} >= {"internship.confirmed", "internship.anonymised"}
    assert all(e.object_repr == "" and e.changes == {} for e in trail)
    assert "Stan" not in str(internship)
    assert AuditEvent.objects.filter(action="user.erase", object_id=str(student_pk)).exists()
    # The student is no longer placed (there is no student), and the seat stays taken.
    assert selectors.support_note_readers(student_id=student_pk) == set()


def test_a_persons_export_lists_their_internship_and_the_changes_they_made(internship, personas):
    data = user_export(user=personas.student)
    assert data["internships"][0]["placement"] == internship.placement.title
    assert data["internships"][0]["status"] == "confirmed"
    actions = [c["action"] for c in data["changes_made"]]
    assert "application.applied" in actions and "internship.confirmed" in actions
    owner_actions = [c["action"] for c in user_export(user=personas.owner)["changes_made"]]
    assert "application.offer" in owner_actions and "placement.created" in owner_actions


def test_applications_and_placements_reach_the_central_audit_log(published, personas, kok_student):
    application = application_services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    application_services.application_move(
        application=application, by=personas.owner, to=S.REJECTED, reason="Vol deze periode."
    )
    event = AuditEvent.objects.get(action="application.rejected", object_id=str(application.pk))
    assert event.actor == personas.owner
    assert event.changes == {"status": ["applied", "rejected"], "reason": "Vol deze periode."}
    trail = AuditEvent.objects.filter(
        object_type="placements.placement", object_id=str(published.pk)
    )
    assert [e.action for e in trail.order_by("created_at", "id")][:4] == [
        "placement.created",
        "placement.submitted",
        "placement.approved",
        "placement.published",
    ]


def test_accepting_the_last_place_twice_gives_it_once(published, personas, kok_student):
    """Two positions, three offers: the third acceptance finds the placement full."""
    kok = kok_programme()
    first = accept_offer(student=personas.student, placement=published, owner=personas.owner)
    second_student = make_student("Sara Second", "1094", kok)
    accept_offer(student=second_student, placement=published, owner=personas.owner)
    third = make_student("Tim Third", "1094", kok)
    with pytest.raises(ValidationError):
        # The placement is filled: applying is refused already.
        accept_offer(student=third, placement=published, owner=personas.owner)
    published.refresh_from_db()
    assert (published.positions_taken, published.status) == (2, PlacementStatus.FILLED)
    assert first.placement == published


def test_erasing_a_stopped_students_account_keeps_the_reason_and_drops_the_note(
    internship, personas
):
    services.internship_stop(
        internship=internship,
        by=personas.coordinator,
        reason="personal",
        note="Stan is verhuisd naar Groningen.",
        contact="all_three",
    )
    user_erase(user=personas.student)
    internship.refresh_from_db()
    assert (internship.status, internship.stop_reason) == (Status.STOPPED, "personal")
    assert internship.stop_contact == "all_three"
    assert internship.stop_note == ""
