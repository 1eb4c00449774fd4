"""Progress and early warning (W13, W14, W18): each internship's `Progress` (its check-in
rhythm, the last check-in's verdicts, the hours its agreement requires), the reminder of an
overdue check-in, and the nightly review that raises and resolves early warnings and tells the
school supervisor and the workplace the reason and what to do, before a stop is needed.

The review reads a batch of running internships at a time with a fixed number of queries, so it
runs in the same memory for 300 or 300,000 internships.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractIsoWeekDay
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagebrug.accounts.models import Role, User
from stagebrug.accounts.selectors import company_people
from stagebrug.accounts.services import speaking_to
from stagebrug.applications.services import notify
from stagebrug.core.audit import audit_log_many
from stagebrug.internships.models import CURRENT_STATUSES, Internship, Status
from stagebrug.supervision.models import (
    Attendance,
    ContactMoment,
    EarlyWarning,
    Evaluation,
    Leave,
    LogEntry,
    Progress,
    SchoolSettings,
    WorkDay,
)
from stagebrug.supervision.progress import rules
from stagebrug.supervision.rules import minutes_between

CHECKIN_DUE_TITLE = _("A check-in on %(name)s is due")
CHECKIN_DUE_BODY = _(
    "A short check-in on %(name)s's internship was due on %(date)s: how is it going, and is "
    "each learning goal on track? It takes a minute on your phone."
)
#: A reminder names this many interns, then says how many more (titles stay short).
NAMES_SHOWN = 4
CHECKINS_DUE_TITLE = _("%(n)s check-ins are due: %(names)s")
CHECKINS_DUE_BODY = _(
    "A short check-in on each is due: how is it going, and is each learning goal on track? "
    "Your interns' page has a link to each logbook; it takes a minute on your phone."
)
AT_RISK_TITLE = _("%(name)s's internship needs attention")


# --------------------------------------------------------------------------------------------
# The rhythm and the Progress row


def _school_settings(institution_ids: Iterable[int]) -> dict[int, SchoolSettings]:
    return {
        s.institution_id: s
        for s in SchoolSettings.objects.filter(institution_id__in=set(institution_ids))
    }


def _rhythm(internship: Internship, settings_row: SchoolSettings | None) -> int:
    programme = internship.programme
    return rules.checkin_every_weeks(
        school_kind=programme.kind,
        level=programme.level if programme.kind == "mbo" else 5,
        school_setting=settings_row.checkin_every_weeks if settings_row else None,
    )


def _new_progress(internship: Internship, settings_row: SchoolSettings | None) -> Progress:
    every = _rhythm(internship, settings_row)
    return Progress(
        internship=internship,
        checkin_every_weeks=every,
        next_checkin_due=rules.next_checkin_due(
            start=internship.start_date, end=internship.end_date, last=None, every=every
        ),
    )


def progress_plan(*, internships: Sequence[Internship]) -> int:
    """`internships.hooks.internships_confirmed`: each new internship gets its progress row
    with its check-in rhythm (one insert for a whole round)."""
    if not internships:
        return 0
    found = _school_settings(i.institution_id for i in internships)
    rows = [_new_progress(i, found.get(i.institution_id)) for i in internships]
    Progress.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def progress_backfill() -> int:
    """Current internships without a progress row (those confirmed before supervision came)."""
    missing = (
        Internship.objects.filter(status__in=CURRENT_STATUSES)
        .exclude(Exists(Progress.objects.filter(internship=OuterRef("pk"))))
        .select_related("programme")
        .order_by("pk")
    )
    total = 0
    while batch := list(missing[:1000]):
        total += progress_plan(internships=batch)
    return total


def progress_of(internship: Internship) -> Progress:
    """The internship's progress row, made when it is missing."""
    found = Progress.objects.filter(internship=internship).first()
    if found is not None:
        return found
    settings_row = SchoolSettings.objects.filter(institution_id=internship.institution_id).first()
    Progress.objects.bulk_create([_new_progress(internship, settings_row)], ignore_conflicts=True)
    return Progress.objects.get(internship=internship)


def progress_signed(*, agreement, version) -> None:
    """`agreements.hooks.agreement_signed`: the signed total of practice hours is what the
    progress is measured against (W18)."""
    data = (version.content.get("period") or {}).get("data") or {}
    try:
        required = int(data.get("total_hours") or 0) or None
    except (TypeError, ValueError):
        required = None
    internship = Internship.objects.select_related("programme").get(pk=agreement.internship_id)
    progress = progress_of(internship)
    Progress.objects.filter(pk=progress.pk).update(hours_required=required)


def progress_redate(*, internship: Internship) -> None:
    """`internships.hooks.dates_changed`: the next check-in follows the new dates."""
    row = progress_of(internship)
    row.next_checkin_due = rules.next_checkin_due(
        start=internship.start_date,
        end=internship.end_date,
        last=row.last_checkin_on,
        every=row.checkin_every_weeks,
    )
    row.save(update_fields=["next_checkin_due"])


def checkin_recorded(*, internship: Internship, entry: LogEntry) -> None:
    """A check-in was written (in the writing transaction): the next one is due a rhythm from
    now, and its goal verdicts are the internship's latest."""
    progress = progress_of(internship)
    day = timezone.localdate(entry.created_at)
    Progress.objects.filter(pk=progress.pk).update(
        last_checkin_on=day,
        next_checkin_due=rules.next_checkin_due(
            start=internship.start_date,
            end=internship.end_date,
            last=day,
            every=progress.checkin_every_weeks,
        ),
        goals_behind=entry.behind,
        goals_attention=entry.attention,
    )


def rhythm_refresh(*, institution_id: int) -> int:
    """The school changed its rhythm: its current internships' next check-in follows it."""
    settings_row = SchoolSettings.objects.filter(institution_id=institution_id).first()
    rows = list(
        Progress.objects.filter(
            internship__institution_id=institution_id,
            internship__status__in=CURRENT_STATUSES,
        ).select_related("internship__programme")
    )
    for row in rows:
        internship = row.internship
        row.checkin_every_weeks = _rhythm(internship, settings_row)
        row.next_checkin_due = rules.next_checkin_due(
            start=internship.start_date,
            end=internship.end_date,
            last=row.last_checkin_on,
            every=row.checkin_every_weeks,
        )
    Progress.objects.bulk_update(rows, ["checkin_every_weeks", "next_checkin_due"], batch_size=500)
    return len(rows)


# --------------------------------------------------------------------------------------------
# Overdue check-ins remind the workplace supervisor


def checkin_reminders(*, now: dt.datetime | None = None) -> int:
    """Daily: each running internship whose check-in is overdue reminds its workplace
    supervisor, once per due date; a supervisor with several interns due gets one message
    that names them all. Returns the number of internships reminded."""
    from stagebrug.supervision.services import tell_workplace, written

    today = timezone.localdate(now or timezone.now())
    due = (
        Progress.objects.filter(
            next_checkin_due__lt=today,
            internship__status=Status.ACTIVE,
            internship__supervisor__isnull=False,
        )
        .filter(
            Q(checkin_reminded_for__isnull=True) | ~Q(checkin_reminded_for=F("next_checkin_due"))
        )
        .select_related("internship__student", "internship__supervisor__user")
        .order_by("internship__supervisor_id", "pk")
    )
    supervisor_ids = list(
        due.order_by().values_list("internship__supervisor_id", flat=True).distinct()
    )
    sent = 0
    for chunk in range(0, len(supervisor_ids), 200):
        batch = list(due.filter(internship__supervisor_id__in=supervisor_ids[chunk : chunk + 200]))
        per_supervisor: dict[int, list[Progress]] = defaultdict(list)
        for row in batch:
            per_supervisor[row.internship.supervisor_id].append(row)
        with transaction.atomic():
            for rows in per_supervisor.values():
                first = rows[0].internship
                names = [
                    r.internship.student.full_name if r.internship.student else str(_("(erased)"))
                    for r in rows
                ]
                if len(rows) == 1:
                    values = {
                        "name": names[0],
                        "date": rows[0].next_checkin_due.strftime("%d-%m-%Y"),
                    }
                    write = written(CHECKIN_DUE_TITLE, CHECKIN_DUE_BODY, values)
                    url = reverse("supervision:logbook", args=[first.pk])
                else:
                    shown = ", ".join(names[:NAMES_SHOWN])
                    if len(names) > NAMES_SHOWN:
                        shown += f" (+{len(names) - NAMES_SHOWN})"
                    values = {"names": shown, "n": len(names)}
                    write = written(CHECKINS_DUE_TITLE, CHECKINS_DUE_BODY, values)
                    url = reverse("supervision:today")
                tell_workplace(first.supervisor, kind="logbook.checkin_due", write=write, url=url)
            for row in batch:
                row.checkin_reminded_for = row.next_checkin_due
            Progress.objects.bulk_update(batch, ["checkin_reminded_for"], batch_size=500)
        sent += len(batch)
    return sent


# --------------------------------------------------------------------------------------------
# The nightly review: early warnings (W18)


def facts_for_batch(
    internships: list[dict], *, now: dt.datetime, thresholds: dict[int, int]
) -> dict[int, rules.Facts]:
    """What the rules need of a batch of running internships (dicts with pk, start_date,
    end_date, institution_id), in eight queries whatever the batch's size."""
    from stagebrug.supervision.services import WITHOUT_NOTICE

    today = timezone.localdate(now)
    ids = [i["pk"] for i in internships]
    progress = {p.pk: p for p in Progress.objects.filter(pk__in=ids)}
    minutes: dict[int, dict[int, int]] = defaultdict(dict)
    for internship_id, weekday, start, end in WorkDay.objects.filter(
        internship_id__in=ids
    ).values_list("internship_id", "weekday", "start", "end"):
        minutes[internship_id][weekday] = minutes_between(start, end)
    leave: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for internship_id, first, last in Leave.objects.filter(internship_id__in=ids).values_list(
        "internship_id", "start_date", "end_date"
    ):
        leave[internship_id].append((first, last))
    done: dict[int, Decimal] = defaultdict(Decimal)
    marked: dict[int, dict[int, int]] = defaultdict(dict)
    for internship_id, iso_weekday, n, hours in (
        Attendance.objects.filter(internship_id__in=ids, date__lt=today)
        .values("internship_id", wd=ExtractIsoWeekDay("date"))
        .annotate(n=Count("pk"), hours=Sum("hours"))
        .values_list("internship_id", "wd", "n", "hours")
    ):
        done[internship_id] += hours or Decimal(0)
        marked[internship_id][iso_weekday - 1] = n
    missed: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for internship_id, kind, at in (
        ContactMoment.objects.filter(
            internship_id__in=ids,
            planned_at__lt=now - rules.CONTACT_GRACE,
            held_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .order_by("planned_at")
        .values_list("internship_id", "kind", "planned_at")
    ):
        missed[internship_id].append((kind, timezone.localdate(at)))
    absences = dict(
        Attendance.objects.filter(
            internship_id__in=ids,
            date__gt=today - dt.timedelta(days=28),
            date__lte=today,
            mark__in=WITHOUT_NOTICE,
            announced=False,
        )
        .values("internship_id")
        .annotate(n=Count("pk"))
        .values_list("internship_id", "n")
    )
    at_risk = set(
        Evaluation.objects.filter(
            internship_id__in=ids,
            kind=Evaluation.Kind.MIDTERM,
            decision=Evaluation.Decision.AT_RISK,
        ).values_list("internship_id", flat=True)
    )
    out = {}
    for i in internships:
        pk = i["pk"]
        row = progress.get(pk)
        schedule = minutes.get(pk, {})
        out[pk] = rules.Facts(
            today=today,
            start=i["start_date"],
            end=i["end_date"],
            checkin_every_weeks=row.checkin_every_weeks if row else 2,
            next_checkin_due=row.next_checkin_due if row else None,
            last_checkin_on=row.last_checkin_on if row else None,
            goals_behind=row.goals_behind if row else 0,
            midterm_at_risk=pk in at_risk,
            hours_done=done.get(pk, Decimal(0)),
            minutes_left=rules.unaccounted_minutes(
                start=i["start_date"],
                end=i["end_date"],
                weekday_minutes=schedule,
                leave=leave.get(pk, ()),
                marked_per_weekday=marked.get(pk),
            ),
            day_minutes=max(schedule.values(), default=0),
            # Without a schedule nothing is planned: the hours cannot be judged yet.
            hours_required=(row.hours_required if row and schedule else None),
            contact_missed=tuple(missed.get(pk, ())),
            absences=absences.get(pk, 0),
            absence_threshold=thresholds.get(i["institution_id"], 2),
        )
    return out


def warnings_review(*, now: dt.datetime | None = None, batch: int = 2000) -> dict[str, int]:
    """Nightly: for every running internship, raise the warnings the rules find and resolve
    those they no longer find; tell the school supervisor and the workplace of new ones."""
    now = now or timezone.now()
    progress_backfill()
    counts = {"reviewed": 0, "raised": 0, "resolved": 0}
    # Warnings of internships that ended are over.
    counts["resolved"] += (
        EarlyWarning.objects.filter(resolved_at__isnull=True)
        .exclude(internship__status=Status.ACTIVE)
        .update(resolved_at=now)
    )
    thresholds = {s.institution_id: s.absence_alert_after for s in SchoolSettings.objects.all()}
    default_threshold = SchoolSettings._meta.get_field("absence_alert_after").default
    last = 0
    while True:
        internships = list(
            Internship.objects.filter(status=Status.ACTIVE, pk__gt=last)
            .order_by("pk")
            .values("pk", "start_date", "end_date", "institution_id")[:batch]
        )
        if not internships:
            break
        last = internships[-1]["pk"]
        per_school = defaultdict(lambda: default_threshold, thresholds)
        facts = facts_for_batch(
            internships,
            now=now,
            thresholds={i["institution_id"]: per_school[i["institution_id"]] for i in internships},
        )
        raised, resolved = _apply(facts, now=now)
        counts["reviewed"] += len(internships)
        counts["raised"] += raised
        counts["resolved"] += resolved
    return counts


def _apply(facts: dict[int, rules.Facts], *, now: dt.datetime) -> tuple[int, int]:
    found = {pk: {r.kind: r for r in rules.risks(f)} for pk, f in facts.items()}
    open_rows: dict[int, dict[str, EarlyWarning]] = defaultdict(dict)
    for w in EarlyWarning.objects.filter(internship_id__in=list(facts), resolved_at__isnull=True):
        open_rows[w.internship_id][w.kind] = w
    new: list[EarlyWarning] = []
    gone: list[EarlyWarning] = []
    changed: list[EarlyWarning] = []
    counts: dict[int, int] = {}
    for pk, risks in found.items():
        existing = open_rows.get(pk, {})
        for kind, risk in risks.items():
            if kind not in existing:
                new.append(
                    EarlyWarning(internship_id=pk, kind=kind, detail=risk.detail, raised_at=now)
                )
            elif existing[kind].detail != risk.detail:
                existing[kind].detail = risk.detail
                changed.append(existing[kind])
        for kind, row in existing.items():
            if kind not in risks:
                row.resolved_at = now
                gone.append(row)
        if len(risks) != len(existing):
            counts[pk] = len(risks)
    if not (new or gone or changed or counts):
        return 0, 0
    with transaction.atomic():
        EarlyWarning.objects.bulk_create(new)
        EarlyWarning.objects.bulk_update(gone, ["resolved_at"])
        EarlyWarning.objects.bulk_update(changed, ["detail"])
        by_count: dict[int, list[int]] = defaultdict(list)
        for pk, n in counts.items():
            by_count[n].append(pk)
        for n, pks in by_count.items():
            Progress.objects.filter(pk__in=pks).update(open_warnings=n)
        if new:
            audit_log_many(
                actor=None,
                action="supervision.warning_raised",
                changes=[(w, {"kind": w.kind, "internship": w.internship_id}) for w in new],
            )
            _tell_at_risk(new)
    return len(new), len(gone)


def _tell_at_risk(new: list[EarlyWarning]) -> None:
    """Tell the school supervisor (or the school's coordinators when none is assigned) and the
    workplace supervisor of an internship's new warnings: the reason and what to do."""
    from stagebrug.supervision.services import tell_workplace

    per_internship: dict[int, list[EarlyWarning]] = defaultdict(list)
    for w in new:
        per_internship[w.internship_id].append(w)
    internships = Internship.objects.filter(pk__in=list(per_internship)).select_related(
        "student", "school_supervisor", "supervisor__user", "placement"
    )
    coordinators = _coordinators({i.institution_id for i in internships})
    for internship in internships:
        warnings = per_internship[internship.pk]
        name = internship.student.full_name if internship.student else str(_("(erased)"))
        url = reverse("supervision:logbook", args=[internship.pk])
        school = (
            [internship.school_supervisor]
            if internship.school_supervisor
            else coordinators.get(internship.institution_id, [])
        )
        for person in school:
            with speaking_to(person):
                notify(
                    user=person,
                    kind="supervision.at_risk",
                    title=str(AT_RISK_TITLE) % {"name": name},
                    body=_message(warnings),
                    url=url,
                )
        supervisor = internship.supervisor
        if supervisor is None or not (supervisor.user_id or supervisor.email):
            # No workplace supervisor to reach: the business's owners and colleagues hear it.
            for person in company_people([internship.placement.company_id]).get(
                internship.placement.company_id, []
            ):
                with speaking_to(person):
                    notify(
                        user=person,
                        kind="supervision.at_risk",
                        title=str(AT_RISK_TITLE) % {"name": name},
                        body=_message(warnings),
                        url=url,
                    )
        else:
            tell_workplace(
                internship.supervisor,
                kind="supervision.at_risk",
                write=lambda name=name, warnings=warnings: (
                    str(AT_RISK_TITLE) % {"name": name},
                    _message(warnings),
                ),
                url=url,
            )


def _message(warnings: list[EarlyWarning]) -> str:
    return "\n\n".join(
        f"{rules.reason_of(w.kind, w.detail)} {rules.FIXES[w.kind]}" for w in warnings
    )


def _coordinators(institution_ids: set[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    for user in (
        User.objects.filter(
            memberships__institution_id__in=institution_ids,
            memberships__role=Role.SCHOOL_COORDINATOR,
            is_active=True,
        )
        .annotate(school=F("memberships__institution_id"))
        .order_by("pk")
        .distinct()
    ):
        found[user.school].append(user)
    return found
