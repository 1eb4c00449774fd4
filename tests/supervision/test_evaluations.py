"""Evaluations (W1, W18): planned when the internship is confirmed, criteria from the learning
outcomes the signed agreement names, the workplace assesses, the student assesses themselves,
the school decides; each sees the other's part once both are in; reminders 3 days and 24 hours
before with the clock frozen; the final decision completes the internship."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from stagebrug.agreements.models import Version
from stagebrug.applications.models import Notification
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Status
from stagebrug.supervision.evaluations import services
from stagebrug.supervision.models import EarlyWarning, Evaluation
from stagebrug.supervision.progress import rules
from stagebrug.supervision.progress import services as progress
from tests.supervision.test_attendance import at, in_english  # noqa: F401

pytestmark = pytest.mark.django_db


def scores(evaluation, value="sufficient") -> dict[str, str]:
    return {c["key"]: value for c in evaluation.criteria}


def get(running, kind="midterm") -> Evaluation:
    return Evaluation.objects.select_related("internship").get(internship=running, kind=kind)


def assess_both(running, personas, kind="midterm"):
    evaluation = get(running, kind)
    services.evaluation_assess(
        evaluation=evaluation, by=personas.supervisor, scores=scores(evaluation), comment="Goed"
    )
    services.evaluation_self_assess(
        evaluation=get(running, kind),
        by=personas.student,
        scores=scores(evaluation, "good"),
        comment="Leuk",
    )
    return get(running, kind)


def test_a_confirmed_internship_gets_a_mid_term_and_a_final_evaluation(internship):
    midterm, final = (get(internship, k) for k in ("midterm", "final"))
    assert midterm.due_on == rules.midpoint(internship.start_date, internship.end_date)
    assert final.due_on == internship.end_date
    assert midterm.criteria and midterm.criteria == final.criteria


def test_signing_ties_the_criteria_to_the_signed_goals_learning_outcomes(running):
    content = Version.objects.get(agreement__internship=running, state="signed").content
    data = content["goals"]["data"]
    outcomes = []
    for i in range(1, 7):
        if data.get(f"outcome_{i}") and data[f"outcome_{i}"] not in outcomes:
            outcomes.append(data[f"outcome_{i}"])
    assert outcomes, "the test agreement ties its goals to learning outcomes"
    assert [c["text"] for c in get(running).criteria] == outcomes


def test_criteria_fall_back_to_the_programme_then_to_general_ones():
    assert [c["text"] for c in services.criteria_from(content=None, learning_outcomes=["A"])] == [
        "A"
    ]
    general = services.criteria_from(content=None, learning_outcomes=[])
    assert len(general) == len(services.GENERAL_CRITERIA)
    assert [c["key"] for c in general] == ["c1", "c2", "c3"]


def test_each_part_is_its_own_partys(running, personas):
    evaluation = get(running)
    for who in ("student", "teacher", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.evaluation_assess(
                evaluation=evaluation, by=getattr(personas, who), scores={}, comment="x"
            )
    for who in ("supervisor", "owner", "teacher"):
        with pytest.raises(PermissionDenied):
            services.evaluation_self_assess(
                evaluation=evaluation, by=getattr(personas, who), scores={}, comment="x"
            )
    for who in ("supervisor", "owner", "student"):
        with pytest.raises(PermissionDenied):
            services.evaluation_decide(
                evaluation=evaluation, by=getattr(personas, who), decision="on_track", comment="x"
            )


def test_every_criterion_needs_a_score_and_the_comment_is_required(running, personas):
    evaluation = get(running)
    with pytest.raises(ValidationError) as caught:
        services.evaluation_assess(
            evaluation=evaluation, by=personas.supervisor, scores={"c1": "great"}, comment=" "
        )
    assert set(caught.value.error_dict) == {c["key"] for c in evaluation.criteria} | {"comment"}
    assert get(running).workplace_at is None


def test_each_sees_the_others_part_only_once_both_are_in(running, personas):
    evaluation = get(running)
    services.evaluation_assess(
        evaluation=evaluation, by=personas.supervisor, scores=scores(evaluation), comment="Goed"
    )
    evaluation = get(running)
    student_roles = can.roles(personas.student, running)
    workplace_roles = can.roles(personas.supervisor, running)
    school_roles = can.roles(personas.teacher, running)
    assert services.sees_parts(evaluation, student_roles) == (False, True)
    assert services.sees_parts(evaluation, workplace_roles) == (True, False)
    assert services.sees_parts(evaluation, school_roles) == (True, True)
    evaluation = assess_both(running, personas)
    assert services.sees_parts(evaluation, student_roles) == (True, True)
    assert services.sees_parts(evaluation, workplace_roles) == (True, True)


def test_the_school_decides_after_the_workplace_and_the_student(running, personas):
    evaluation = get(running)
    with pytest.raises(ValidationError) as caught:
        services.evaluation_decide(
            evaluation=evaluation, by=personas.teacher, decision="on_track", comment="Prima"
        )
    assert caught.value.messages == [str(services.WORKPLACE_FIRST)]
    services.evaluation_assess(
        evaluation=evaluation, by=personas.supervisor, scores=scores(evaluation), comment="Goed"
    )
    before_due = evaluation.due_on - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.evaluation_decide(
            evaluation=get(running),
            by=personas.teacher,
            decision="on_track",
            comment="Prima",
            today=before_due,
        )
    # After the due date the school may decide without the student's own part.
    done = services.evaluation_decide(
        evaluation=get(running),
        by=personas.teacher,
        decision="attention",
        comment="Let op de tijd",
        today=evaluation.due_on + dt.timedelta(days=1),
    )
    assert done.decision == "attention" and done.decided_by == personas.teacher
    with pytest.raises(ValidationError) as caught:
        services.evaluation_assess(
            evaluation=get(running), by=personas.supervisor, scores=scores(done), comment="x"
        )
    assert caught.value.messages == [str(services.DECIDED)]
    assert Notification.objects.filter(user=personas.student, kind="evaluation.decided").exists()


def test_a_mid_term_decision_must_be_a_mid_term_one(running, personas):
    evaluation = assess_both(running, personas)
    with pytest.raises(ValidationError) as caught:
        services.evaluation_decide(
            evaluation=evaluation, by=personas.teacher, decision="passed", comment="x"
        )
    assert "decision" in caught.value.error_dict


def test_the_final_decision_completes_the_internship(running, personas):
    with pytest.raises(ValidationError) as caught:
        final = assess_both(running, personas, "final")
        services.evaluation_decide(
            evaluation=final, by=personas.teacher, decision="passed", comment="Geslaagd"
        )
    assert caught.value.messages == [str(services.MIDTERM_FIRST)]
    services.evaluation_decide(
        evaluation=assess_both(running, personas),
        by=personas.teacher,
        decision="on_track",
        comment="Op koers",
    )
    services.evaluation_decide(
        evaluation=get(running, "final"), by=personas.teacher, decision="passed", comment="Ja"
    )
    running.refresh_from_db()
    assert running.status == Status.COMPLETED


def test_a_mid_term_at_risk_raises_a_warning_in_the_next_review(running, personas):
    evaluation = assess_both(running, personas)
    services.evaluation_decide(
        evaluation=evaluation, by=personas.teacher, decision="at_risk", comment="Zorgen"
    )
    with time_machine.travel(at(evaluation.due_on + dt.timedelta(days=1), "06:30")):
        progress.warnings_review()
    warning = EarlyWarning.objects.get(internship=running, kind="goals")
    assert rules.reason_of(warning.kind, warning.detail) == str(rules.MIDTERM_AT_RISK)


def test_reminders_go_three_days_and_a_day_before_to_who_has_not_done_their_part(running, personas):
    due = get(running).due_on
    with time_machine.travel(at(due - dt.timedelta(days=4), "06:30")):
        assert services.evaluations_remind() == 0
    with time_machine.travel(at(due - dt.timedelta(days=3), "06:30")):
        assert services.evaluations_remind() == 1
        assert services.evaluations_remind() == 0
    people = set(
        Notification.objects.filter(kind="evaluation.reminder").values_list("user", flat=True)
    )
    assert people == {personas.supervisor.pk, personas.student.pk, personas.teacher.pk}
    services.evaluation_assess(
        evaluation=get(running), by=personas.supervisor, scores=scores(get(running)), comment="x"
    )
    Notification.objects.all().delete()
    with time_machine.travel(at(due - dt.timedelta(days=2), "06:30")):
        assert services.evaluations_remind() == 0
    with time_machine.travel(at(due - dt.timedelta(days=1), "06:30")):
        assert services.evaluations_remind() == 1
    people = set(
        Notification.objects.filter(kind="evaluation.reminder").values_list("user", flat=True)
    )
    assert people == {personas.student.pk, personas.teacher.pk}
    assert get(running).reminded == ["1d", "3d"]


def test_a_first_run_on_the_last_day_sends_one_reminder(running, personas):
    due = get(running).due_on
    with time_machine.travel(at(due - dt.timedelta(days=1), "06:30")):
        assert services.evaluations_remind() == 1
        assert services.evaluations_remind() == 0


def test_erasing_the_student_keeps_scores_and_drops_comments(running, personas):
    from stagebrug.accounts.services import user_erase

    assess_both(running, personas)
    user_erase(user=personas.student)
    evaluation = get(running)
    assert evaluation.workplace_scores and evaluation.student_scores
    assert (evaluation.workplace_comment, evaluation.student_comment) == ("", "")


def test_once_both_parts_are_in_neither_changes(running, personas):
    evaluation = assess_both(running, personas)
    for service, who in (
        (services.evaluation_assess, personas.supervisor),
        (services.evaluation_self_assess, personas.student),
    ):
        with pytest.raises(ValidationError) as caught:
            service(evaluation=get(running), by=who, scores=scores(evaluation, "good"), comment="x")
        assert caught.value.messages == [str(services.BOTH_IN)]
    assert get(running).student_scores == scores(evaluation, "good")
    assert get(running).workplace_scores == scores(evaluation)
