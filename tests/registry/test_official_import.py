"""Importing the official files (W3, W15): DUO's programmes per institution and SBB's
recognised companies, all-or-nothing, naming the bad line, and idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from stagebrug.core.models import AuditEvent
from stagebrug.placements.models import ProgrammeDecision
from stagebrug.placements.routing import profiles_from_db
from stagebrug.registry import official
from stagebrug.registry.models import Programme, Recognition

pytestmark = pytest.mark.django_db

ROC = "25PZ"  # ROC van Amsterdam, on Stagebrug
INHOLLAND = "27PZ"
ELSEWHERE = "01AB"  # a school that has not joined
KAPPER, ALLROUND_KAPPER, KOK = "25641", "25399", "25180"

DUO_HEADER = "BRIN NUMMER;INSTELLINGSNAAM;OPLEIDINGSCODE;OPLEIDINGSNAAM;LEERWEG;VESTIGINGSPLAATS"


def write(tmp_path, name: str, *lines: str):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def duo_file(tmp_path, *rows: str):
    return write(tmp_path, "duo.csv", DUO_HEADER, *rows)


def run(*args) -> str:
    out = StringIO()
    call_command("import_official", *map(str, args), stdout=out)
    return out.getvalue()


# --- DUO: programmes per institution ---


def test_a_new_programme_of_a_school_on_stagebrug_is_added_and_routable(reference_data, tmp_path):
    path = duo_file(
        tmp_path,
        f"{ROC};ROC van Amsterdam;{KAPPER};Kapper;BOL;AMSTERDAM",
        f"{ROC};ROC van Amsterdam;{KAPPER};Kapper;BBL;AMSTERDAM",  # the same, another path
        f"{ROC};ROC van Amsterdam;{KOK};Kok;BOL;AMSTERDAM",  # it already has Kok
        f"{ELSEWHERE};ROC Elders;{KAPPER};Kapper;BOL;ELDERS",
    )
    report = official.import_programmes(path)
    # Kapper is new (two lines, one programme); Kok it already had; the other school is not here.
    assert (report.created, report.updated, report.unchanged, report.skipped) == (1, 0, 1, 1)
    kapper = Programme.objects.get(institution__brin=ROC, qualification_id=KAPPER)
    assert kapper.is_active and kapper.mbo_level == 2
    assert kapper.learning_paths == "bol,bbl" and kapper.city == "Amsterdam"
    assert hasattr(kapper, "requirements")
    assert AuditEvent.objects.filter(action="programme.import").exists()
    # Routing now names the school for the qualification.
    profile = next(
        p for p in profiles_from_db("register") if f"crebo:{KAPPER}" in (p.key, *p.aliases)
    )
    assert kapper.pk in profile.programme_ids


def test_the_same_file_twice_changes_nothing(reference_data, tmp_path):
    path = duo_file(
        tmp_path,
        f"{ROC};ROC van Amsterdam;{KAPPER};Kapper;BOL;AMSTERDAM",
        f"{ELSEWHERE};ROC Elders;{KAPPER};Kapper;BOL;ELDERS",
    )
    first = run("--programmes", path)
    assert "Programmes: 1 new" in first
    count, events = Programme.objects.count(), AuditEvent.objects.count()
    second = run("--programmes", path)
    assert "Programmes: 0 new, 0 updated, 1 unchanged, 1 skipped" in second
    assert (Programme.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_an_hbo_list_adds_a_croho_programme(reference_data, tmp_path):
    path = write(
        tmp_path,
        "ho.csv",
        "croho_isat,naam,niveau,plaats,vorm,onderdeel,rio_opleidingseenheidcode,instellingscode",
        f"34267,Informatica,bachelor,HAARLEM,voltijd,TECHNIEK,1001O1,{INHOLLAND}",
    )
    assert official.import_programmes(path).created == 1
    programme = Programme.objects.get(institution__brin=INHOLLAND, croho_id="34267")
    assert programme.kind == "hbo" and programme.learning_paths == "fulltime"
    assert programme.city == "Haarlem"


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (f"{ROC};ROC van Amsterdam;99999;Onbekend;BOL;AMSTERDAM", "line 3: 99999 is neither"),
        (f"{ROC};ROC van Amsterdam;2564;Kapper;BOL;AMSTERDAM", "line 3: '2564' is not a 5-digit"),
        (f"25-PZ;ROC van Amsterdam;{KAPPER};Kapper;BOL;AMSTERDAM", "line 3: '25-PZ' is not a BRIN"),
        (f"{ROC};ROC van Amsterdam;{KAPPER};Kapper;AVOND;AMSTERDAM", "line 3: unknown learning"),
        (f"{ROC};ROC van Amsterdam;;Kapper;BOL;AMSTERDAM", "line 3: code is empty"),
        (f"{INHOLLAND};Inholland;{KAPPER};Kapper;voltijd;HAARLEM", "line 3: Hogeschool"),
        (f"{ROC};ROC van Amsterdam", "line 3: 2 fields"),
    ],
)
def test_one_bad_line_writes_nothing_and_is_named(reference_data, tmp_path, bad_row, message):
    path = duo_file(tmp_path, f"{ROC};ROC van Amsterdam;{KAPPER};Kapper;BOL;AMSTERDAM", bad_row)
    before = Programme.objects.count()
    with pytest.raises(CommandError) as error:
        run("--programmes", path)
    assert "Nothing was imported" in str(error.value)
    assert message in str(error.value)
    assert Programme.objects.count() == before


def test_a_file_without_the_code_column_is_refused(reference_data, tmp_path):
    path = write(tmp_path, "duo.csv", "BRIN NUMMER;NAAM", f"{ROC};ROC van Amsterdam")
    with pytest.raises(official.ImportFileError, match="line 1: no column 'OPLEIDINGSCODE'"):
        official.import_programmes(path)


def test_a_dry_run_reports_and_writes_nothing(reference_data, tmp_path):
    path = duo_file(tmp_path, f"{ROC};ROC van Amsterdam;{KAPPER};Kapper;BOL;AMSTERDAM")
    before = Programme.objects.count()
    output = run("--programmes", path, "--dry-run")
    assert "Programmes: 1 new" in output and "nothing was written" in output
    assert Programme.objects.count() == before


# --- SBB: recognised companies ---

SBB_HEADER = "LEERBEDRIJF_ID,KVK_NUMMER,NAAM,CREBO,NIVEAU,BEGINDATUM_ERKENNING,EINDDATUM_ERKENNING"


def sbb_file(tmp_path, *rows: str):
    return write(tmp_path, "sbb.csv", SBB_HEADER, *rows)


def test_recognitions_of_companies_on_stagebrug_are_added_once(personas, tmp_path):
    kvk = personas.company.kvk_number
    path = sbb_file(
        tmp_path,
        f"100234567,{kvk},Bakkerij A,{ALLROUND_KAPPER},3,2026-01-01,2029-12-31",
        f"100234568,99999999,Elders BV,{KAPPER},2,2026-01-01,2029-12-31",
    )
    assert "Recognitions: 1 new, 0 updated, 0 unchanged, 1 skipped" in run("--recognitions", path)
    recognition = Recognition.objects.get(
        company=personas.company, qualification_id=ALLROUND_KAPPER
    )
    assert recognition.level == 3 and recognition.valid_until == dt.date(2029, 12, 31)
    events = AuditEvent.objects.count()
    assert "0 new, 0 updated, 1 unchanged, 1 skipped" in run("--recognitions", path)
    assert AuditEvent.objects.count() == events


def test_a_new_end_date_updates_the_recognition_and_clears_its_warning(personas, tmp_path):
    kvk = personas.company.kvk_number
    run("--recognitions", sbb_file(tmp_path, f"100234567,{kvk},A,{KAPPER},2,2026-01-01,2027-01-31"))
    Recognition.objects.update(expiry_warned_days=30)
    output = run(
        "--recognitions", sbb_file(tmp_path, f"100234567,{kvk},A,{KAPPER},2,01-01-2026,31-12-2029")
    )
    assert "0 new, 1 updated" in output
    recognition = Recognition.objects.get(qualification_id=KAPPER)
    assert recognition.valid_until == dt.date(2029, 12, 31)
    assert recognition.expiry_warned_days is None


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("100234567,{kvk},A,{crebo},2,2026-13-01,2029-12-31", "line 3: '2026-13-01' is not a date"),
        ("100234567,{kvk},A,99999,2,2026-01-01,2029-12-31", "line 3: crebo '99999' is not"),
        ("100234567,12AB,A,{crebo},2,2026-01-01,2029-12-31", "line 3: '12AB' is not a KvK"),
        ("12,{kvk},A,{crebo},2,2026-01-01,2029-12-31", "line 3:"),
        (
            "100234567,{kvk},A,{crebo},3,2026-01-01,2029-12-31",
            "line 3: Deze kwalificatie is van niveau 2",
        ),
        (
            "100234567,{kvk},A,{crebo},2,2026-01-01,2025-12-31",
            "line 3: De einddatum moet na de begindatum",
        ),
        ("100234567,{kvk},A,{crebo},2,,2029-12-31", "line 3: valid_from is empty"),
    ],
)
def test_one_bad_recognition_line_writes_nothing_and_is_named(personas, tmp_path, bad_row, message):
    kvk = personas.company.kvk_number
    path = sbb_file(
        tmp_path,
        f"100234567,{kvk},A,{ALLROUND_KAPPER},3,2026-01-01,2029-12-31",
        bad_row.format(kvk=kvk, crebo=KAPPER),
    )
    before = Recognition.objects.count()
    with pytest.raises(CommandError) as error:
        run("--recognitions", path)
    assert message in str(error.value)
    assert Recognition.objects.count() == before


def test_an_imported_renewal_puts_a_paused_placement_back_on_offer(published, personas, tmp_path):
    """W3: the SBB file is how most renewals arrive; the placement is re-checked at once."""
    from stagebrug.registry import services as registry

    registry.recognition_delete(recognition=personas.company.recognitions.get(), by=personas.owner)
    assert published.targets.get().decision == ProgrammeDecision.PAUSED
    kvk = personas.company.kvk_number
    year = dt.date.today().year
    run(
        "--recognitions",
        sbb_file(tmp_path, f"100234567,{kvk},A,{KOK},2,{year - 1}-01-01,{year + 2}-12-31"),
    )
    assert published.targets.get().decision == ProgrammeDecision.APPROVED


def test_a_path_that_is_no_file_is_refused_with_a_message(reference_data, tmp_path):
    with pytest.raises(CommandError, match=r"Nothing was imported.*cannot be read"):
        run("--programmes", tmp_path)
