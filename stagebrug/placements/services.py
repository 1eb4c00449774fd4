"""State changes of placements: write, submit, decide, publish, fill, close.

Every function checks permission, validates, writes in one transaction and records a
PlacementEvent. E-mail to people who must act is queued on commit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import Role, User
from stagebrug.accounts.selectors import company_people
from stagebrug.core.audit import audit_log
from stagebrug.core.mail import queue_email_to_people
from stagebrug.core.text.terms import fit_fields
from stagebrug.placements import eligibility
from stagebrug.placements import messages as m
from stagebrug.placements.facts import (
    company_facts,
    placement_facts,
    programme_facts,
    programmes_with_facts,
)
from stagebrug.placements.hooks import placement_ended
from stagebrug.placements.models import (
    Kind,
    Placement,
    PlacementEvent,
    PlacementProgramme,
    ProgrammeDecision,
    Status,
)
from stagebrug.placements.quality import assess
from stagebrug.placements.search import build_search_text
from stagebrug.placements.selectors import quality_input
from stagebrug.registry.models import Company, Programme, Recognition

PLACEMENT_FIELDS = {
    "location",
    "title",
    "description",
    "activities",
    "learning",
    "kind",
    "levels",
    "hours_per_week",
    "duration_weeks",
    "start_dates",
    "positions",
    "allowance_amount",
    "allowance_unit",
    "allowance_basis",
    "weekend_work",
    "weekend_wage",
    "side_job",
    "side_job_note",
    "buddy",
    "supervision_hours_per_week",
    "languages",
    "is_duo",
    "mbo_seats",
    "hbo_seats",
}
TEXT_FIELDS = ("title", "description", "learning", "side_job_note")
# What the business may do in each status (the page shows exactly these buttons).
ACTIONS_BY_STATUS = {
    Status.DRAFT: {"edit", "submit", "close"},
    Status.SUBMITTED: {"edit", "withdraw", "close"},
    Status.PUBLISHED: {"edit", "withdraw", "fill", "close"},
    Status.FILLED: set(),
    Status.CLOSED: set(),
}


def allowed_actions(placement: Placement) -> set[str]:
    return ACTIONS_BY_STATUS.get(placement.status, set())


def _require_action(placement: Placement, action: str) -> None:
    if action not in allowed_actions(placement):
        raise ValidationError(
            m.WRONG_STATUS, params={"status": placement.get_status_display().lower()}
        )


_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript:|on\w+\s*=", re.IGNORECASE)


def _event(placement: Placement, *, by: User | None, action: str, **extra: Any) -> None:
    """The placement's own history (shown to business and school), and the central audit log."""
    event = PlacementEvent.objects.create(placement=placement, actor=by, action=action, **extra)
    changes = dict(event.changes or {})
    if event.programme_id:
        changes["programme"] = event.programme_id
    if event.note:
        changes["note"] = event.note
    audit_log(actor=by, action=f"placement.{action}", obj=placement, changes=changes)


def _refuse_html(fields: dict[str, Any]) -> None:
    """Texts are plain text: refuse markup instead of silently changing what was typed."""
    errors = {}
    for name in TEXT_FIELDS:
        if isinstance(fields.get(name), str) and _HTML.search(fields[name]):
            errors[name] = [m.HTML_NOT_ALLOWED]
    activities = fields.get("activities")
    if isinstance(activities, list) and any(_HTML.search(str(a)) for a in activities):
        errors["activities"] = [m.HTML_NOT_ALLOWED]
    if errors:
        raise ValidationError(errors)


def _check_start_dates(placement: Placement) -> None:
    """New start dates lie between today and three years ahead."""
    today = timezone.localdate()
    dates = placement.start_date_objects
    if any(d < today for d in dates):
        raise ValidationError({"start_dates": [m.START_DATE_IN_PAST]})
    if any(d > today + dt.timedelta(days=3 * 365) for d in dates):
        raise ValidationError({"start_dates": [m.START_DATE_TOO_FAR]})


def _check_programmes(kind: str, is_duo: bool, programmes: Sequence[Programme]) -> None:
    if not programmes:
        raise ValidationError({"programmes": [m.PROGRAMMES_REQUIRED]})
    errors = []
    school_kinds = {p.kind for p in programmes}
    for programme in programmes:
        if not programme.is_active:
            errors.append(ValidationError(m.PROGRAMME_UNKNOWN))
    if is_duo:
        if school_kinds != {"mbo", "hbo"}:
            errors.append(ValidationError(m.DUO_NEEDS_BOTH))
    else:
        wanted = Kind.school_kind(kind)
        for programme in programmes:
            if programme.kind != wanted:
                errors.append(
                    ValidationError(
                        m.PROGRAMME_KIND_MISMATCH,
                        params={
                            "programme": programme.name,
                            "school": programme.kind.upper(),
                            "kind": wanted.upper(),
                        },
                    )
                )
    if errors:
        raise ValidationError({"programmes": errors})


def _refresh_derived(placement: Placement) -> None:
    """Search text and quality score follow every change."""
    report = assess(quality_input(placement))
    placement.quality_score = report.score
    placement.search_text = build_search_text(placement)
    terms = fit_fields(placement.search_text)
    placement.fit_keys, placement.fit_mask = terms["fit_keys"], terms["fit_mask"]
    Placement.objects.filter(pk=placement.pk).update(
        quality_score=placement.quality_score, search_text=placement.search_text, **terms
    )


def placements_refresh_company(*, company: Company) -> None:
    """The company's name and places are in the search index, and a location's PC4 gives the
    placement its coordinates and municipality: refresh both after they change."""
    placements = Placement.objects.filter(company=company).select_related(
        "company", "location__pc4"
    )
    for placement in placements:
        pc4 = placement.location.pc4
        search_text = build_search_text(placement)
        Placement.objects.filter(pk=placement.pk).update(
            search_text=search_text,
            **fit_fields(search_text),
            latitude=pc4.latitude,
            longitude=pc4.longitude,
            municipality_id=pc4.municipality_id,
        )


def _set_targets(placement: Placement, programmes: Iterable[Programme]) -> None:
    wanted = {p.pk for p in programmes}
    placement.targets.exclude(programme_id__in=wanted).delete()
    existing = set(placement.targets.values_list("programme_id", flat=True))
    PlacementProgramme.objects.bulk_create(
        [PlacementProgramme(placement=placement, programme_id=pk) for pk in wanted - existing]
    )


def placement_create(
    *, company: Company, by: User, programmes: Sequence[Programme], **fields: Any
) -> Placement:
    """A new placement, as a draft. Eligibility is checked live and enforced at submission."""
    if not perms.can_edit_company(by, company):
        raise PermissionDenied
    unknown = set(fields) - PLACEMENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    _refuse_html(fields)
    placement = Placement(company=company, created_by=by, **fields)
    errors: dict[str, list] = {}
    try:
        placement.full_clean()
        _check_start_dates(placement)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _check_programmes(fields.get("kind", ""), fields.get("is_duo", False), programmes)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        placement.save()
        _set_targets(placement, programmes)
        _event(placement, by=by, action="created")
        _refresh_derived(placement)
    return placement


def placement_update(
    *,
    placement: Placement,
    by: User,
    programmes: Sequence[Programme] | None = None,
    **fields: Any,
) -> Placement:
    """Change a placement. A change after submission sends it back to the school for approval,
    so what students see has always been checked (W18)."""
    if not perms.can_edit_company(by, placement.company):
        raise PermissionDenied
    if "edit" not in allowed_actions(placement):
        raise ValidationError(m.NOT_EDITABLE)
    unknown = set(fields) - PLACEMENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    _refuse_html(fields)
    before = {
        k: getattr(placement, k if k not in ("location", "buddy") else f"{k}_id") for k in fields
    }
    for name, value in fields.items():
        setattr(placement, name, value)
    errors: dict[str, list] = {}
    try:
        placement.full_clean()
        if "start_dates" in fields:
            _check_start_dates(placement)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    current = programmes if programmes is not None else list(placement.programmes.all())
    try:
        _check_programmes(placement.kind, placement.is_duo, current)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    after = {
        k: getattr(placement, k if k not in ("location", "buddy") else f"{k}_id") for k in fields
    }
    changes = {k: [str(before[k]), str(after[k])] for k in fields if before[k] != after[k]}
    targets_changed = programmes is not None and {p.pk for p in programmes} != set(
        placement.targets.values_list("programme_id", flat=True)
    )
    if targets_changed:
        changes["programmes"] = [
            ", ".join(sorted(placement.programmes.values_list("name", flat=True))),
            ", ".join(sorted(p.name for p in programmes)),
        ]
    if not changes:
        return placement  # saving an unchanged form changes nothing, not even the status
    with transaction.atomic():
        resubmit = placement.status in (Status.SUBMITTED, Status.PUBLISHED)
        if resubmit:
            placement.status = Status.SUBMITTED
            placement.published_at = None
        placement.save()
        if targets_changed:
            _set_targets(placement, programmes)
        _event(placement, by=by, action="updated", changes=changes)
        if resubmit:
            verdicts = _evaluate_targets(placement, reset=True)
            _raise_if_ineligible(placement, verdicts)  # rolls the whole change back
            _event(placement, by=by, action="resubmitted")
            _notify_coordinators(placement)
        _refresh_derived(placement)
    return placement


def placement_verdicts(placement: Placement) -> dict[int, list[eligibility.Verdict]]:
    """Eligibility verdicts per target programme, evaluated now."""
    company = company_facts(placement.company)
    facts = placement_facts(placement)
    programmes = programmes_with_facts(placement.targets.values_list("programme_id", flat=True))
    return {p.pk: eligibility.evaluate(facts, programme_facts(p), company) for p in programmes}


def _evaluate_targets(placement: Placement, *, reset: bool) -> dict[int, list[eligibility.Verdict]]:
    verdicts = placement_verdicts(placement)
    for target in placement.targets.all():
        target.verdicts = [v.as_dict() for v in verdicts.get(target.programme_id, [])]
        fields = ["verdicts"]
        if reset:
            target.decision = ProgrammeDecision.PENDING
            target.decided_by = None
            target.decided_at = None
            target.reason = ""
            fields += ["decision", "decided_by", "decided_at", "reason"]
        target.save(update_fields=fields)
    return verdicts


def _raise_if_ineligible(
    placement: Placement, verdicts: dict[int, list[eligibility.Verdict]]
) -> None:
    names = dict(placement.targets.values_list("programme_id", "programme__name"))
    blocked = []
    for programme_id, items in verdicts.items():
        if not eligibility.is_eligible(items):
            reasons = "; ".join(v.reason for v in items if v.status == eligibility.NOT_OK)
            blocked.append(
                ValidationError(
                    m.NOT_ELIGIBLE, params={"programme": names[programme_id], "reasons": reasons}
                )
            )
    if blocked:
        raise ValidationError({"programmes": blocked})


def placement_submit(*, placement: Placement, by: User) -> Placement:
    """Offer the placement to its programmes' schools. Refused while any programme's rules are
    not met: a placement is never offered to a programme it does not qualify for (C2)."""
    if not perms.can_edit_company(by, placement.company):
        raise PermissionDenied
    _require_action(placement, "submit")
    _raise_if_ineligible(placement, placement_verdicts(placement))
    with transaction.atomic():
        _lock(placement)  # two submits at the same moment: the second is refused
        _require_action(placement, "submit")
        placement.status = Status.SUBMITTED
        placement.submitted_at = timezone.now()
        placement.save(update_fields=["status", "submitted_at", "updated_at"])
        _evaluate_targets(placement, reset=True)
        _event(placement, by=by, action="submitted")
        _refresh_derived(placement)
        _notify_coordinators(placement)
    return placement


def placement_withdraw(*, placement: Placement, by: User) -> Placement:
    """Take the placement back to draft (from submitted or published)."""
    if not perms.can_edit_company(by, placement.company):
        raise PermissionDenied
    with transaction.atomic():
        _lock(placement)
        _require_action(placement, "withdraw")
        placement.status = Status.DRAFT
        placement.published_at = None
        placement.save(update_fields=["status", "published_at", "updated_at"])
        placement.targets.update(
            decision=ProgrammeDecision.PENDING, decided_by=None, decided_at=None
        )
        _event(placement, by=by, action="withdrawn")
        _answer_waiting_students(placement, reason=_ANSWER_WITHDRAWN)
    return placement


_ANSWER_EXPIRED = gettext_lazy(
    "The start dates of this placement have passed, so it is offline for now. Thank you for "
    "your interest; keep looking, and ask your school if you need help."
)


def placements_expire(*, today: dt.date | None = None) -> int:
    """Take published placements offline once every start date has passed, so students never
    apply for a placement that already began. The business gets an e-mail asking for new start
    dates; the placement goes back to draft, ready to be changed and submitted again.

    Idempotent: run it daily.
    """
    today = today or timezone.localdate()
    expired = 0
    candidates = Placement.objects.filter(status=Status.PUBLISHED, earliest_start__lt=today).only(
        "pk", "start_dates"
    )
    for candidate in candidates.iterator(chunk_size=500):
        dates = candidate.start_date_objects
        if max(dates, default=today) >= today:
            continue
        with transaction.atomic():
            placement = (
                Placement.objects.select_for_update().select_related("company").get(pk=candidate.pk)
            )
            if placement.status != Status.PUBLISHED:
                continue  # someone changed it in the meantime
            placement.status = Status.DRAFT
            placement.published_at = None
            placement.save(update_fields=["status", "published_at", "updated_at"])
            placement.targets.update(
                decision=ProgrammeDecision.PENDING, decided_by=None, decided_at=None
            )
            _event(placement, by=None, action="expired")
            _notify_business_expired(placement)
            _answer_waiting_students(placement, reason=_ANSWER_EXPIRED)
        expired += 1
    return expired


def _notify_business_expired(placement: Placement) -> None:
    queue_email_to_people(
        _business_people(placement),
        template="placement_expired",
        context={"placement": placement, "site": settings.SITE_URL},
    )


_ANSWER_WITHDRAWN = gettext_lazy(
    "The business took this placement offline for now. Thank you for your interest; "
    "keep looking, and ask your school if you need help."
)
_ANSWER_ENDED = gettext_lazy(
    "This placement is no longer available. Thank you for your interest, and good luck!"
)


def _lock(placement: Placement) -> None:
    """Lock the placement row and read its current status, so two people acting at the same
    moment never both change it."""
    placement.status = (
        Placement.objects.select_for_update().values_list("status", flat=True).get(pk=placement.pk)
    )


def _answer_waiting_students(placement: Placement, *, reason) -> None:
    placement_ended.call_each(placement=placement, reason=reason)


def _set_ended(
    placement: Placement, *, by: User | None, status: str, answer, note: str = ""
) -> None:
    """The one place a placement becomes filled or closed: the status, its history, and an
    answer to every student still waiting (W1). The caller holds the row lock."""
    placement.status = status
    placement.save(update_fields=["status", "updated_at"])
    _event(placement, by=by, action="filled" if status == Status.FILLED else "closed", note=note)
    _answer_waiting_students(placement, reason=answer)


def _end(placement: Placement, *, by: User, status: str) -> Placement:
    if not perms.can_edit_company(by, placement.company):
        raise PermissionDenied
    with transaction.atomic():
        _lock(placement)
        _require_action(placement, "fill" if status == Status.FILLED else "close")
        _set_ended(placement, by=by, status=status, answer=_ANSWER_ENDED)
    return placement


def placement_mark_filled(*, placement: Placement, by: User) -> Placement:
    """The business found its students elsewhere: no more applications."""
    return _end(placement, by=by, status=Status.FILLED)


def placement_close(*, placement: Placement, by: User) -> Placement:
    return _end(placement, by=by, status=Status.CLOSED)


_ANSWER_FILLED = gettext_lazy(
    "All places of this placement are filled. Thank you for your interest, and good luck!"
)


def placement_take_positions(
    *,
    placement: Placement,
    count: int,
    by: User | None,
    note: str = "",
    kind: str | None = None,
) -> Placement:
    """Confirmed internships take `count` positions of the placement: the one place where
    positions are counted. A published placement whose last position goes becomes filled.

    W21: `kind` is the students' school kind ("mbo" or "hbo"). A duo placement counts its MBO
    and HBO seats apart, so two MBO students never fill a duo: a kind without a free seat is
    refused with SEAT_TAKEN (or NO_SEAT_FOR_KIND when the duo has no seat of that kind).

    Runs in the caller's transaction and locks the placement row, so two students taking the
    last position at the same moment never both succeed: the second gets NO_PLACE_LEFT.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    with transaction.atomic():
        locked = Placement.objects.select_for_update().get(pk=placement.pk)
        if count > locked.free_positions:
            raise ValidationError(m.NO_PLACE_LEFT)
        fields = ["positions_taken", "updated_at"]
        changes: dict[str, list[int]] = {
            "positions_taken": [locked.positions_taken, locked.positions_taken + count]
        }
        if locked.is_duo:
            seat_refusal = locked.seat_refusal(kind, count=count)
            if seat_refusal is not None:
                raise ValidationError(seat_refusal)
            taken_field = f"{kind}_seats_taken"
            before = getattr(locked, taken_field)
            setattr(locked, taken_field, before + count)
            fields.append(taken_field)
            changes[taken_field] = [before, before + count]
        locked.positions_taken += count
        locked.save(update_fields=fields)
        _event(locked, by=by, action="positions_taken", note=note, changes=changes)
        if locked.free_positions == 0 and locked.status == Status.PUBLISHED:
            _set_ended(locked, by=by, status=Status.FILLED, answer=_ANSWER_FILLED, note=note)
    placement.positions_taken = locked.positions_taken
    placement.mbo_seats_taken = locked.mbo_seats_taken
    placement.hbo_seats_taken = locked.hbo_seats_taken
    placement.status = locked.status
    return placement


def can_decide(user: User, target: PlacementProgramme) -> bool:
    return perms.can_edit_institution(user, target.programme.institution)


def placement_decide(
    *, target: PlacementProgramme, by: User, approve: bool, reason: str = ""
) -> PlacementProgramme:
    """The school approves or rejects the placement for one programme. A rejection always has a
    reason the business sees. The first approval publishes the placement (C4)."""
    if not can_decide(by, target):
        raise PermissionDenied
    placement = target.placement
    if placement.status != Status.SUBMITTED and not (
        placement.status == Status.PUBLISHED and target.decision == ProgrammeDecision.PENDING
    ):
        raise ValidationError(
            m.WRONG_STATUS, params={"status": placement.get_status_display().lower()}
        )
    reason = (reason or "").strip()
    _refuse_html({"description": reason})
    if not approve and not reason:
        raise ValidationError({"reason": [m.REASON_REQUIRED]})
    if approve:
        verdicts = placement_verdicts(placement).get(target.programme_id, [])
        if not eligibility.is_eligible(verdicts):
            reasons = "; ".join(v.reason for v in verdicts if v.status == eligibility.NOT_OK)
            raise ValidationError(
                m.NOT_ELIGIBLE, params={"programme": target.programme.name, "reasons": reasons}
            )
    with transaction.atomic():
        _lock(placement)
        locked = PlacementProgramme.objects.select_for_update().get(pk=target.pk)
        if placement.status not in (Status.SUBMITTED, Status.PUBLISHED) or (
            placement.status == Status.PUBLISHED and locked.decision != ProgrammeDecision.PENDING
        ):
            raise ValidationError(
                m.WRONG_STATUS, params={"status": placement.get_status_display().lower()}
            )
        locked.decision = ProgrammeDecision.APPROVED if approve else ProgrammeDecision.REJECTED
        locked.reason = reason
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
        _event(
            placement,
            by=by,
            action="approved" if approve else "rejected",
            programme=target.programme,
            note=reason,
        )
        if approve and placement.status == Status.SUBMITTED:
            placement.status = Status.PUBLISHED
            placement.published_at = timezone.now()
            placement.save(update_fields=["status", "published_at", "updated_at"])
            _event(placement, by=by, action="published")
        _refresh_derived(placement)
        _notify_business(placement, locked)
    return locked


# --------------------------------------------------------------------------------------------
# Rules that stay true (W3, W17): an approved placement is checked again when what its
# eligibility rests on changes, and daily for recognitions that ended.

#: Whose verdicts a change refreshes: pending ones too, so the school decides on today's facts.
RECHECKED = (ProgrammeDecision.APPROVED, ProgrammeDecision.PAUSED, ProgrammeDecision.PENDING)


def placement_recheck(*, placement: Placement) -> dict[str, list[PlacementProgramme]]:
    """Evaluate the placement's programmes again. An approved programme whose rules are no
    longer met is paused (off offer for that programme, with the reason and the fix); a paused
    one whose rules are met again is approved again. Business and school are told of each
    change; pending programmes get fresh verdicts. Returns {"paused": [...], "resumed": [...]}.
    """
    changed: dict[str, list[PlacementProgramme]] = {"paused": [], "resumed": []}
    with transaction.atomic():
        _lock(placement)  # the placement row first, as every other write path takes them
        targets = list(
            PlacementProgramme.objects.select_for_update()
            .filter(placement=placement)
            .select_related("programme__institution")
        )
        if not targets:
            return changed
        verdicts = placement_verdicts(placement)
        for target in targets:
            items = verdicts.get(target.programme_id, [])
            target.verdicts = [v.as_dict() for v in items]
            fields = ["verdicts"]
            eligible = eligibility.is_eligible(items)
            on_offer = placement.status == Status.PUBLISHED
            action = None
            if on_offer and target.decision == ProgrammeDecision.APPROVED and not eligible:
                target.decision, action = ProgrammeDecision.PAUSED, "paused"
            elif target.decision == ProgrammeDecision.PAUSED and eligible:
                target.decision, action = ProgrammeDecision.APPROVED, "resumed"
            if action:
                changed[action].append(target)
                fields.append("decision")
                reasons = "; ".join(v.reason for v in items if v.status == eligibility.NOT_OK)
                _event(placement, by=None, action=action, programme=target.programme, note=reasons)
            target.save(update_fields=fields)
        if changed["paused"] or changed["resumed"]:
            _refresh_derived(placement)
    for action, moved in changed.items():
        for target in moved:
            _notify_rules_changed(placement, target, action)
    return changed


def _recheck_each(**target_filter: Any) -> int:
    """`placement_recheck` for every placement with a programme in RECHECKED matching the
    filter; how many programmes were paused or approved again."""
    placements = Placement.objects.filter(targets__decision__in=RECHECKED, **target_filter)
    return sum(
        len(moved)
        for placement in placements.distinct().select_related("company")
        for moved in placement_recheck(placement=placement).values()
    )


def placements_recheck_company(*, company: Company) -> int:
    """`registry.company_rules_changed`: the company, its supervisors or its recognitions
    changed. Returns how many programmes were paused or approved again."""
    return _recheck_each(company=company)


def placements_recheck_programme(*, programme: Programme) -> int:
    """`registry.programme_rules_changed`: the programme's requirements changed."""
    return _recheck_each(targets__programme=programme)


#: Days before a recognition ends that its company is warned (W3).
RECOGNITION_WARNINGS = (90, 30)
#: A recognition that ended this many days ago or less is checked again by the daily run (so a
#: day the job did not run is caught up).
ENDED_LOOKBACK_DAYS = 7


def recognitions_daily(*, today: dt.date | None = None) -> dict[str, int]:
    """Every day (W3): a company whose recognition ended lately has its placements checked
    again (paused where it was the only one); a company whose recognition ends in 90 or 30
    days is warned once for each, with what to do. Idempotent."""
    today = today or timezone.localdate()
    ended = Recognition.objects.filter(
        valid_until__lt=today,
        valid_until__gte=today - dt.timedelta(days=ENDED_LOOKBACK_DAYS),
        company__placements__targets__decision=ProgrammeDecision.APPROVED,
    )
    changed = sum(
        placements_recheck_company(company=company)
        for company in Company.objects.filter(pk__in=ended.values("company_id"))
    )
    warned = 0
    for days in sorted(RECOGNITION_WARNINGS):  # nearest first: a late start sends only that one
        due = (
            Recognition.objects.filter(
                valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=days)
            )
            .exclude(expiry_warned_days__lte=days)
            .select_related("company", "qualification")
            .order_by("pk")
        )
        for recognition in due:
            # A company that renewed already (another recognition for the same qualification
            # runs on) needs no warning.
            renewed = Recognition.objects.filter(
                company_id=recognition.company_id,
                qualification_id=recognition.qualification_id,
                level=recognition.level,
                valid_from__lte=recognition.valid_until + dt.timedelta(days=1),
                valid_until__gt=recognition.valid_until,
            ).exists()
            updated = (
                Recognition.objects.filter(pk=recognition.pk)
                .exclude(expiry_warned_days__lte=days)
                .update(expiry_warned_days=days)
            )
            if not updated or renewed:
                continue
            queue_email_to_people(
                company_people([recognition.company_id]).get(recognition.company_id, []),
                template="recognition_ending",
                context={
                    "recognition": recognition,
                    "company": recognition.company,
                    "days": (recognition.valid_until - today).days,
                    "site": settings.SITE_URL,
                },
            )
            warned += 1
    return {"rechecked": changed, "warned": warned}


def _notify_rules_changed(placement: Placement, target: PlacementProgramme, action: str) -> None:
    """The business (who can fix it) and the programme's coordinators (who approved it)."""
    coordinators = User.objects.filter(
        memberships__role=Role.SCHOOL_COORDINATOR,
        memberships__institution_id=target.programme.institution_id,
    ).distinct()
    fixes = [v for v in target.verdicts if v.get("status") == eligibility.NOT_OK]
    context = {
        "placement": placement,
        "target": target,
        "problems": fixes,
        "action": action,
        "site": settings.SITE_URL,
    }
    queue_email_to_people(
        _business_people(placement), template="placement_rules_business", context=context
    )
    queue_email_to_people(coordinators, template="placement_rules_school", context=context)


def _notify_coordinators(placement: Placement) -> None:
    institution_ids = set(placement.targets.values_list("programme__institution_id", flat=True))
    coordinators = User.objects.filter(
        memberships__role=Role.SCHOOL_COORDINATOR,
        memberships__institution_id__in=institution_ids,
    ).distinct()
    queue_email_to_people(
        coordinators,
        template="placement_submitted",
        context={"placement": placement, "company": placement.company, "site": settings.SITE_URL},
    )


def _business_people(placement: Placement) -> list[User]:
    return company_people([placement.company_id]).get(placement.company_id, [])


def _notify_business(placement: Placement, target: PlacementProgramme) -> None:
    queue_email_to_people(
        _business_people(placement),
        template="placement_decided",
        context={"placement": placement, "target": target, "site": settings.SITE_URL},
    )
