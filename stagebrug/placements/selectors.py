"""Reads for placements, with joins and permission filters built in."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.placements.eligibility import CompanyFacts, SupervisorFacts, qualified_supervisor
from stagebrug.placements.facts import placement_facts, programme_facts
from stagebrug.placements.models import (
    AllowanceBasis,
    AllowanceGuidance,
    AllowanceUnit,
    Placement,
    PlacementProgramme,
    ProgrammeDecision,
    Status,
)
from stagebrug.placements.quality import Guidance, QualityInput, month_conversion
from stagebrug.registry.models import Programme, Supervisor

PLACEMENT_JOINS = ("company", "location", "location__pc4", "municipality", "buddy")


def approved_targets() -> Prefetch:
    return Prefetch(
        "targets",
        queryset=PlacementProgramme.objects.filter(decision=ProgrammeDecision.APPROVED)
        .select_related("programme__institution")
        .order_by("programme__name"),
        to_attr="approved_targets",
    )


def all_targets() -> Prefetch:
    return Prefetch(
        "targets",
        queryset=PlacementProgramme.objects.select_related(
            "programme__institution", "decided_by"
        ).order_by("programme__name"),
        to_attr="all_targets",
    )


def company_placements(*, company) -> QuerySet[Placement]:
    return (
        Placement.objects.filter(company=company)
        .select_related(*PLACEMENT_JOINS)
        .prefetch_related(all_targets())
        .order_by("-updated_at", "-id")
    )


def placement_for_editor(*, user: User, pk: int) -> Placement | None:
    """A placement this user may manage (its company's owners and colleagues, operators)."""
    placement = (
        Placement.objects.select_related(*PLACEMENT_JOINS, "company__sector")
        .prefetch_related(all_targets())
        .filter(pk=pk)
        .first()
    )
    if placement is None or not perms.can_view_company_private(user, placement.company):
        return None
    return placement


def placement_to_edit(*, user: User, pk: int) -> Placement:
    """The placement `user` may change: 404 for people of other companies, 403 for people of
    its own company who may look but not change (workplace supervisors)."""
    placement = placement_for_editor(user=user, pk=pk)
    if placement is None:
        raise Http404
    if not perms.can_edit_company(user, placement.company):
        raise PermissionDenied
    return placement


def placement_public(*, pk: int) -> Placement | None:
    return (
        Placement.objects.select_related(*PLACEMENT_JOINS, "company__sector")
        .prefetch_related(approved_targets())
        .filter(pk=pk, status=Status.PUBLISHED)
        .first()
    )


def published_placements() -> QuerySet[Placement]:
    """Published placements offered to at least one programme: one paused for every programme
    it was approved for (W3) is left out of feeds and exports until it is fixed."""
    return (
        Placement.objects.filter(status=Status.PUBLISHED)
        .filter(
            Exists(
                PlacementProgramme.objects.filter(
                    placement=OuterRef("pk"), decision=ProgrammeDecision.APPROVED
                )
            )
        )
        .select_related(*PLACEMENT_JOINS, "company__sector")
        .prefetch_related(approved_targets())
        .order_by("-published_at", "-id")
    )


def review_queue(
    *, user: User, institution, decision: str | None = None
) -> QuerySet[PlacementProgramme]:
    """Targets of this institution's programmes, for its coordinators (C2 approval)."""
    qs = (
        PlacementProgramme.objects.filter(programme__institution=institution)
        .exclude(placement__status=Status.DRAFT)
        .select_related(
            "programme",
            "placement__company",
            "placement__location",
            "placement__municipality",
            "decided_by",
        )
        .order_by("decision", "-placement__submitted_at", "-id")
    )
    if decision:
        qs = qs.filter(decision=decision)
    return qs


def guidance_for(*, kind: str, levels, hours_per_week: int | None) -> Guidance | None:
    """The allowance guidance for the lowest level the placement suits, per month (W5, W22),
    with its basis (gross or net) and, for an hourly guidance, the conversion shown."""
    if not levels:
        return None
    row = (
        AllowanceGuidance.objects.filter(kind=kind, level__in=list(levels))
        .order_by("level")
        .first()
    )
    if row is None:
        return None
    conversion = ""
    if row.unit == AllowanceUnit.HOUR:
        per_month, conversion = month_conversion(row.amount, hours_per_week)
        label = f"€ {row.amount} {row.get_unit_display()} {row.get_basis_display()}"
    else:
        per_month = row.amount
        label = f"€ {row.amount:.0f} {row.get_unit_display()} {row.get_basis_display()}"
    return Guidance(
        per_month=per_month.quantize(Decimal("1")),
        label=label,
        source=row.source,
        basis=row.basis,
        conversion=conversion,
    )


def quality_input(placement: Placement | dict) -> QualityInput:
    """Quality facts from a saved placement or from the form's data while typing."""
    from stagebrug.placements.models import Kind

    if isinstance(placement, Placement):
        data = {
            f: getattr(placement, f)
            for f in (
                "title",
                "description",
                "activities",
                "learning",
                "kind",
                "levels",
                "hours_per_week",
                "weekend_work",
                "weekend_wage",
                "side_job",
                "allowance_amount",
                "allowance_unit",
                "allowance_basis",
            )
        }
        data["monthly_allowance"] = placement.allowance_per_month()
        data["has_buddy"] = placement.buddy_id is not None
    else:
        data = placement
    kind = data.get("kind") or Kind.MBO_BOL
    conversion = ""
    if data.get("allowance_unit") == AllowanceUnit.HOUR and data.get("allowance_amount"):
        _month, conversion = month_conversion(
            Decimal(data["allowance_amount"]), data.get("hours_per_week")
        )
    return QualityInput(
        title=data.get("title") or "",
        description=data.get("description") or "",
        activities=[a for a in data.get("activities") or [] if a],
        learning=data.get("learning") or "",
        school_kind=Kind.school_kind(kind),
        levels=list(data.get("levels") or []),
        monthly_allowance=Decimal(data.get("monthly_allowance") or 0),
        weekend_work=bool(data.get("weekend_work")),
        weekend_wage=bool(data.get("weekend_wage")),
        side_job=bool(data.get("side_job")),
        has_buddy=bool(data.get("has_buddy")),
        allowance_basis=data.get("allowance_basis") or AllowanceBasis.GROSS,
        allowance_conversion=conversion,
        guidance=guidance_for(
            kind=kind, levels=data.get("levels") or [], hours_per_week=data.get("hours_per_week")
        ),
    )


def workplace_supervisors(
    pairs: Iterable[tuple[Placement, Programme]],
) -> dict[tuple[int, int], int | None]:
    """Per (placement id, programme id): the supervisor whose background made the placement
    eligible for that programme (W17), else the placement's buddy. One query for the
    supervisors of all the placements' companies, whatever the number of pairs."""
    pairs = list(pairs)
    company_ids = {placement.company_id for placement, _programme in pairs}
    supervisors: dict[int, list[SupervisorFacts]] = {}
    for s in Supervisor.objects.filter(company_id__in=sorted(company_ids)).order_by("pk"):
        supervisors.setdefault(s.company_id, []).append(
            SupervisorFacts(
                id=s.pk,
                name=s.name,
                education_level=s.education_level,
                education_sector=s.education_sector,
            )
        )
    out: dict[tuple[int, int], int | None] = {}
    for placement, programme in pairs:
        company = CompanyFacts(
            employee_count=0, supervisors=tuple(supervisors.get(placement.company_id, ()))
        )
        chosen = qualified_supervisor(
            placement_facts(placement), programme_facts(programme), company
        )
        out[placement.pk, programme.pk] = chosen or placement.buddy_id
    return out
