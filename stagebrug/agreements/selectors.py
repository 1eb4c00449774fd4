"""Reads of agreements, with their joins built in: the agreement page costs the same number
of queries however many versions and signatures it has."""

from __future__ import annotations

import re

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from stagebrug.accounts.models import User
from stagebrug.agreements import permissions as can
from stagebrug.agreements.models import Agreement, BirthDate, Signature, Status, Version
from stagebrug.internships.models import Internship
from stagebrug.internships.selectors import internship_for
from stagebrug.registry.models import Institution

INTERNSHIP_JOINS = (
    "internship__student",
    "internship__placement__company",
    "internship__programme__requirements",
    "internship__programme__qualification",
    "internship__programme__institution",
    "internship__institution",
    "internship__supervisor",
    "internship__buddy",
    "internship__school_supervisor",
)


def _with_versions(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return qs.select_related(*INTERNSHIP_JOINS).prefetch_related(
        Prefetch(
            "versions",
            queryset=Version.objects.order_by("number").prefetch_related(
                Prefetch("signatures", queryset=Signature.objects.order_by("signed_at", "id"))
            ),
        )
    )


def agreement_for(*, user: User, internship_pk: int) -> Agreement | None:
    """The agreement of an internship `user` plays a part in, with its versions and their
    signatures; None when there is none or the user has no part (a 404)."""
    agreement = _with_versions(Agreement.objects.filter(internship_id=internship_pk)).first()
    if agreement is None or not can.can_view(user, agreement):
        return None
    return agreement


def shown_version(agreement: Agreement) -> Version:
    """The version a party looks at: the one being drafted or signed, else the one signed
    last (from the prefetched versions)."""
    versions = list(agreement.versions.all())
    open_ones = [v for v in versions if v.state in (Version.State.DRAFT, Version.State.SIGNING)]
    signed = [v for v in versions if v.state == Version.State.SIGNED]
    return (open_ones or signed or versions)[-1]


def internship_without_agreement(*, user: User, internship_pk: int) -> Internship | None:
    """An internship confirmed before agreements existed, for the school to draft one."""
    internship = internship_for(user=user, pk=internship_pk)
    if internship is None or Agreement.objects.filter(internship=internship).exists():
        return None
    return internship


def school_agreements(
    *, institution: Institution, status: str | None = None, attention: bool = False
) -> QuerySet[Agreement]:
    """A school's agreements for its coordinators: those needing attention first, then by
    deadline and start."""
    qs = Agreement.objects.filter(internship__institution=institution)
    if status:
        qs = qs.filter(status=status)
    if attention:
        qs = qs.filter(status__in=[Status.SIGNING, Status.AMENDING], deadline__lt=timezone.now())
    return qs.select_related(
        "internship__student", "internship__placement__company", "internship__programme"
    ).order_by(
        F("attention_since").asc(nulls_last=True),
        F("deadline").asc(nulls_last=True),
        "-internship__start_date",
        "pk",
    )


def personal_data(*, user: User) -> dict:
    """The agreements' part of a person's data export: their date of birth (if given) and
    what they signed."""
    birth = BirthDate.objects.filter(user=user).first()
    return {
        "date_of_birth": birth.date.isoformat() if birth else None,
        "signatures": [
            {
                "agreement": str(s.version.agreement),
                "version": s.version.number,
                "party": s.party,
                "name": s.name,
                "signed_at": s.signed_at.isoformat(),
                "hash": s.content_hash,
            }
            for s in Signature.objects.filter(user=user).select_related(
                "version__agreement__internship__placement"
            )
        ],
    }


_CODE = re.compile(r"SB-(\d{1,12})-([0-9A-F]{12})")


def version_by_code(code: str) -> Version | None:
    """The version a PDF's verification code names, if its hash starts as the code says (a
    code that was changed matches nothing), with its signatures."""
    match = _CODE.fullmatch((code or "").strip().upper())
    if match is None:
        return None
    version = (
        Version.objects.exclude(content_hash="")
        .select_related("agreement__internship__institution")
        .prefetch_related("signatures")
        .filter(pk=int(match[1]))
        .first()
    )
    if version is None or not version.content_hash.upper().startswith(match[2]):
        return None
    return version
