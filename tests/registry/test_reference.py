import pytest

from stagebrug.registry import reference
from stagebrug.registry.models import (
    CrohoProgramme,
    Institution,
    Municipality,
    Postcode,
    Programme,
    Qualification,
    SectorCode,
)

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (
            Municipality,
            Postcode,
            SectorCode,
            Qualification,
            CrohoProgramme,
            Institution,
            Programme,
        )
    ]


def test_loading_twice_changes_nothing():
    before = counts()
    reference.load_all()
    assert counts() == before


def test_loaded_data_matches_the_public_files():
    assert Qualification.objects.count() == 980
    assert SectorCode.objects.count() == 1954
    assert Municipality.objects.filter(is_mra=True).count() == 30
    kok = Qualification.objects.get(crebo="25180")
    assert (kok.name, kok.level, kok.dossier_crebo) == ("Kok", 2, "23085")
    assert Postcode.objects.get(code="1364").latitude is None  # no coordinates in the source
    assert Postcode.objects.get(code="9401").municipality.name == "Assen"


def test_the_four_institutions_are_loaded_with_their_programmes():
    brins = dict(Institution.objects.values_list("brin", "name"))
    assert brins == {
        "25PZ": "ROC van Amsterdam",
        "30RM": "ROC TOP",
        "28DN": "Hogeschool van Amsterdam",
        "27PZ": "Hogeschool Inholland",
    }
    for institution in Institution.objects.all():
        assert institution.programmes.count() >= 10
    # Every MBO programme refers to a real qualification; assumptions are marked.
    mbo = Programme.objects.filter(kind="mbo")
    assert not mbo.filter(qualification__isnull=True).exists()
    assert all("aangenomen" in p.source_note for p in Programme.objects.all())
    hva = Institution.objects.get(brin="28DN")
    assert "aangenomen" in hva.source_note


def test_coordinator_edits_survive_a_reload():
    programme = Programme.objects.get(institution__brin="25PZ", qualification__crebo="25180")
    programme.contact_name = "Eigen naam"
    programme.save()
    reference.load_all()
    programme.refresh_from_db()
    assert programme.contact_name == "Eigen naam"


def test_a_bad_line_names_the_file_and_line_and_loads_nothing(tmp_path):
    import csv

    source = reference.REFERENCE_DIR / "mbo_kwalificaties_crebo_niveau.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][1] += " NIEUW"  # a change on line 2 that must not be kept
    rows[5][2] = "7"  # line 6: level 7 does not exist
    bad = tmp_path / "crebo.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(reference.ReferenceDataError, match=r"line 6: niveau '7'"):
        from django.db import transaction

        with transaction.atomic():
            reference.load_qualifications(bad)
    assert not Qualification.objects.filter(name__endswith="NIEUW").exists()


def test_the_command_reports_a_bad_file_without_a_traceback(tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "croho.csv"
    bad.write_text(
        "croho_isat,naam,niveau,plaats,vorm,onderdeel\n12345,Test,bachelor,X,fulltime,ONBEKEND\n"
    )
    with pytest.raises(CommandError, match=r"Nothing was loaded.*line 2: unknown onderdeel"):
        call_command("load_reference_data", croho=bad)
