"""Evaluations (W1, W18): a mid-term and a final evaluation per internship, planned when it is
confirmed (mid-term halfway, final on the last day), with criteria from the programme's
learning outcomes (as the signed agreement ties them to its goals). The workplace supervisor
assesses, the student assesses themselves, the school supervisor reviews both and decides;
reminders go 3 days and 24 hours before each is due; the final decision completes the
internship.

Each assesses on their own: the workplace's and the student's parts are shown to each other
once both are in (or once the school decided). The school sees both as they come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagebrug.accounts.models import User
from stagebrug.accounts.services import speaking_to
from stagebrug.agreements.facts import MAX_GOALS
from stagebrug.applications.services import notify
from stagebrug.core.audit import audit_log
from stagebrug.internships import permissions as can
from stagebrug.internships import services as internship_services
from stagebrug.internships.models import Internship, Status
from stagebrug.supervision.models import Evaluation
from stagebrug.supervision.models.evaluations import FINAL_DECISIONS, MIDTERM_DECISIONS
from stagebrug.supervision.progress.rules import midpoint

COMMENT_MAX = 3000
#: Reminders before the due date: (code, days before).
REMIND = (("3d", 3), ("1d", 1))
#: Criteria when the programme lists no learning outcomes.
GENERAL_CRITERIA = (
    _("Professional attitude: on time, reliable, takes responsibility"),
    _("Skills of the trade: does the tasks of the placement at the expected level"),
    _("Working together and communicating with colleagues and customers"),
)

WORKPLACE_PARTS = {can.WORKPLACE_SUPERVISOR, can.BUSINESS}
SCHOOL_PARTS = {can.SCHOOL_SUPERVISOR, can.COORDINATOR}

NOT_RUNNING = _("Evaluations are filled in while the internship is under way.")
DECIDED = _("The school has decided on this evaluation; it no longer changes.")
SCORE_REQUIRED = _("Choose insufficient, sufficient or good.")
COMMENT_REQUIRED = _("Write a short explanation: what went well, and what must improve.")
COMMENT_TOO_LONG = _("Keep it under %(n)s characters.")
WORKPLACE_FIRST = _("The workplace supervisor's assessment comes first.")
STUDENT_MISSING = _(
    "The student has not assessed themselves yet. You can decide without it once the due date "
    "(%(date)s) has passed."
)
DECISION_REQUIRED = _("Choose a decision.")
BOTH_IN = _(
    "Both assessments are in and each has seen the other's, so they no longer change. Tell the "
    "school supervisor what you would add."
)
MIDTERM_FIRST = _("Decide on the mid-term evaluation first.")


# --------------------------------------------------------------------------------------------
# Planning


def criteria_from(*, content: dict | None, learning_outcomes: Sequence[str]) -> list[dict]:
    """The criteria: the learning outcomes the signed agreement's goals are tied to, else the
    programme's learning outcomes, else the agreement's goals, else general criteria."""
    texts: list[str] = []
    goals: list[str] = []
    data = ((content or {}).get("goals") or {}).get("data") or {}
    for i in range(1, MAX_GOALS + 1):
        outcome = str(data.get(f"outcome_{i}") or "").strip()
        if outcome and outcome not in texts:
            texts.append(outcome)
        if data.get(f"goal_{i}"):
            goals.append(str(data[f"goal_{i}"]))
    if not texts:
        texts = [str(o) for o in learning_outcomes if str(o).strip()]
    if not texts:
        texts = goals or [str(c) for c in GENERAL_CRITERIA]
    return [{"key": f"c{n}", "text": t[:500]} for n, t in enumerate(texts[:12], start=1)]


def _outcomes(internship: Internship) -> list[str]:
    requirements = getattr(internship.programme, "requirements", None)
    return list(requirements.learning_outcomes or []) if requirements else []


def evaluations_plan(*, internships: Sequence[Internship]) -> int:
    """`internships.hooks.internships_confirmed`: a mid-term (halfway) and a final evaluation
    (on the last day) for each new internship (one insert)."""
    rows = []
    for internship in internships:
        criteria = criteria_from(content=None, learning_outcomes=_outcomes(internship))
        rows += [
            Evaluation(
                internship=internship,
                kind=Evaluation.Kind.MIDTERM,
                due_on=midpoint(internship.start_date, internship.end_date),
                criteria=criteria,
            ),
            Evaluation(
                internship=internship,
                kind=Evaluation.Kind.FINAL,
                due_on=internship.end_date,
                criteria=criteria,
            ),
        ]
    Evaluation.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def evaluations_signed(*, agreement, version) -> int:
    """`agreements.hooks.agreement_signed`: the signed goals' learning outcomes become the
    criteria, and the signed period the due dates, of evaluations nobody has started."""
    internship = Internship.objects.select_related("programme__requirements").get(
        pk=agreement.internship_id
    )
    if not internship.evaluations.exists():
        evaluations_plan(internships=[internship])
    period = (version.content.get("period") or {}).get("data") or {}
    try:
        start = dt.date.fromisoformat(str(period.get("start_date")))
        end = dt.date.fromisoformat(str(period.get("end_date")))
    except ValueError:
        start, end = internship.start_date, internship.end_date
    criteria = criteria_from(content=version.content, learning_outcomes=_outcomes(internship))
    changed = 0
    for evaluation in internship.evaluations.all():
        if evaluation.started:
            continue
        evaluation.criteria = criteria
        evaluation.due_on = midpoint(start, end) if evaluation.kind == "midterm" else end
        evaluation.save(update_fields=["criteria", "due_on", "updated_at"])
        changed += 1
    return changed


def evaluations_redate(*, internship: Internship) -> int:
    """`internships.hooks.dates_changed`: evaluations nobody has started are due halfway and
    on the new last day."""
    changed = 0
    for evaluation in internship.evaluations.all():
        if evaluation.started:
            continue
        due = (
            midpoint(internship.start_date, internship.end_date)
            if evaluation.kind == Evaluation.Kind.MIDTERM
            else internship.end_date
        )
        if evaluation.due_on != due:
            evaluation.due_on = due
            evaluation.reminded = []
            evaluation.save(update_fields=["due_on", "reminded", "updated_at"])
            changed += 1
    return changed


# --------------------------------------------------------------------------------------------
# Who sees what


def sees_parts(evaluation: Evaluation, roles: frozenset[str]) -> tuple[bool, bool]:
    """(sees the workplace's part, sees the student's part) for someone with these roles."""
    both_in = bool(evaluation.workplace_at and evaluation.student_at) or evaluation.is_decided
    if roles & SCHOOL_PARTS:
        return True, True
    workplace_side = bool(roles & (WORKPLACE_PARTS | {can.BUDDY}))
    student_side = can.STUDENT in roles
    return (
        workplace_side or (student_side and both_in),
        student_side or (workplace_side and both_in),
    )


# --------------------------------------------------------------------------------------------
# The three parts


def _check_scores(evaluation: Evaluation, scores: dict[str, str], comment: str) -> dict:
    errors: dict[str, list] = {}
    for criterion in evaluation.criteria:
        if scores.get(criterion["key"]) not in Evaluation.Score.values:
            errors[criterion["key"]] = [SCORE_REQUIRED]
    comment = (comment or "").strip()
    if not comment:
        errors["comment"] = [COMMENT_REQUIRED]
    elif len(comment) > COMMENT_MAX:
        errors["comment"] = [ValidationError(COMMENT_TOO_LONG, params={"n": COMMENT_MAX})]
    return errors


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related(
            "internship__student",
            "internship__supervisor__user",
            "internship__school_supervisor",
            "internship__placement",
            "internship__institution",
            "internship__buddy",
        )
        .get(pk=evaluation.pk)
    )


def _require_open(evaluation: Evaluation) -> None:
    if evaluation.internship.status != Status.ACTIVE:
        raise ValidationError(NOT_RUNNING)
    if evaluation.is_decided:
        raise ValidationError(DECIDED)


def _only(evaluation: Evaluation, scores: dict[str, str]) -> dict[str, str]:
    return {c["key"]: scores[c["key"]] for c in evaluation.criteria if c["key"] in scores}


def _save_part(
    evaluation: Evaluation, *, by: User, part: str, scores: dict[str, str], comment: str
) -> Evaluation:
    """Save the workplace's or the student's part ("workplace", "student"); the school
    supervisor is told the first time."""
    errors = _check_scores(evaluation, scores, comment)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_open(locked)
        if locked.workplace_at and locked.student_at:
            # Each assessed on their own; once both are in, each has seen the other's.
            raise ValidationError(BOTH_IN)
        first = getattr(locked, f"{part}_at") is None
        setattr(locked, f"{part}_scores", _only(locked, scores))
        setattr(locked, f"{part}_comment", comment.strip())
        setattr(locked, f"{part}_at", timezone.now())
        if part == "workplace":
            locked.workplace_by = by
            locked.workplace_by_name = by.full_name
        locked.save()
        audit_log(
            actor=by,
            action=PART_ACTIONS[part],
            obj=locked,
            changes={"kind": locked.kind, "scores": getattr(locked, f"{part}_scores")},
        )
        if first:
            _tell_school(locked, PART_TOLD[part])
    return locked


PART_ACTIONS = {"workplace": "evaluation.assessed", "student": "evaluation.self_assessed"}
PART_TOLD = {
    "workplace": _("%(name)s: the workplace filled in the %(evaluation)s"),
    "student": _("%(name)s filled in their own %(evaluation)s"),
}


def evaluation_assess(
    *, evaluation: Evaluation, by: User, scores: dict[str, str], comment: str
) -> Evaluation:
    """The workplace supervisor's assessment (saved again until the school decides)."""
    if not can.roles(by, evaluation.internship) & WORKPLACE_PARTS:
        raise PermissionDenied
    return _save_part(evaluation, by=by, part="workplace", scores=scores, comment=comment)


def evaluation_self_assess(
    *, evaluation: Evaluation, by: User, scores: dict[str, str], comment: str
) -> Evaluation:
    """The student's own assessment on the same criteria."""
    if can.STUDENT not in can.roles(by, evaluation.internship):
        raise PermissionDenied
    return _save_part(evaluation, by=by, part="student", scores=scores, comment=comment)


def evaluation_decide(
    *,
    evaluation: Evaluation,
    by: User,
    decision: str,
    comment: str,
    today: dt.date | None = None,
) -> Evaluation:
    """The school supervisor reviews both parts and decides. The final decision completes the
    internship (W18); a mid-term "at risk" raises an early warning in the next review."""
    if not can.roles(by, evaluation.internship) & SCHOOL_PARTS:
        raise PermissionDenied
    today = today or timezone.localdate()
    allowed = MIDTERM_DECISIONS if evaluation.kind == Evaluation.Kind.MIDTERM else FINAL_DECISIONS
    errors: dict[str, list] = {}
    if decision not in allowed:
        errors["decision"] = [DECISION_REQUIRED]
    comment = (comment or "").strip()
    if not comment:
        errors["comment"] = [COMMENT_REQUIRED]
    elif len(comment) > COMMENT_MAX:
        errors["comment"] = [ValidationError(COMMENT_TOO_LONG, params={"n": COMMENT_MAX})]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_open(locked)
        if locked.workplace_at is None:
            raise ValidationError(WORKPLACE_FIRST)
        if locked.student_at is None and today <= locked.due_on:
            raise ValidationError(
                STUDENT_MISSING, params={"date": locked.due_on.strftime("%d-%m-%Y")}
            )
        if (
            locked.kind == Evaluation.Kind.FINAL
            and Evaluation.objects.filter(
                internship=locked.internship, kind=Evaluation.Kind.MIDTERM, decided_at=None
            ).exists()
        ):
            raise ValidationError(MIDTERM_FIRST)
        locked.decision = decision
        locked.school_comment = comment
        locked.decided_by = by
        locked.decided_by_name = by.full_name
        locked.decided_at = timezone.now()
        locked.save()
        audit_log(
            actor=by,
            action="evaluation.decided",
            obj=locked,
            changes={"kind": locked.kind, "decision": decision},
        )
        if locked.kind == Evaluation.Kind.FINAL:
            internship_services.internship_complete(
                internship=locked.internship, by=by, final_evaluation=True
            )
        _tell_parties(locked)
    return locked


def _evaluation_label(evaluation: Evaluation) -> str:
    return str(evaluation.get_kind_display()).lower()


def _url(evaluation: Evaluation) -> str:
    return reverse("supervision:evaluation", args=[evaluation.internship_id, evaluation.kind])


def _tell_school(evaluation: Evaluation, title) -> None:
    person = evaluation.internship.school_supervisor
    if person is None:
        return
    internship = evaluation.internship
    name = internship.student.full_name if internship.student else _("(erased)")
    with speaking_to(person):
        notify(
            user=person,
            kind="evaluation.part",
            title=str(title) % {"name": name, "evaluation": _evaluation_label(evaluation)},
            url=_url(evaluation),
        )


def _tell_parties(evaluation: Evaluation) -> None:
    """The student and the workplace supervisor read the decision."""
    internship = evaluation.internship
    people = [internship.student]
    if internship.supervisor and internship.supervisor.user:
        people.append(internship.supervisor.user)
    for person in people:
        if person is None:
            continue
        with speaking_to(person):
            notify(
                user=person,
                kind="evaluation.decided",
                title=str(_("The school decided on the %(evaluation)s: %(decision)s"))
                % {
                    "evaluation": _evaluation_label(evaluation),
                    "decision": str(evaluation.get_decision_display()).lower(),
                },
                url=_url(evaluation),
            )


# --------------------------------------------------------------------------------------------
# Reminders: 3 days and 24 hours before each is due


REMINDER_TITLE = _("The %(evaluation)s of %(name)s is due on %(date)s")
REMINDER_BODY = {
    "workplace": _("Please fill in your assessment: a score per criterion and a short comment."),
    "student": _("Please assess yourself on the same criteria as your workplace supervisor."),
    "school": _("Review the assessments and decide."),
}


def evaluations_remind(*, now: dt.datetime | None = None) -> int:
    """Daily: remind each party whose part of an undecided evaluation is missing, 3 days and 24
    hours before it is due; each reminder goes once (a late first run sends only the nearest)."""
    today = timezone.localdate(now or timezone.now())
    due = (
        Evaluation.objects.filter(
            decided_at__isnull=True,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=REMIND[0][1]),
            internship__status=Status.ACTIVE,
        )
        .select_related(
            "internship__student", "internship__supervisor__user", "internship__school_supervisor"
        )
        .order_by("due_on", "pk")
    )
    sent = 0
    for evaluation in due.iterator(chunk_size=500):
        days_left = (evaluation.due_on - today).days
        codes = [code for code, before in REMIND if days_left <= before]
        if not codes or codes[-1] in evaluation.reminded:
            continue
        with transaction.atomic():
            _remind(evaluation)
            evaluation.reminded = sorted(set(evaluation.reminded) | set(codes))
            evaluation.save(update_fields=["reminded", "updated_at"])
        sent += 1
    return sent


def _remind(evaluation: Evaluation) -> None:
    internship = evaluation.internship
    name = internship.student.full_name if internship.student else _("(erased)")
    waiting: list[tuple[User, str]] = []
    if evaluation.workplace_at is None and internship.supervisor and internship.supervisor.user:
        waiting.append((internship.supervisor.user, "workplace"))
    if evaluation.student_at is None and internship.student:
        waiting.append((internship.student, "student"))
    if internship.school_supervisor:
        waiting.append((internship.school_supervisor, "school"))
    for person, part in waiting:
        with speaking_to(person):
            notify(
                user=person,
                kind="evaluation.reminder",
                title=str(REMINDER_TITLE)
                % {
                    "evaluation": _evaluation_label(evaluation),
                    "name": name,
                    "date": evaluation.due_on.strftime("%d-%m-%Y"),
                },
                body=str(REMINDER_BODY[part]),
                url=_url(evaluation),
            )


# --------------------------------------------------------------------------------------------
# Privacy


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """`accounts.hooks.erasing`: a student's evaluations keep their scores and decision (the
    school's record) but lose every comment (free text about a person); anyone else loses
    their name from the parts they wrote."""
    about = Evaluation.objects.filter(internship__student=user)
    ids = list(about.values_list("pk", flat=True))
    about.update(workplace_comment="", student_comment="", school_comment="")
    for field in ("workplace_by", "decided_by"):
        written = Evaluation.objects.filter(**{field: user})
        ids += list(written.values_list("pk", flat=True))
        written.update(**{field: None, f"{field}_name": ""})
    return [("supervision.evaluation", sorted(set(ids)))]
