"""The agreement as a document people keep: a PDF of one version (WeasyPrint), in Dutch or
English, with an audit page (signers, times, hash) and the code anyone can check on Stagebrug's
verification page."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from stagebrug.agreements.facts import facts_for
from stagebrug.agreements.models import Agreement, Version
from stagebrug.agreements.sections import SECTIONS, rows, section_data

LANGUAGES = ("nl", "en")


def document_context(agreement: Agreement, version: Version) -> dict:
    """What the page of a version and its PDF show: every section's rows, the parties, the
    signatures."""
    facts = facts_for(agreement.internship, version.content)
    sections = [
        {
            "key": s.key,
            "title": s.title,
            "owner": s.owner,
            "rows": rows(s, section_data(version.content, s.key), facts),
        }
        for s in SECTIONS
    ]
    return {
        "agreement": agreement,
        "version": version,
        "parties": version.content.get("parties") or {},
        "sections": sections,
        "notes": section_data(version.content, "approach").get("notes") or [],
        "shares_notes": bool(section_data(version.content, "approach").get("share_notes")),
        "signatures": list(version.signatures.all()),
        "verify_url": f"{settings.SITE_URL}/overeenkomst-controleren/",
        "printed_at": timezone.localtime(),
    }


def render_pdf(agreement: Agreement, version: Version, *, language: str = "nl") -> bytes:
    from weasyprint import HTML

    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            "agreements/pdf.html", {**document_context(agreement, version), "language": language}
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
