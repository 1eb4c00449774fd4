"""The PDF people keep: every page renders (pdftoppm), the parties' names and the hash are in
it, and the verification page accepts its code and refuses a changed one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from stagebrug.agreements import services
from stagebrug.agreements.pdf import render_pdf
from tests.agreements.conftest import signed_by_everyone

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (make system-deps)"),
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pdf_renders_with_the_parties_and_the_hash(internship, personas, tmp_path, language):
    agreement = signed_by_everyone(internship, personas)
    version = services.signed_version(agreement)
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(render_pdf(agreement, version, language=language))
    assert pdf.read_bytes().startswith(b"%PDF-")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / f"agreement-{language}"
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(prefix)], check=True, timeout=60)
    pages = sorted(ARTIFACTS.glob(f"agreement-{language}-*.png"))
    assert len(pages) >= 3
    assert all(p.stat().st_size > 5_000 for p in pages)  # not blank

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())
    for name in (
        personas.student.full_name,
        personas.owner.full_name,
        personas.coordinator.full_name,
    ):
        assert name in text
    assert internship.placement.company.name in text
    assert version.content_hash in flat  # the hash, perhaps wrapped over two lines
    assert version.code in flat
    heading = {"nl": "Handtekeningen", "en": "Signatures"}[language]
    assert heading in text


def test_the_verification_page_accepts_the_pdfs_code_and_refuses_a_changed_one(
    client, internship, personas
):
    agreement = signed_by_everyone(internship, personas)
    version = services.signed_version(agreement)
    page = client.get("/overeenkomst-controleren/", {"code": version.code}).content.decode()
    assert version.content_hash in page
    changed = version.code[:-1] + ("0" if version.code[-1] != "0" else "1")
    for code in (changed, f"SB-{version.pk + 1}-{version.code[-12:]}", "SB-1", "nonsense"):
        page = client.get("/overeenkomst-controleren/", {"code": code}).content.decode()
        assert version.content_hash not in page, code
        assert "utrecht-alert--error" in page, code
