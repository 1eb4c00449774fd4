"""Matching-round services: who may act, what is refused (with the message, nothing written),
the run job, the statistics on a known instance, publishing, explanations and follow-ups."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation

from stagebrug.applications.models import Notification
from stagebrug.core.geo import haversine_km
from stagebrug.internships.models import Internship
from stagebrug.matching import adapter, services
from stagebrug.matching import messages as m
from stagebrug.matching.explanations import placements_for, word
from stagebrug.matching.models import (
    CandidateRank,
    RoundResult,
    RoundRun,
    RoundSeat,
    RoundStatus,
    RoundStudent,
    RunStatus,
    SeatRanking,
    StudentChoice,
)
from stagebrug.placements.models import Status
from tests.factories import confirm_internship
from tests.matching.conftest import make_student, open_round, soon
from tests.placements.factories import communicatie_programme

pytestmark = pytest.mark.django_db


def message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def run_now(round, by, mode: str = "stable") -> RoundRun:
    """Queue a run and do it, as the worker would."""
    run = services.round_run(round=round, by=by, mode=mode)
    services.round_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def seat(round, placement) -> RoundSeat:
    return RoundSeat.objects.select_related("placement__company", "round").get(
        round=round, placement=placement
    )


# --------------------------------------------------------------------------------------------
# Creating a round


def test_a_round_takes_the_programmes_students_and_the_approved_placements_with_room(world):
    other = make_student("Olaf Other", "1011", communicatie_programme())
    already = world.students[4]
    confirm_internship(student=already, placement=world.a2)
    round = services.round_create(
        programme=world.programme,
        by=world.personas.coordinator,
        name="Kok ronde 1",
        deadline=soon(),
    )
    students = set(round.students.values_list("student_id", flat=True))
    assert students == {s.pk for s in world.students[:4]}
    assert other.pk not in students and world.personas.student.pk not in students
    capacity = dict(round.seats.values_list("placement_id", "capacity"))
    # X waits for the school, so it is not offered (C2); A2 has one position left of two.
    assert capacity == {world.a1.pk: 1, world.a2.pk: 1, world.b1.pk: 1}
    assert round.status == RoundStatus.DRAFT
    assert set(round.seats.values_list("ranking", flat=True)) == {SeatRanking.FIT}


def test_a_round_can_be_limited_to_one_study_year(world):
    make_student("Yara Year", "1011", world.programme, year=3)
    round = services.round_create(
        programme=world.programme,
        by=world.personas.coordinator,
        name="Jaar 3",
        deadline=soon(),
        year=3,
    )
    assert list(round.students.values_list("student__full_name", flat=True)) == ["Yara Year"]


@pytest.mark.parametrize("who", ["other_coordinator", "teacher", "owner", "student"])
def test_only_the_programmes_coordinators_create_rounds(world, who):
    with pytest.raises(PermissionDenied):
        services.round_create(
            programme=world.programme,
            by=getattr(world.personas, who),
            name="x",
            deadline=soon(),
        )


def test_a_deadline_in_the_past_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            programme=world.programme,
            by=world.personas.coordinator,
            name="x",
            deadline=timezone.now() - dt.timedelta(hours=1),
        )
    assert exc.value.message_dict["deadline"] == [str(m.DEADLINE_IN_PAST)]


def test_a_programme_without_students_gets_no_round(world):
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            programme=world.programme,
            by=world.personas.coordinator,
            name="x",
            deadline=soon(),
            year=6,
        )
    assert str(m.NO_STUDENTS) in exc.value.message_dict["programme"]


def test_a_cohort_is_told_by_the_worker_and_only_after_the_change_is_kept(world, settings):
    """With the database queue, opening a round queues one job inside the same transaction:
    a refused change leaves no job behind, and nobody hears anything before the worker runs."""
    from django.core.signals import setting_changed
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    round = services.round_create(
        programme=world.programme, by=world.personas.coordinator, name="x", deadline=soon()
    )

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        services.round_open(round=round, by=world.personas.coordinator)
        raise Refused
    assert not DBTaskResult.objects.exists()
    round.refresh_from_db()
    assert round.status == RoundStatus.DRAFT
    services.round_open(round=round, by=world.personas.coordinator)
    assert DBTaskResult.objects.count() == 1
    assert not Notification.objects.filter(kind="round.rank").exists()
    job = DBTaskResult.objects.get()
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run_task(job)  # what `manage.py db_worker` does with each job
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL", job.traceback
    assert Notification.objects.filter(kind="round.rank").count() == len(world.students)


def test_opening_asks_students_and_businesses_to_act(world, django_capture_on_commit_callbacks):
    round = services.round_create(
        programme=world.programme, by=world.personas.coordinator, name="x", deadline=soon()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(round=round, by=world.personas.coordinator)
    for student in world.students:
        note = Notification.objects.get(user=student, kind="round.rank")
        assert note.url == f"/student/rondes/{round.pk}/"
    business = Notification.objects.filter(user=world.personas.owner, kind="round.candidates")
    assert {n.url for n in business} == {
        f"/stageplaatsen/{world.a1.pk}/rondes/{round.pk}/",
        f"/stageplaatsen/{world.a2.pk}/rondes/{round.pk}/",
    }
    assert Notification.objects.filter(user=world.personas.outsider).count() == 1
    assert len(mail.outbox) == len(world.students) + 2 * 2 + 1  # A: owner + member, 2 seats
    with pytest.raises(ValidationError):
        services.round_open(round=round, by=world.personas.coordinator)


# --------------------------------------------------------------------------------------------
# Students rank


def test_a_student_ranks_and_can_change_the_ranking(world, round_open):
    anna = world.students[0]
    services.round_submit_choices(
        round=round_open, student=anna, placement_ids=[world.a1.pk, world.b1.pk]
    )
    services.round_submit_choices(round=round_open, student=anna, placement_ids=[world.a2.pk])
    assert list(
        StudentChoice.objects.filter(round=round_open, student=anna).values_list(
            "placement_id", "rank"
        )
    ) == [(world.a2.pk, 1)]
    assert RoundStudent.objects.get(round=round_open, student=anna).submitted_at is not None


def _refused(round, student, ids) -> str:
    before = list(StudentChoice.objects.filter(round=round).values_list("pk", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.round_submit_choices(round=round, student=student, placement_ids=ids)
    assert list(StudentChoice.objects.filter(round=round).values_list("pk", flat=True)) == before
    return message(exc.value)


def test_ranking_a_placement_twice_is_refused_by_name_and_nothing_written(world, round_open):
    anna = world.students[0]
    services.round_submit_choices(round=round_open, student=anna, placement_ids=[world.b1.pk])
    text = _refused(round_open, anna, [world.a1.pk, world.b1.pk, world.a1.pk])
    assert text == str(m.CHOSEN_TWICE) % {"placement": world.a1.title}
    assert "Stage keuken A1" in text


def test_ranking_a_placement_the_round_does_not_offer_is_refused_by_name(world, round_open):
    text = _refused(round_open, world.students[0], [world.a1.pk, world.x.pk])
    assert text == str(m.NOT_IN_ROUND) % {"placement": world.x.title}
    assert _refused(round_open, world.students[0], [999999]) == str(m.UNKNOWN_PLACEMENT) % {
        "id": 999999
    }


def test_too_many_choices_are_refused(world):
    round = open_round(world, max_choices=2)
    text = _refused(round, world.students[0], [world.a1.pk, world.a2.pk, world.b1.pk])
    assert text == str(m.TOO_MANY_CHOICES) % {"max": 2, "count": 3}


def test_every_problem_is_named_at_once(world):
    round = open_round(world, max_choices=2)
    with pytest.raises(ValidationError) as exc:
        services.round_submit_choices(
            round=round,
            student=world.students[0],
            placement_ids=[world.a1.pk, world.a1.pk, world.x.pk],
        )
    assert len(exc.value.message_dict["placements"]) == 3


def test_ranking_after_the_deadline_is_refused_and_nothing_written(world, round_open):
    anna = world.students[0]
    services.round_submit_choices(round=round_open, student=anna, placement_ids=[world.b1.pk])
    with time_machine.travel(round_open.deadline + dt.timedelta(minutes=1)):
        text = _refused(round_open, anna, [world.a1.pk])
    assert text == str(m.DEADLINE_PASSED) % {
        "deadline": services._deadline_text(round_open.deadline)
    }
    assert list(
        StudentChoice.objects.filter(student=anna).values_list("placement_id", flat=True)
    ) == [world.b1.pk]


def test_ranking_in_a_closed_or_draft_round_is_refused(world, round_open):
    services.round_close(round=round_open, by=world.personas.coordinator)
    assert _refused(round_open, world.students[0], [world.a1.pk]) == str(m.ROUND_NOT_OPEN)
    draft = services.round_create(
        programme=world.programme, by=world.personas.coordinator, name="draft", deadline=soon()
    )
    assert _refused(draft, world.students[0], [world.a1.pk]) == str(m.ROUND_NOT_OPEN)


def test_students_rank_only_in_their_own_round(world, round_open):
    for outsider in (world.personas.student, world.personas.coordinator, world.personas.owner):
        with pytest.raises(PermissionDenied):
            services.round_submit_choices(
                round=round_open, student=outsider, placement_ids=[world.a1.pk]
            )
    assert not StudentChoice.objects.exists()


# --------------------------------------------------------------------------------------------
# Businesses rank


def test_a_business_ranks_its_candidates(world, round_open):
    anna, bram = world.students[:2]
    for s in (anna, bram):
        services.round_submit_choices(round=round_open, student=s, placement_ids=[world.a1.pk])
    services.round_set_seat_ranking(
        seat=seat(round_open, world.a1),
        by=world.personas.member,
        ranking=SeatRanking.RANK,
        student_ids=[bram.pk, anna.pk],
    )
    assert list(
        CandidateRank.objects.filter(round=round_open).values_list("student_id", "rank")
    ) == [(bram.pk, 1), (anna.pk, 2)]
    services.round_set_seat_ranking(
        seat=seat(round_open, world.a1), by=world.personas.owner, ranking=SeatRanking.ACCEPT_ALL
    )
    assert not CandidateRank.objects.exists()
    assert seat(round_open, world.a1).ranking == SeatRanking.ACCEPT_ALL


@pytest.mark.parametrize("who", ["outsider", "supervisor", "other_coordinator", "student"])
def test_a_business_acts_only_on_its_own_seats(world, round_open, who):
    with pytest.raises(PermissionDenied):
        services.round_set_seat_ranking(
            seat=seat(round_open, world.a1),
            by=getattr(world.personas, who),
            ranking=SeatRanking.ACCEPT_ALL,
        )
    assert seat(round_open, world.a1).ranking == SeatRanking.FIT


def test_the_rounds_school_may_send_a_businesss_ranking_for_it(world, round_open):
    """Schools' systems send the businesses' rankings through the API (C5)."""
    services.round_set_seat_ranking(
        seat=seat(round_open, world.a1), by=world.personas.coordinator, ranking="accept_all"
    )
    assert seat(round_open, world.a1).ranking == SeatRanking.ACCEPT_ALL


def test_a_business_ranking_is_refused_when_it_names_a_non_candidate_or_someone_twice(
    world, round_open
):
    anna, bram = world.students[:2]
    services.round_submit_choices(round=round_open, student=anna, placement_ids=[world.a1.pk])
    a1 = seat(round_open, world.a1)
    cases = [
        ([bram.pk], str(m.RANK_NOT_CANDIDATE)),
        ([anna.pk, anna.pk], str(m.RANKED_TWICE) % {"name": anna.full_name}),
        ([], str(m.RANK_NEEDS_CANDIDATES)),
    ]
    for ids, expected in cases:
        with pytest.raises(ValidationError) as exc:
            services.round_set_seat_ranking(
                seat=a1, by=world.personas.owner, ranking=SeatRanking.RANK, student_ids=ids
            )
        assert message(exc.value) == expected
    with pytest.raises(ValidationError):
        services.round_set_seat_ranking(seat=a1, by=world.personas.owner, ranking="whim")
    assert not CandidateRank.objects.exists()
    assert seat(round_open, world.a1).ranking == SeatRanking.FIT


def test_a_business_cannot_act_after_the_deadline(world, round_open):
    a1 = seat(round_open, world.a1)
    with (
        time_machine.travel(round_open.deadline + dt.timedelta(seconds=1)),
        pytest.raises(ValidationError) as exc,
    ):
        services.round_set_seat_ranking(
            seat=a1, by=world.personas.owner, ranking=SeatRanking.ACCEPT_ALL
        )
    assert message(exc.value) == str(m.BUSINESS_DEADLINE_PASSED) % {
        "deadline": services._deadline_text(round_open.deadline)
    }
    assert seat(round_open, world.a1).ranking == SeatRanking.FIT


# --------------------------------------------------------------------------------------------
# The known instance: every outcome and every number is fixed


@pytest.fixture
def known(world, round_open, monkeypatch):
    """Anna [A1, A2], Bram [A1, A2], Chen [B1], Dewi [] and Emre [A1].

    A1 (1 seat) is ranked by the business: Bram, Anna, Emre. A2 (2 seats) welcomes everyone
    (lottery). B1 lets the fit score rank, and the fit score finds Chen not
    suitable. Outcome: Bram A1 (1st), Anna A2 (2nd), Emre unplaced (A1 full), Chen unplaced
    (no chosen placement could take him), Dewi ranked nothing.
    """
    anna, bram, chen, _dewi, emre = world.students
    w = world
    for student, ids in (
        (anna, [w.a1.pk, w.a2.pk]),
        (bram, [w.a1.pk, w.a2.pk]),
        (chen, [w.b1.pk]),
        (emre, [w.a1.pk]),
    ):
        services.round_submit_choices(round=round_open, student=student, placement_ids=ids)
    services.round_set_seat_ranking(
        seat=seat(round_open, w.a1),
        by=w.personas.owner,
        ranking=SeatRanking.RANK,
        student_ids=[bram.pk, anna.pk, emre.pk],
    )
    services.round_set_seat_ranking(
        seat=seat(round_open, w.a2), by=w.personas.owner, ranking=SeatRanking.ACCEPT_ALL
    )
    monkeypatch.setattr(adapter, "rank_students_for_placements", lambda placements, ids: {})
    services.round_close(round=round_open, by=w.personas.coordinator)
    return round_open


def test_the_run_writes_its_progress_and_the_statistics_of_the_known_instance(world, known):
    run = run_now(known, world.personas.coordinator)
    assert (run.status, run.progress, run.message) == (RunStatus.DONE, 100, services.PROGRESS_DONE)
    anna, bram, chen, dewi, emre = world.students
    assert run.assignment == {str(bram.pk): world.a1.pk, str(anna.pk): world.a2.pk}
    stats = run.stats
    assert stats["students"] == 5
    assert (stats["placed"], stats["placed_share"], stats["unplaced"]) == (2, 40.0, 3)
    assert stats["by_choice"] == {"1": 1, "2": 1}
    assert stats["unplaced_why"] == {"ranked_nothing": 1, "all_full": 1, "no_eligible": 1}
    assert stats["ranked_by"] == {"business": 1, "lottery": 1, "fit": 1}
    assert (stats["seats"], stats["seats_free_after"]) == (4, 2)
    homes = {s.pk: s.student_profile.home_pc4 for s in (anna, bram)}
    km = [
        haversine_km(
            (homes[bram.pk].latitude, homes[bram.pk].longitude),
            (world.a1.latitude, world.a1.longitude),
        ),
        haversine_km(
            (homes[anna.pk].latitude, homes[anna.pk].longitude),
            (world.a2.latitude, world.a2.longitude),
        ),
    ]
    assert stats["travel_km"]["mean"] == round(statistics.fmean(km), 1)
    assert stats["travel_km"]["median"] == round(statistics.median(km), 1)
    assert stats["verified"] is True and stats["blocking_pairs"] == 0
    exp = run.explanations
    assert exp[str(anna.pk)]["reasons"] == [
        {"choice": 1, "placement": world.a1.pk, "code": "full", "seats": 1, "ranked_by": "business"}
    ]
    assert exp[str(chen.pk)]["why"] == "no_eligible"
    assert exp[str(chen.pk)]["reasons"][0]["code"] == "not_ranked"
    assert exp[str(emre.pk)]["why"] == "all_full"
    assert exp[str(dewi.pk)]["why"] == "ranked_nothing"


def test_a_run_claims_itself_so_it_runs_once(world, known):
    run = services.round_run(round=known, by=world.personas.coordinator)
    assert services.round_run_execute(run_id=run.pk).status == RunStatus.DONE
    assert services.round_run_execute(run_id=run.pk) is None
    other = RoundRun.objects.create(round=known, status=RunStatus.RUNNING)
    assert services.round_run_execute(run_id=other.pk) is None
    assert RoundRun.objects.get(pk=other.pk).progress == 0


def test_only_one_run_at_a_time_and_reruns_are_allowed_until_publishing(world, known):
    services.round_run(round=known, by=world.personas.coordinator)
    with pytest.raises(ValidationError) as exc:
        services.round_run(round=known, by=world.personas.coordinator)
    assert message(exc.value) == str(m.RUN_BUSY)
    for run in RoundRun.objects.filter(round=known):
        services.round_run_execute(run_id=run.pk)
    second = run_now(known, world.personas.coordinator, mode="welfare")
    assert second.status == RunStatus.DONE and second.stats["mode"] == "welfare"


def test_a_failed_run_is_recorded_with_a_plain_message(world, known, monkeypatch):
    def boom(round, progress):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "build_input", boom)
    run = run_now(known, world.personas.coordinator)
    assert run.status == RunStatus.FAILED
    assert run.message == str(m.RUN_FAILED)  # no internal details for the coordinator
    assert run.finished_at is not None
    monkeypatch.undo()
    assert run_now(known, world.personas.coordinator).status == RunStatus.DONE


def test_the_task_runs_the_job(world, known, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.round_run(round=known, by=world.personas.coordinator)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100


def test_an_open_round_runs_only_after_its_deadline_and_is_then_closed(world, round_open):
    with pytest.raises(ValidationError) as exc:
        services.round_run(round=round_open, by=world.personas.coordinator)
    assert message(exc.value) == str(m.NOT_CLOSED_YET)
    with time_machine.travel(round_open.deadline + dt.timedelta(minutes=5)):
        services.round_run(round=round_open, by=world.personas.coordinator)
    round_open.refresh_from_db()
    assert round_open.status == RoundStatus.CLOSED


@pytest.mark.parametrize("who", ["other_coordinator", "teacher", "owner", "student"])
def test_only_the_coordinators_run_close_and_publish(world, known, who):
    person = getattr(world.personas, who)
    for call in (
        lambda: services.round_run(round=known, by=person),
        lambda: services.round_close(round=known, by=person),
        lambda: services.round_publish(round=known, by=person),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not RoundRun.objects.exists()


# --------------------------------------------------------------------------------------------
# Publishing


def test_publishing_creates_internships_and_results_and_is_final(
    world, known, django_capture_on_commit_callbacks
):
    run = run_now(known, world.personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(round=known, by=world.personas.coordinator)
    known.refresh_from_db()
    assert known.status == RoundStatus.PUBLISHED
    assert (known.published_by, known.published_run) == (world.personas.coordinator, run)
    anna, bram, chen, dewi, emre = world.students
    internships = {
        (i.student_id, i.placement_id, i.source, i.round_id, i.supervisor_id)
        for i in Internship.objects.all()
    }
    # The placements name no buddy; Chef Bram's MBO 4 meets the school's "MBO 3 or higher".
    chef = world.personas.company.supervisors.get(name="Chef Bram")
    assert internships == {
        (bram.pk, world.a1.pk, "round", known.pk, chef.pk),
        (anna.pk, world.a2.pk, "round", known.pk, chef.pk),
    }
    results = {r.student_id: (r.placement_id, r.choice_rank) for r in RoundResult.objects.all()}
    assert results == {
        anna.pk: (world.a2.pk, 2),
        bram.pk: (world.a1.pk, 1),
        chen.pk: (None, None),
        dewi.pk: (None, None),
        emre.pk: (None, None),
    }
    world.a1.refresh_from_db()
    assert world.a1.status == Status.FILLED  # its only position is taken
    assert Notification.objects.filter(kind="round.placed").count() == 2
    assert Notification.objects.filter(kind="round.unplaced").count() == 3
    assert (
        Notification.objects.filter(user=world.personas.owner, kind="round.published").count() == 2
    )
    with pytest.raises(ValidationError) as exc:
        services.round_publish(round=known, by=world.personas.coordinator)
    assert message(exc.value) == str(m.ALREADY_PUBLISHED)
    with pytest.raises(ValidationError) as exc:
        services.round_run(round=known, by=world.personas.coordinator)
    assert message(exc.value) == str(m.ALREADY_PUBLISHED)
    assert Internship.objects.count() == 2


def test_publishing_needs_a_finished_run(world, known):
    with pytest.raises(ValidationError) as exc:
        services.round_publish(round=known, by=world.personas.coordinator)
    assert message(exc.value) == str(m.NO_RUN)
    failed = RoundRun.objects.create(round=known, status=RunStatus.FAILED)
    with pytest.raises(ValidationError) as exc:
        services.round_publish(round=known, by=world.personas.coordinator, run=failed)
    assert message(exc.value) == str(m.RUN_NOT_DONE)
    assert not Internship.objects.exists() and not RoundResult.objects.exists()


def test_publish_never_gives_more_internships_than_free_positions(world, known):
    run_now(known, world.personas.coordinator)
    # Meanwhile A1's last position went to an accepted offer on the open market.
    outsider = make_student("Fay Fast", "1011", world.programme)
    confirm_internship(student=outsider, placement=world.a1)
    with pytest.raises(ValidationError) as exc:
        services.round_publish(round=known, by=world.personas.coordinator)
    assert message(exc.value) == str(m.OVER_CAPACITY) % {
        "placement": world.a1.title,
        "free": 0,
        "placed": 1,
    }
    assert Internship.objects.count() == 1 and not RoundResult.objects.exists()
    known.refresh_from_db()
    assert known.status == RoundStatus.CLOSED
    # Run again: the run sees A1 is full now, and publishing fits.
    run_now(known, world.personas.coordinator)
    services.round_publish(round=known, by=world.personas.coordinator)
    for placement in (world.a1, world.a2, world.b1):
        assert Internship.objects.filter(placement=placement).count() <= placement.positions


def test_a_crowded_placement_never_gets_more_students_than_its_positions(world, round_open):
    for student in world.students:
        services.round_submit_choices(
            round=round_open, student=student, placement_ids=[world.a2.pk]
        )
    services.round_close(round=round_open, by=world.personas.coordinator)
    run = run_now(round_open, world.personas.coordinator)
    assert run.stats["placed"] == 2
    services.round_publish(round=round_open, by=world.personas.coordinator)
    assert Internship.objects.filter(placement=world.a2).count() == 2


def test_a_student_placed_elsewhere_meanwhile_is_not_placed_twice(world, known):
    run_now(known, world.personas.coordinator)
    bram = world.students[1]
    confirm_internship(student=bram, placement=world.b1)
    services.round_publish(round=known, by=world.personas.coordinator)
    assert list(Internship.objects.filter(student=bram).values_list("placement_id", flat=True)) == [
        world.b1.pk
    ]
    result = RoundResult.objects.get(student=bram)
    assert result.placement_id is None and result.explanation["already_placed"] is True


# --------------------------------------------------------------------------------------------
# Explanations


@pytest.mark.parametrize("language", ["nl", "en"])
def test_explanations_never_name_another_student(world, known, language):
    run_now(known, world.personas.coordinator)
    services.round_publish(round=known, by=world.personas.coordinator)
    results = list(RoundResult.objects.select_related("student"))
    placements = placements_for([r.explanation for r in results])
    with translation.override(language):
        for result in results:
            worded = word(result.explanation, placements)
            text = " ".join(
                [worded.summary, worded.next_step, *(line.text for line in worded.lines)]
            )
            stored = str(result.explanation)
            for other in world.students:
                if other.pk == result.student_id:
                    continue
                for secret in (other.full_name, other.email, other.full_name.split()[0]):
                    assert secret not in text and secret not in stored


def test_the_explanation_says_which_choice_and_why_not_higher(world, known):
    run_now(known, world.personas.coordinator)
    services.round_publish(round=known, by=world.personas.coordinator)
    anna = world.students[0]
    result = RoundResult.objects.get(student=anna)
    with translation.override("en"):
        worded = word(result.explanation, placements_for([result.explanation]))
    assert worded.summary.startswith("You got your 2nd choice: Stage lunchroom A2")
    assert worded.lines[0].placement == world.a1
    assert worded.lines[0].text == (
        "Its only seat went to a student the business ranked higher than you."
    )


# --------------------------------------------------------------------------------------------
# Follow-up round


def test_the_follow_up_round_takes_exactly_the_unplaced_students_and_the_free_seats(world, known):
    run_now(known, world.personas.coordinator)
    with pytest.raises(ValidationError) as exc:
        services.round_create_follow_up(round=known, by=world.personas.coordinator, deadline=soon())
    assert message(exc.value) == str(m.FOLLOW_UP_NEEDS_PUBLISHED)
    services.round_publish(round=known, by=world.personas.coordinator)
    follow_up = services.round_create_follow_up(
        round=known, by=world.personas.coordinator, deadline=soon()
    )
    _anna, _bram, chen, dewi, emre = world.students
    assert set(follow_up.students.values_list("student_id", flat=True)) == {
        chen.pk,
        dewi.pk,
        emre.pk,
    }
    # A1 is full; A2 has one of its two positions left; B1 is still free.
    assert dict(follow_up.seats.values_list("placement_id", "capacity")) == {
        world.a2.pk: 1,
        world.b1.pk: 1,
    }
    assert dict(follow_up.seats.values_list("placement_id", "ranking")) == {
        world.a2.pk: SeatRanking.ACCEPT_ALL,
        world.b1.pk: SeatRanking.FIT,
    }
    assert (follow_up.parent, follow_up.max_choices, follow_up.status) == (
        known,
        known.max_choices * 2,
        RoundStatus.DRAFT,
    )
    with pytest.raises(ValidationError) as exc:
        services.round_create_follow_up(round=known, by=world.personas.coordinator, deadline=soon())
    assert message(exc.value) == str(m.FOLLOW_UP_EXISTS)
    with pytest.raises(PermissionDenied):
        services.round_create_follow_up(
            round=known, by=world.personas.other_coordinator, deadline=soon()
        )


def test_the_follow_up_round_places_with_the_same_engine(world, known):
    run_now(known, world.personas.coordinator)
    services.round_publish(round=known, by=world.personas.coordinator)
    follow_up = services.round_create_follow_up(
        round=known, by=world.personas.coordinator, deadline=soon()
    )
    services.round_open(round=follow_up, by=world.personas.coordinator)
    emre = world.students[4]
    services.round_submit_choices(round=follow_up, student=emre, placement_ids=[world.a2.pk])
    services.round_close(round=follow_up, by=world.personas.coordinator)
    run = run_now(follow_up, world.personas.coordinator)
    services.round_publish(round=follow_up, by=world.personas.coordinator)
    assert run.assignment == {str(emre.pk): world.a2.pk}
    assert Internship.objects.filter(placement=world.a2).count() == 2


def test_no_follow_up_when_everyone_is_placed(world, round_open):
    for student, placement in zip(
        world.students, [world.a1, world.a2, world.a2, world.b1], strict=False
    ):
        services.round_submit_choices(
            round=round_open, student=student, placement_ids=[placement.pk]
        )
    RoundStudent.objects.filter(round=round_open, student=world.students[4]).delete()
    services.round_close(round=round_open, by=world.personas.coordinator)
    run_now(round_open, world.personas.coordinator)
    services.round_publish(round=round_open, by=world.personas.coordinator)
    with pytest.raises(ValidationError) as exc:
        services.round_create_follow_up(
            round=round_open, by=world.personas.coordinator, deadline=soon()
        )
    assert message(exc.value) == str(m.FOLLOW_UP_NOBODY)
