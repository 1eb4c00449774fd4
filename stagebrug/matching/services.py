"""State changes of school-run matching rounds (C5; W2, W14, W21).

A coordinator creates a round for a programme and cohort, opens it, students rank the
placements offered, businesses choose how to rank their candidates, the coordinator closes and
runs it (a background job), reviews the statistics and publishes. Publishing is final: it
creates the internships and every student's result with the reason why. A follow-up round
takes the students still unplaced over the seats still free, so no student is left to search
alone.

Every function checks who may act, validates before it writes (a refusal writes nothing and
names the problem), writes in one transaction, records an audit event, and tells the people
who must act next (inbox + e-mail, sent after commit).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import Membership, Role, User
from stagebrug.accounts.selectors import company_people
from stagebrug.accounts.services import speaking_to
from stagebrug.applications.hooks import Confirmation, confirm_placements
from stagebrug.core.audit import audit_log
from stagebrug.matching import messages as m
from stagebrug.matching import selectors
from stagebrug.matching.adapter import build_input, summarise
from stagebrug.matching.engine import MODES, load_instance, solve, verify
from stagebrug.matching.explanations import ordinal
from stagebrug.matching.hooks import placed_students
from stagebrug.matching.models import (
    CandidateRank,
    Round,
    RoundResult,
    RoundRun,
    RoundSeat,
    RoundStatus,
    RoundStudent,
    RunStatus,
    SeatRanking,
    StudentChoice,
)
from stagebrug.matching.selectors import free_positions, offerable_placements
from stagebrug.placements.models import Placement, Status
from stagebrug.registry.models import Programme

logger = logging.getLogger(__name__)

#: Upper bound for choices per student: enough for a follow-up round, short enough to rank.
MAX_CHOICES = 20
#: Progress messages of a run, stored untranslated and translated when shown.
PROGRESS_CLAIMED = gettext_noop("Started")
PROGRESS_READING = gettext_noop("Reading the rankings")
PROGRESS_SOLVING = gettext_noop("Allocating students to placements")
PROGRESS_VERIFYING = gettext_noop("Checking the allocation independently")
PROGRESS_EXPLAINING = gettext_noop("Explaining every student's outcome")
PROGRESS_DONE = gettext_noop("Done: review the outcome")


# --------------------------------------------------------------------------------------------
# Helpers


def can_manage_round(user: User, round: Round) -> bool:
    """Only the coordinators of the programme's school (and operators) run its rounds."""
    return perms.can_edit_institution(user, round.institution)


def _require_manager(user: User, round: Round) -> None:
    if not can_manage_round(user, round):
        raise PermissionDenied


def _status_error(round: Round) -> ValidationError:
    return ValidationError(m.WRONG_STATUS, params={"status": round.get_status_display().lower()})


def _deadline_text(deadline: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")


def _notify(*, user: User, kind: str, title: str, body: str = "", url: str = "") -> None:
    """The lead's inbox + e-mail (stagebrug.applications.services.notify)."""
    from stagebrug.applications.services import notify

    notify(user=user, kind=kind, title=title, body=body, url=url)


def student_url(round: Round) -> str:
    return f"/student/rondes/{round.pk}/"


def business_url(round: Round, placement_id: int) -> str:
    return f"/stageplaatsen/{placement_id}/rondes/{round.pk}/"


def _cohort_students(programme: Programme, year: int | None) -> list[int]:
    """Students of the programme without a confirmed internship (they need no round)."""
    qs = Membership.objects.filter(
        role=Role.STUDENT, programme=programme, institution_id=programme.institution_id
    )
    if year is not None:
        qs = qs.filter(user__student_profile__year=year)
    return sorted(set(qs.exclude(user_id__in=placed_students()).values_list("user_id", flat=True)))


def _offerable_seats(programme: Programme) -> list[tuple[Placement, int]]:
    placements = list(offerable_placements(programme=programme))
    free = free_positions(placements, kind=programme.kind)
    return [(p, free[p.pk]) for p in placements if free[p.pk] > 0]


def _check_round_fields(name: str, deadline: dt.datetime, max_choices: int) -> None:
    errors: dict[str, list[Any]] = {}
    if not (name or "").strip():
        errors["name"] = [m.NAME_REQUIRED]
    if deadline is None or deadline <= timezone.now():
        errors["deadline"] = [m.DEADLINE_IN_PAST]
    if not 1 <= int(max_choices) <= MAX_CHOICES:
        errors["max_choices"] = [ValidationError(m.MAX_CHOICES_RANGE, params={"max": MAX_CHOICES})]
    if errors:
        raise ValidationError(errors)


# --------------------------------------------------------------------------------------------
# Create, open, close


def round_create(
    *,
    programme: Programme,
    by: User,
    name: str,
    deadline: dt.datetime,
    cohort: str = "",
    year: int | None = None,
    max_choices: int = 5,
    seed: int | None = None,
    anonymous: bool | None = None,
    by_school: bool = False,
) -> Round:
    """A draft round for a programme: its students (optionally one study year) and, as seats,
    the published placements approved for the programme with free positions (C2: only eligible
    placements are offered). Anonymous by default when the programme asks for an anonymous
    first look; a round of placement by the school is always anonymous (W2, W14)."""
    if anonymous is None:
        anonymous = programme.anonymous_first_look
    anonymous = bool(anonymous or by_school)
    if not perms.can_edit_institution(by, programme.institution):
        raise PermissionDenied
    _check_round_fields(name, deadline, max_choices)
    students = _cohort_students(programme, year)
    seats = _offerable_seats(programme)
    errors: dict[str, list[Any]] = {}
    if not students:
        errors["programme"] = [m.NO_STUDENTS]
    if not seats:
        errors.setdefault("programme", []).append(m.NO_SEATS)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        round = Round.objects.create(
            institution=programme.institution,
            programme=programme,
            name=name.strip(),
            cohort=(cohort or "").strip(),
            deadline=deadline,
            max_choices=max_choices,
            seed=secrets.randbelow(2**31) if seed is None else seed,
            created_by=by,
            anonymous=anonymous,
            by_school=by_school,
        )
        RoundStudent.objects.bulk_create(
            [RoundStudent(round=round, student_id=pk) for pk in students], batch_size=1000
        )
        RoundSeat.objects.bulk_create(
            [RoundSeat(round=round, placement=p, capacity=min(free, 32767)) for p, free in seats],
            batch_size=1000,
        )
        audit_log(
            actor=by,
            action="round.created",
            obj=round,
            changes={
                "students": len(students),
                "seats": len(seats),
                "year": year,
                "anonymous": anonymous,
                "by_school": by_school,
            },
        )
    return round


def candidates_hidden(round: Round) -> bool:
    """Whether businesses see this round's candidates without names (W2, W14): an anonymous
    round until it is published."""
    return round.anonymous and round.status != RoundStatus.PUBLISHED


def placed_by_school(round: Round) -> int | None:
    """How many students a published round of placement by the school placed (the figure the
    school reports, W2); None for other rounds or before publishing."""
    if not round.by_school or round.status != RoundStatus.PUBLISHED:
        return None
    return round.results.filter(placement__isnull=False).count()


def round_open(*, round: Round, by: User, notify: bool = True) -> Round:
    """Open the round: students are asked to rank, businesses to choose how to rank."""
    _require_manager(by, round)
    if round.status != RoundStatus.DRAFT:
        raise _status_error(round)
    if round.deadline <= timezone.now():
        raise ValidationError({"deadline": [m.DEADLINE_IN_PAST]})
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.status != RoundStatus.DRAFT:
            raise _status_error(locked)
        round.status = RoundStatus.OPEN
        round.opened_at = timezone.now()
        round.save(update_fields=["status", "opened_at"])
        audit_log(actor=by, action="round.opened", obj=round)
        if notify:
            _queue_notifications(round, "opened")
    return round


def _queue_notifications(round: Round, event: str) -> None:
    """Tell a whole cohort in the background. Queued inside the caller's transaction (the
    database queue is a table), so the job exists exactly when the change is committed."""
    from stagebrug.matching.tasks import notify_round

    notify_round.enqueue(round_id=round.pk, event=event)


def round_notify(*, round_id: int, event: str) -> None:
    """Send the inbox messages and e-mails of a round event ("opened" or "published")."""
    round = Round.objects.select_related("institution", "programme").get(pk=round_id)
    if event == "opened":
        _notify_opened(round)
    elif event == "published":
        _notify_published(round)
    else:
        raise ValueError(f"Unknown round event: {event}")


def _notify_opened(round: Round) -> None:
    students = User.objects.filter(round_entries__round=round)
    for student in students:
        with speaking_to(student):
            _notify(
                user=student,
                kind="round.rank",
                title=_("Choose your placements: %(round)s") % {"round": round.name},
                body=_(
                    "Your school matches students and placements in one round. Before %(deadline)s, "
                    "choose up to %(n)d placements, the one you want most first."
                )
                % {"n": round.max_choices, "deadline": _deadline_text(round.deadline)},
                url=student_url(round),
            )
    seats = list(RoundSeat.objects.filter(round=round).select_related("placement"))
    people = company_people({s.placement.company_id for s in seats})
    for seat in seats:
        for person in people.get(seat.placement.company_id, []):
            with speaking_to(person):
                _notify(
                    user=person,
                    kind="round.candidates",
                    title=_("Students can choose %(title)s in a matching round")
                    % {"title": seat.placement.title},
                    body=_(
                        "%(school)s matches its students of %(programme)s. Choose before %(deadline)s "
                        "how you rank the candidates: yourself, by the fit score (the default), or "
                        "everyone is welcome."
                    )
                    % {
                        "school": round.institution.name,
                        "programme": round.programme.name,
                        "deadline": _deadline_text(round.deadline),
                    },
                    url=business_url(round, seat.placement_id),
                )


def round_close(*, round: Round, by: User) -> Round:
    """Stop the rankings (before or after the deadline) so the round can be run."""
    _require_manager(by, round)
    if round.status != RoundStatus.OPEN:
        raise _status_error(round)
    with transaction.atomic():
        updated = Round.objects.filter(pk=round.pk, status=RoundStatus.OPEN).update(
            status=RoundStatus.CLOSED
        )
        if not updated:
            round.refresh_from_db()
            raise _status_error(round)
        round.status = RoundStatus.CLOSED
        audit_log(actor=by, action="round.closed", obj=round)
    return round


# --------------------------------------------------------------------------------------------
# Students rank placements; businesses rank candidates


def rankings_open(round: Round, now: dt.datetime | None = None) -> bool:
    """Students and businesses may rank while the round is open and before its deadline."""
    return round.status == RoundStatus.OPEN and round.deadline > (now or timezone.now())


def can_run(round: Round, now: dt.datetime | None = None) -> bool:
    """The engine may run once rankings are over: the round is closed, or open past its
    deadline (running closes it first)."""
    return round.status == RoundStatus.CLOSED or (
        round.status == RoundStatus.OPEN and round.deadline <= (now or timezone.now())
    )


def _refuse_after_deadline(round: Round, message: Any) -> None:
    if round.status != RoundStatus.OPEN:
        if round.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED) and (
            round.deadline <= timezone.now()
        ):
            raise ValidationError(message, params={"deadline": _deadline_text(round.deadline)})
        raise ValidationError(m.ROUND_NOT_OPEN)
    if not rankings_open(round):
        raise ValidationError(message, params={"deadline": _deadline_text(round.deadline)})


def round_submit_choices(
    *, round: Round, student: User, placement_ids: Sequence[int], by: User | None = None
) -> list[StudentChoice]:
    """A student's ranking, best first, replacing their earlier one: by the student, or by
    the round's school for them (`by`, its coordinator or its system through the API).

    Refused as a whole, with every problem named, when it has more than `max_choices`
    placements, names a placement twice, names a placement the round does not offer (not
    approved for the programme), or comes after the deadline.
    """
    if by is not None and by.pk != student.pk:
        _require_manager(by, round)
    entry = RoundStudent.objects.filter(round=round, student=student).first()
    if entry is None:
        if by is not None and by.pk != student.pk:
            raise ValidationError({"student": [m.NOT_IN_THIS_ROUND]})
        raise PermissionDenied
    _refuse_after_deadline(round, m.DEADLINE_PASSED)
    ids = [int(pk) for pk in placement_ids]
    errors: list[ValidationError] = []
    if len(ids) > round.max_choices:
        errors.append(
            ValidationError(
                m.TOO_MANY_CHOICES, params={"max": round.max_choices, "count": len(ids)}
            )
        )
    offered = set(RoundSeat.objects.filter(round=round).values_list("placement_id", flat=True))
    titles = dict(Placement.objects.filter(pk__in=ids).values_list("pk", "title"))
    for pk, count in Counter(ids).items():
        if count > 1:
            errors.append(
                ValidationError(m.CHOSEN_TWICE, params={"placement": titles.get(pk, str(pk))})
            )
    for pk in dict.fromkeys(ids):
        if pk not in offered:
            if pk in titles:
                errors.append(ValidationError(m.NOT_IN_ROUND, params={"placement": titles[pk]}))
            else:
                errors.append(ValidationError(m.UNKNOWN_PLACEMENT, params={"id": pk}))
    if errors:
        raise ValidationError({"placements": errors})
    with transaction.atomic():
        locked = RoundStudent.objects.select_for_update().get(pk=entry.pk)
        fresh = Round.objects.get(pk=round.pk)
        _refuse_after_deadline(fresh, m.DEADLINE_PASSED)
        StudentChoice.objects.filter(round=round, student=student).delete()
        choices = StudentChoice.objects.bulk_create(
            [
                StudentChoice(round=round, student=student, placement_id=pk, rank=rank)
                for rank, pk in enumerate(ids, start=1)
            ]
        )
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["submitted_at"])
        audit_log(
            actor=by or student,
            action="round.ranked",
            obj=round,
            changes={"placements": ids, "student": student.pk},
        )
    return choices


def round_set_seat_ranking(
    *,
    seat: RoundSeat,
    by: User,
    ranking: str,
    student_ids: Sequence[int] | None = None,
) -> RoundSeat:
    """How a business ranks the candidates for its placement: itself (an ordered list of the
    students who chose it; those left out cannot be placed there), by the fit score, or
    everyone welcome in the round's lottery order. Before the deadline only. The business's
    people set it, or the round's school for the business (through the API)."""
    for_business = perms.can_edit_company(by, seat.placement.company)
    if not (for_business or can_manage_round(by, seat.round)):
        raise PermissionDenied
    if not for_business and seat.ranking == SeatRanking.RANK and seat.ranked_at is not None:
        # The business ranked its candidates itself: the school does not overwrite that.
        raise ValidationError({"ranking": [m.BUSINESS_RANKED_ITSELF]})
    round = seat.round
    _refuse_after_deadline(round, m.BUSINESS_DEADLINE_PASSED)
    if ranking not in SeatRanking.values:
        raise ValidationError({"ranking": [m.RANKING_UNKNOWN]})
    if ranking == SeatRanking.RANK and round.by_school:
        raise ValidationError({"ranking": [m.BY_SCHOOL_NO_RANK]})
    ids = [int(pk) for pk in (student_ids or [])]
    if ranking == SeatRanking.RANK:
        if not ids:
            raise ValidationError({"ranking": [m.RANK_NEEDS_CANDIDATES]})
        candidates = set(
            StudentChoice.objects.filter(
                round_id=seat.round_id, placement_id=seat.placement_id
            ).values_list("student_id", flat=True)
        )
        errors: list[ValidationError] = []
        names = dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))
        for pk, count in Counter(ids).items():
            if count > 1:
                errors.append(
                    ValidationError(m.RANKED_TWICE, params={"name": names.get(pk, str(pk))})
                )
        if any(pk not in candidates for pk in ids):
            errors.append(ValidationError(m.RANK_NOT_CANDIDATE))
        if errors:
            raise ValidationError({"ranking": errors})
    with transaction.atomic():
        locked = RoundSeat.objects.select_for_update().get(pk=seat.pk)
        _refuse_after_deadline(Round.objects.get(pk=round.pk), m.BUSINESS_DEADLINE_PASSED)
        CandidateRank.objects.filter(
            round_id=seat.round_id, placement_id=seat.placement_id
        ).delete()
        if ranking == SeatRanking.RANK:
            CandidateRank.objects.bulk_create(
                [
                    CandidateRank(
                        round_id=seat.round_id,
                        placement_id=seat.placement_id,
                        student_id=pk,
                        rank=rank,
                    )
                    for rank, pk in enumerate(ids, start=1)
                ]
            )
        locked.ranking = ranking
        locked.ranked_at = timezone.now()
        locked.save(update_fields=["ranking", "ranked_at"])
        audit_log(
            actor=by,
            action="round.seat_ranking",
            obj=locked,
            changes={"ranking": ranking, "students": ids},
        )
    seat.ranking, seat.ranked_at = locked.ranking, locked.ranked_at
    return seat


# --------------------------------------------------------------------------------------------
# Run (a background job), review, publish


def round_run(*, round: Round, by: User, mode: str = "stable") -> RoundRun:
    """Queue a run of the engine. Allowed until the round is published; one run at a time.

    An open round whose deadline has passed is closed first, so nothing changes during the run.
    """
    from stagebrug.matching.tasks import run_round

    _require_manager(by, round)
    if mode not in MODES:
        raise ValidationError({"mode": [m.MODE_UNKNOWN]})
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.status == RoundStatus.PUBLISHED:
            raise ValidationError(m.ALREADY_PUBLISHED)
        if locked.status == RoundStatus.DRAFT:
            raise _status_error(locked)
        if locked.status == RoundStatus.OPEN:
            if not can_run(locked):
                raise ValidationError(m.NOT_CLOSED_YET)
            locked.status = RoundStatus.CLOSED
            locked.save(update_fields=["status"])
            audit_log(actor=by, action="round.closed", obj=locked, changes={"deadline": True})
        _fail_lost_runs(locked)
        if selectors.active_run(round=locked) is not None:
            raise ValidationError(m.RUN_BUSY)
        run = RoundRun.objects.create(round=locked, mode=mode, created_by=by)
        audit_log(actor=by, action="round.run", obj=locked, changes={"run": run.pk, "mode": mode})
        transaction.on_commit(lambda: run_round.enqueue(run_id=run.pk))
    round.status = locked.status
    return run


def _progress(run_id: int, percent: int, message: str) -> None:
    """Written outside any transaction, so the coordinator's progress bar sees it at once."""
    RoundRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        progress=max(0, min(100, percent)), message=message[:300]
    )


def _fail_lost_runs(round: Round) -> int:
    """A run queued or running for longer than ROUND_RUN_STALE_MINUTES is lost (its worker
    stopped, or the job never reached the queue): mark it failed so it does not block a new run."""
    before = timezone.now() - dt.timedelta(minutes=settings.ROUND_RUN_STALE_MINUTES)
    lost = RoundRun.objects.filter(round=round).filter(
        Q(status=RunStatus.QUEUED, created_at__lt=before)
        | Q(status=RunStatus.RUNNING, started_at__lt=before)
    )
    return lost.update(
        status=RunStatus.FAILED, message=str(m.RUN_FAILED), finished_at=timezone.now()
    )


def round_run_execute(*, run_id: int) -> RoundRun | None:
    """Do one queued run. The run claims itself first (queued → running in one UPDATE), so two
    workers never run it twice; a run that is not queued any more is left alone.

    A failure is recorded on the run (status failed, the reason as its message) instead of
    being raised, so the coordinator sees it and can run again.
    """
    claimed = RoundRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        progress=5,
        message=PROGRESS_CLAIMED,
    )
    if not claimed:
        return None
    run = RoundRun.objects.select_related("round").get(pk=run_id)
    round = run.round
    try:
        if round.status == RoundStatus.PUBLISHED:
            raise ValueError(str(m.ALREADY_PUBLISHED))
        _progress(run_id, 10, PROGRESS_READING)
        inp = build_input(
            round,
            progress=lambda pct, _msg: _progress(run_id, pct, PROGRESS_READING),
        )
        instance = load_instance(inp.data)
        _progress(run_id, 45, PROGRESS_SOLVING)
        result = solve(instance, mode=run.mode, seed=round.seed)
        _progress(run_id, 60, PROGRESS_VERIFYING)
        report = verify(instance, result)
        if not report.valid or (run.mode == "stable" and not report.stable):
            raise ValueError("The independent verifier rejected the allocation.")
        _progress(run_id, 75, PROGRESS_EXPLAINING)
        stats, assignment, explanations = summarise(inp, result)
        stats["verified"] = True
    except Exception:  # recorded for the coordinator; the job itself must not crash
        logger.exception("Run %s of round %s failed", run_id, round.pk)
        RoundRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            # The coordinator sees a plain message; the details are in the server log.
            message=str(m.RUN_FAILED),
            finished_at=timezone.now(),
        )
    else:
        RoundRun.objects.filter(pk=run_id).update(
            status=RunStatus.DONE,
            progress=100,
            message=PROGRESS_DONE,
            stats=stats,
            assignment=assignment,
            explanations=explanations,
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def round_publish(*, round: Round, by: User, run: RoundRun | None = None) -> Round:
    """Publish a finished run: final, recorded with who and when.

    Every placed student gets an internship through the same service as an accepted offer
    (`applications.hooks.confirm_placements`, in this transaction): positions are taken and
    full placements filled, the student's other open applications are withdrawn, and the
    applicants of a placement that is now full are answered. Every student gets a RoundResult
    with the explanation; students and businesses are told. Refused if any placement has fewer
    free positions now than the run places there (for example after an accepted offer in the
    meantime): run again then.
    """
    _require_manager(by, round)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.status == RoundStatus.PUBLISHED:
            raise ValidationError(m.ALREADY_PUBLISHED)
        if locked.status != RoundStatus.CLOSED:
            raise _status_error(locked)
        if run is None:
            run = selectors.latest_run(round=locked, done=True)
            if run is None:
                raise ValidationError(m.NO_RUN)
        else:
            run = RoundRun.objects.filter(pk=run.pk).first()
        if run is None or run.round_id != locked.pk or run.status != RunStatus.DONE:
            raise ValidationError(m.RUN_NOT_DONE)
        assignment = {int(s): int(p) for s, p in run.assignment.items()}
        placed_at = Counter(assignment.values())
        placements = {
            p.pk: p
            for p in Placement.objects.select_for_update()
            .filter(pk__in=sorted(placed_at))
            .order_by("pk")
        }
        # The round's students are all of its programme's kind: a duo has its seats of that
        # kind to give (W21).
        free = free_positions(placements.values(), kind=locked.programme.kind)
        for pk, count in sorted(placed_at.items()):
            # Full first: a placement the market filled meanwhile is no longer published
            # either, and "0 free places" says why.
            if pk not in placements or count > free[pk]:
                title = placements[pk].title if pk in placements else str(pk)
                raise ValidationError(
                    m.OVER_CAPACITY,
                    params={"placement": title, "free": free.get(pk, 0), "placed": count},
                )
            if placements[pk].status != Status.PUBLISHED:
                raise ValidationError(m.PLACEMENT_GONE, params={"placement": placements[pk].title})
        students = list(
            RoundStudent.objects.filter(round=locked).values_list("student_id", flat=True)
        )
        already = set(
            placed_students().filter(student_id__in=students).values_list("student_id", flat=True)
        )
        confirmations = []
        results = []
        for student_id in students:
            explanation = dict(run.explanations.get(str(student_id), {}))
            placement_id = assignment.get(student_id)
            if student_id in already:
                # Placed elsewhere meanwhile (an accepted offer): the seat stays free.
                explanation["already_placed"] = True
                placement_id = None
            if placement_id is not None:
                confirmations.append(
                    Confirmation(
                        student_id=student_id,
                        programme_id=locked.programme_id,
                        placement=placements[placement_id],
                        source="round",
                        round_id=locked.pk,
                    )
                )
            results.append(
                RoundResult(
                    round=locked,
                    student_id=student_id,
                    placement_id=placement_id,
                    seat=explanation.get("seat", "") if placement_id else "",
                    choice_rank=explanation.get("choice") if placement_id else None,
                    explanation=explanation,
                )
            )
        RoundResult.objects.bulk_create(results, batch_size=1000)
        if confirmations:
            confirm_placements(confirmations=confirmations, by=by)
        now = timezone.now()
        locked.status = RoundStatus.PUBLISHED
        locked.published_at = now
        locked.published_by = by
        locked.published_run = run
        locked.save(update_fields=["status", "published_at", "published_by", "published_run"])
        audit_log(
            actor=by,
            action="round.published",
            obj=locked,
            changes={"run": run.pk, "placed": len(confirmations), "students": len(students)},
        )
        _queue_notifications(locked, "published")
    round.status = locked.status
    round.published_at = locked.published_at
    round.published_by = by
    round.published_run = run
    return round


def _notify_published(round: Round) -> None:
    results = RoundResult.objects.filter(round=round).select_related(
        "student", "placement__company"
    )
    taken: Counter[int] = Counter(
        RoundResult.objects.filter(round=round, placement__isnull=False).values_list(
            "placement_id", flat=True
        )
    )
    placements: dict[int, Placement] = {}
    for result in results:
        user = result.student
        if result.placement_id:
            placement = placements.setdefault(result.placement_id, result.placement)
            with speaking_to(user):
                _notify(
                    user=user,
                    kind="round.placed",
                    title=_("Your placement: %(title)s") % {"title": placement.title},
                    body=_(
                        "In %(round)s you got your %(choice)s choice, %(title)s at %(company)s. "
                        "See why, and what happens next."
                    )
                    % {
                        "round": round.name,
                        "choice": ordinal(result.choice_rank or 1),
                        "title": placement.title,
                        "company": placement.company.name,
                    },
                    url=student_url(round),
                )
        elif not result.explanation.get("already_placed"):
            with speaking_to(user):
                _notify(
                    user=user,
                    kind="round.unplaced",
                    title=_("You were not placed in %(round)s") % {"round": round.name},
                    body=_(
                        "See why on Stagebrug. Your school will start a follow-up round with the "
                        "placements that still have room, so you will get another chance."
                    ),
                    url=student_url(round),
                )
    people = company_people({p.company_id for p in placements.values()})
    for pk, count in taken.items():
        placement = placements[pk]
        for person in people.get(placement.company_id, []):
            with speaking_to(person):
                _notify(
                    user=person,
                    kind="round.published",
                    title=_("%(count)d student(s) placed at %(title)s")
                    % {"count": count, "title": placement.title},
                    body=_("%(school)s published its matching round. Welcome your intern(s).")
                    % {"school": round.institution.name},
                    url=business_url(round, pk),
                )


# --------------------------------------------------------------------------------------------
# Follow-up round


def round_create_follow_up(
    *,
    round: Round,
    by: User,
    deadline: dt.datetime,
    name: str = "",
    max_choices: int | None = None,
) -> Round:
    """A draft follow-up round: exactly the students this round left unplaced, over exactly
    the seats still free at its placements, with the same engine. Students may choose more
    placements than in the first round (twice as many, at most MAX_CHOICES) because fewer
    seats are left and each choice counts more."""
    _require_manager(by, round)
    if round.status != RoundStatus.PUBLISHED:
        raise ValidationError(m.FOLLOW_UP_NEEDS_PUBLISHED)
    if round.follow_ups.exists():
        raise ValidationError(m.FOLLOW_UP_EXISTS)
    name = (name or "").strip() or _("%(round)s – follow-up") % {"round": round.name}
    if max_choices is None:
        max_choices = min(MAX_CHOICES, round.max_choices * 2)
    _check_round_fields(name, deadline, max_choices)
    students = selectors.follow_up_students(round=round)
    if not students:
        raise ValidationError(m.FOLLOW_UP_NOBODY)
    old_seats = list(
        RoundSeat.objects.filter(round=round, placement__status=Status.PUBLISHED).select_related(
            "placement"
        )
    )
    free = free_positions((s.placement for s in old_seats), kind=round.programme.kind)
    seats = [(s, free[s.placement_id]) for s in old_seats if free[s.placement_id] > 0]
    if not seats:
        raise ValidationError(m.FOLLOW_UP_NO_SEATS)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.follow_ups.exists():
            raise ValidationError(m.FOLLOW_UP_EXISTS)
        follow_up = Round.objects.create(
            institution=round.institution,
            programme=round.programme,
            name=name[:120],
            cohort=round.cohort,
            deadline=deadline,
            max_choices=max_choices,
            parent=round,
            seed=secrets.randbelow(2**31),
            created_by=by,
            anonymous=round.anonymous,
            by_school=round.by_school,
        )
        RoundStudent.objects.bulk_create(
            [RoundStudent(round=follow_up, student_id=pk) for pk in students], batch_size=1000
        )
        RoundSeat.objects.bulk_create(
            [
                RoundSeat(
                    round=follow_up,
                    placement_id=seat.placement_id,
                    capacity=min(count, 32767),
                    # A business's own ranking was of other candidates; the fit score ranks
                    # the new ones until the business ranks again.
                    ranking=SeatRanking.FIT if seat.ranking == SeatRanking.RANK else seat.ranking,
                )
                for seat, count in seats
            ],
            batch_size=1000,
        )
        audit_log(
            actor=by,
            action="round.follow_up_created",
            obj=follow_up,
            changes={"parent": round.pk, "students": len(students), "seats": len(seats)},
        )
    return follow_up
