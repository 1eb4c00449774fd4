"""Reads for the registry: querysets with their joins and permission filters built in.

List selectors select_related everything a list row shows, so a page costs the same number of
queries whatever the number of rows.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.models import User
from stagebrug.registry.models import (
    Company,
    Institution,
    Municipality,
    Programme,
    Qualification,
    Requirements,
    Supervisor,
)


def _words(q: str | None) -> list[str]:
    return [w for w in (q or "").split() if w][:8]


def company_public_list(
    *, q: str | None = None, municipality: str | None = None, sector: str | None = None
) -> QuerySet[Company]:
    """Companies that chose to be in the public directory."""
    qs = Company.objects.filter(is_public=True).select_related("pc4__municipality", "sector")
    for word in _words(q):
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if municipality:
        # Resolve the (small) municipality table first, so the big table is filtered on its
        # indexed foreign key instead of a case-insensitive join.
        codes = list(
            Municipality.objects.filter(
                Q(name__iexact=municipality) | Q(code=municipality)
            ).values_list("code", flat=True)
        )
        qs = qs.filter(pc4__municipality__in=codes)
    if sector:
        qs = qs.filter(Q(sector__code=sector) | Q(sector__parent__code=sector))
    return qs.order_by("name", "id")


def company_visible_list(*, user: User) -> QuerySet[Company]:
    """Companies whose private pages this user may see (their own, or all for operators)."""
    qs = Company.objects.select_related("pc4__municipality", "sector")
    if perms.is_operator(user):
        return qs
    return qs.filter(pk__in=perms.company_ids(user))


def company_get_for_view(*, user: User, pk: int) -> Company | None:
    """A company the user may see; None when it does not exist or is not theirs to see."""
    company = Company.objects.select_related("pc4__municipality", "sector").filter(pk=pk).first()
    if company is None or not perms.can_view_company(user, company):
        return None
    return company


def institution_list() -> QuerySet[Institution]:
    return Institution.objects.order_by("name")


def programme_list(
    *,
    q: str | None = None,
    institution: Institution | str | None = None,
    kind: str | None = None,
    sector: str | None = None,
    level: int | None = None,
    active_only: bool = True,
) -> QuerySet[Programme]:
    """Programmes with institution, codes and requirements joined; searchable by words that
    appear in the name, the qualification or CROHO name, or what students learn (W15)."""
    qs = Programme.objects.select_related("institution", "qualification", "croho", "requirements")
    if active_only:
        qs = qs.filter(is_active=True)
    for word in _words(q):
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(qualification__name__icontains=word)
            | Q(qualification__dossier_name__icontains=word)
            | Q(croho__name__icontains=word)
            | Q(qualification__crebo=word)
            | Q(croho__code=word)
        )
    if institution:
        if isinstance(institution, Institution):
            qs = qs.filter(institution=institution)
        else:
            qs = qs.filter(Q(institution__slug=institution) | Q(institution__brin=institution))
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(sector=sector)
    if level:
        qs = qs.filter(mbo_level=level)
    return qs.order_by("name", "institution__name", "id")


def qualification_list(
    *, q: str | None = None, level: int | None = None, sector_chamber: str | None = None
) -> QuerySet[Qualification]:
    qs = Qualification.objects.all()
    for word in _words(q):
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(crebo=word)
            | Q(dossier_crebo=word)
            | Q(dossier_name__icontains=word)
        )
    if level:
        qs = qs.filter(level=level)
    if sector_chamber:
        qs = qs.filter(sector_chamber__icontains=sector_chamber)
    return qs.order_by("name", "crebo")


def requirements_for(programme: Programme) -> Requirements:
    """A programme's placement requirements; empty (unsaved) ones when none are set yet, so a
    GET never writes (the service creates them on the first save)."""
    return Requirements.objects.filter(programme=programme).first() or Requirements(
        programme=programme
    )


def company_to_edit(*, user: User, pk: int, edit: bool = True) -> Company:
    """The company `user` belongs to: 404 for strangers, 403 for people who may look but not
    change it (workplace supervisors) when `edit`."""
    company = Company.objects.select_related("pc4__municipality", "sector").filter(pk=pk).first()
    if company is None or not perms.can_view_company_private(user, company):
        raise Http404
    if edit and not perms.can_edit_company(user, company):
        raise PermissionDenied
    return company


def personal_data(*, user: User) -> dict:
    """The registry's part of a person's data export: where they are a workplace supervisor."""
    return {
        "supervisor_records": [
            {"company": s.company.name, "name": s.name, "email": s.email, "phone": s.phone}
            for s in Supervisor.objects.filter(user=user).select_related("company")
        ]
    }
