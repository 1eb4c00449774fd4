"""How placements travel (C4, W12, W16): schema.org JobPosting for search engines and job
boards, share links for social media, and a CSV for Stagemarkt-style job boards."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.utils.translation import gettext as _

from stagebrug.placements.eligibility import covers
from stagebrug.placements.facts import programme_facts, recognition_facts
from stagebrug.placements.models import AllowanceUnit, Kind, Placement, ProgrammeDecision, Status

EMPLOYMENT_TYPE = "INTERN"


def job_posting(placement: Placement, *, url: str) -> dict[str, Any]:
    """schema.org JobPosting (https://schema.org/JobPosting) with employment type INTERN."""
    company = placement.company
    location = placement.location
    start = placement.start_date_objects
    programmes = [t.programme for t in getattr(placement, "approved_targets", [])]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": placement.title,
        "description": "\n".join(
            [
                placement.description,
                "",
                _("Activities") + ":",
                *["- " + a for a in placement.activities],
            ]
        ),
        "identifier": {"@type": "PropertyValue", "name": "Stagebrug", "value": str(placement.pk)},
        "datePosted": (placement.published_at or placement.created_at).date().isoformat(),
        "validThrough": (
            start[-1] if start else dt.date.today() + dt.timedelta(days=90)
        ).isoformat(),
        "employmentType": EMPLOYMENT_TYPE,
        "hiringOrganization": {
            "@type": "Organization",
            "name": company.name,
            **({"sameAs": company.website} if company.website else {}),
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": f"{location.street} {location.house_number}",
                "addressLocality": location.city,
                "postalCode": location.postcode,
                "addressRegion": placement.municipality.name if placement.municipality else "",
                "addressCountry": "NL",
            },
        },
        "responsibilities": "; ".join(placement.activities),
        "workHours": _("%(h)s hours per week") % {"h": placement.hours_per_week},
        "educationRequirements": "; ".join(f"{p.name} ({p.level_label})" for p in programmes),
        "industry": company.sector.name_nl if company.sector_id else "",
        "directApply": False,
        "url": url,
    }
    if start:
        data["jobStartDate"] = start[0].isoformat()
    if placement.allowance_amount and placement.allowance_amount > 0:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {
                "@type": "QuantitativeValue",
                "value": float(placement.allowance_amount),
                "unitText": "HOUR" if placement.allowance_unit == AllowanceUnit.HOUR else "MONTH",
            },
        }
    if placement.learning:
        data["skills"] = placement.learning
    return data


_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_for_script(data: dict[str, Any]) -> str:
    """JSON that is safe inside <script>: no text a business typed can close the element."""
    import json

    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def share_links(placement: Placement, *, url: str) -> dict[str, str]:
    text = f"{placement.title} – {placement.company.name}"
    return {
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(url, safe=""),
        "whatsapp": "https://wa.me/?text=" + quote(f"{text} {url}", safe=""),
        "email": "mailto:?subject=" + quote(text) + "&body=" + quote(url),
    }


# The Stagemarkt-style CSV (W12). One row per published MBO placement and approved programme the
# company holds a valid SBB recognition for. Documented in docs/placements.md.
COLUMNS = [
    "leerbedrijf_id",
    "kvk_nummer",
    "bedrijfsnaam",
    "vestiging_straat",
    "vestiging_postcode",
    "vestiging_plaats",
    "crebo",
    "kwalificatie",
    "niveau",
    "leerweg",
    "titel",
    "omschrijving",
    "werkzaamheden",
    "uren_per_week",
    "duur_weken",
    "startdatum",
    "aantal_plaatsen",
    "vergoeding_euro",
    "vergoeding_per",
    "bijbaan_mogelijk",
    "url",
]


def stagemarkt_rows(*, company, today: dt.date, base_url: str = "") -> list[list[Any]]:
    from django.conf import settings

    base_url = base_url or settings.SITE_URL
    recognitions = [
        (r, recognition_facts(r)) for r in company.recognitions.select_related("qualification")
    ]
    placements = (
        company.placements.filter(status=Status.PUBLISHED, kind__in=[Kind.MBO_BOL, Kind.MBO_BBL])
        .select_related("location")
        .prefetch_related("targets__programme__qualification", "targets__programme__requirements")
        .order_by("id")
    )
    rows = []
    for placement in placements:
        start = placement.start_date_objects[0] if placement.start_dates else today
        for target in placement.targets.all():
            programme = target.programme
            q = programme.qualification
            if target.decision != ProgrammeDecision.APPROVED or q is None:
                continue
            # The same rule as eligibility (W3): crebo or dossier and level, valid on the start.
            facts = programme_facts(programme)
            recognition = next(
                (
                    r
                    for r, rf in recognitions
                    if covers(rf, facts) and rf.valid_from <= start <= rf.valid_until
                ),
                None,
            )
            if recognition is None:
                continue
            rows.append(
                [
                    recognition.leerbedrijf_id,
                    company.kvk_number,
                    company.name,
                    f"{placement.location.street} {placement.location.house_number}",
                    placement.location.postcode,
                    placement.location.city,
                    q.crebo,
                    q.name,
                    q.level,
                    "BBL" if placement.kind == Kind.MBO_BBL else "BOL",
                    placement.title,
                    placement.description,
                    " | ".join(placement.activities),
                    placement.hours_per_week,
                    placement.duration_weeks,
                    start.isoformat(),
                    placement.positions,
                    f"{placement.allowance_amount:.2f}",
                    "uur" if placement.allowance_unit == AllowanceUnit.HOUR else "maand",
                    "ja" if placement.side_job else "nee",
                    base_url + placement.get_absolute_url(),
                ]
            )
    return rows
