"""Publishing (C4): JSON-LD JobPosting, Open Graph, share links, Atom feeds and the CSV."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest

from stagebrug.placements import services
from tests.dates import on
from tests.factories import SupervisorFactory
from tests.placements.factories import make_placement

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(recognised):
    p = recognised
    buddy = SupervisorFactory(company=p.company, by=p.owner, name="Bo Buddy")
    placement = make_placement(p.company, p.owner, buddy=buddy)
    services.placement_submit(placement=placement, by=p.owner)
    services.placement_decide(target=placement.targets.get(), by=p.coordinator, approve=True)
    placement.refresh_from_db()
    return placement


def json_ld(html: str) -> dict:
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_public_page_has_valid_jobposting_structured_data(client, published):
    html = client.get(published.get_absolute_url()).content.decode()
    data = json_ld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "JobPosting"
    assert data["employmentType"] == "INTERN"
    assert data["title"] == published.title
    assert data["hiringOrganization"]["@type"] == "Organization"
    assert data["hiringOrganization"]["name"] == published.company.name
    address = data["jobLocation"]["address"]
    assert address["@type"] == "PostalAddress" and address["addressCountry"] == "NL"
    assert address["postalCode"] == published.location.postcode
    assert dt.date.fromisoformat(data["datePosted"]) == published.published_at.date()
    assert dt.date.fromisoformat(data["validThrough"]) >= dt.date.fromisoformat(data["datePosted"])
    assert data["baseSalary"]["currency"] == "EUR"
    assert data["baseSalary"]["value"]["unitText"] == "HOUR"
    assert "Groenten snijden" in data["description"]
    assert "Kok" in data["educationRequirements"]


def test_public_page_has_open_graph_tags_and_share_links(client, published):
    html = client.get(published.get_absolute_url()).content.decode()
    for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert f'property="{prop}"' in html
    assert "https://www.linkedin.com/sharing/share-offsite/?url=" in html
    assert "https://wa.me/?text=" in html
    assert "mailto:?subject=" in html


def test_unpublished_placements_have_no_public_page(client, personas):
    draft = make_placement(personas.company, personas.owner)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_texts_are_shown_escaped(client, published):
    published.description = 'Tekst met "quotes" & <b>vet</b>'  # written directly, past the service
    published.save(update_fields=["description"])
    html = client.get(published.get_absolute_url()).content.decode()
    assert "<b>vet</b>" not in html.split("application/ld+json")[0]
    assert "&lt;b&gt;vet&lt;/b&gt;" in html


@pytest.mark.parametrize("feed", ["programme", "municipality", "sector"])
def test_atom_feeds_parse_and_list_the_published_placement(client, published, feed):
    programme = published.targets.get().programme
    url = {
        "programme": f"/stages/feeds/opleiding/{programme.pk}/",
        "municipality": f"/stages/feeds/gemeente/{published.municipality_id}/",
        "sector": f"/stages/feeds/sector/{published.company.sector_id}/",
    }[feed]
    response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [published.title]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(published.get_absolute_url())


def test_stagemarkt_csv_lists_recognised_published_mbo_placements(client, published, personas):
    client.force_login(personas.owner)
    response = client.get(f"/bedrijven/{personas.company.pk}/stages/export.csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1
    row = rows[0]
    assert row["crebo"] == "25180" and row["niveau"] == "2" and row["leerweg"] == "BOL"
    assert row["leerbedrijf_id"] == "100234567" and row["kvk_nummer"] == personas.company.kvk_number
    assert row["url"].endswith(published.get_absolute_url())


def test_the_csv_leaves_out_placements_without_a_valid_recognition(client, published, personas):
    personas.company.recognitions.update(valid_until=on(12, 31, -1))  # ends before the start
    client.force_login(personas.owner)
    text = client.get(f"/bedrijven/{personas.company.pk}/stages/export.csv").content.decode(
        "utf-8-sig"
    )
    assert len(list(csv.DictReader(io.StringIO(text), delimiter=";"))) == 0


@pytest.mark.parametrize(
    ("crebo", "listed"),
    [
        ("25180", True),
        ("25182", False),
    ],  # Kok itself; Zelfstandig werkend kok (same dossier, MBO 3)
)
def test_the_csv_lists_what_eligibility_recognises_and_nothing_else(
    client, published, personas, crebo, listed
):
    """The CSV and the eligibility rule (W3) agree on which recognition covers a programme."""
    from stagebrug.placements.services import placement_verdicts
    from tests.factories import RecognitionFactory

    personas.company.recognitions.all().delete()
    RecognitionFactory(company=personas.company, by=personas.owner, crebo=crebo)
    (verdicts,) = placement_verdicts(published).values()
    recognition = next(v for v in verdicts if v.rule == "recognition")
    assert (recognition.status == "ok") is listed
    client.force_login(personas.owner)
    text = client.get(f"/bedrijven/{personas.company.pk}/stages/export.csv").content.decode(
        "utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["crebo"] for row in rows] == (["25180"] if listed else [])
