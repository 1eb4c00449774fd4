import pytest

from stagebrug.placements import services
from stagebrug.placements.models import Placement, ProgrammeDecision, Status
from tests.dates import iso
from tests.placements.factories import kok_programme, make_placement

pytestmark = pytest.mark.django_db


FORM = {
    "title": "Stage keuken (MBO 2)",
    "kind": "mbo_bol",
    "levels": ["2"],
    "description": "Je werkt mee in onze keuken.",
    "activities": "Groenten snijden\nSoep maken\nAfwassen",
    "learning": "",
    "hours_per_week": "32",
    "duration_weeks": "20",
    "positions": "1",
    "start_date_1": iso(2, 1),
    "allowance_amount": "2",
    "allowance_unit": "hour",
    "allowance_basis": "net",
    "supervision_hours_per_week": "2",
}


def test_the_business_writes_a_placement_in_the_browser(client, recognised):
    p = recognised
    client.force_login(p.owner)
    data = {**FORM, "location": p.company.locations.first().pk, "programmes": [kok_programme().pk]}
    response = client.post(f"/bedrijven/{p.company.pk}/stages/nieuw/", data)
    placement = Placement.objects.get()
    assert response["Location"] == f"/stageplaatsen/{placement.pk}/"
    assert placement.activities == ["Groenten snijden", "Soep maken", "Afwassen"]
    assert placement.start_dates == [iso(2, 1)]


def test_the_form_shows_clear_errors_and_saves_nothing(client, recognised):
    p = recognised
    client.force_login(p.owner)
    data = {
        **FORM,
        "location": p.company.locations.first().pk,
        "programmes": [kok_programme().pk],
        "allowance_amount": "-5",
        "positions": "0",
        "title": "<script>x</script>",
    }
    html = client.post(f"/bedrijven/{p.company.pk}/stages/nieuw/", data).content.decode()
    assert "niet negatief" in html
    assert (
        "minstens één plek" in html or "ten minste één plek" in html or "minimaal één plek" in html
    )
    assert "HTML" in html
    assert not Placement.objects.exists()


def test_the_advice_panel_routes_checks_and_coaches_while_typing(client, recognised):
    p = recognised
    client.force_login(p.owner)
    data = {**FORM, "location": p.company.locations.first().pk, "programmes": [kok_programme().pk]}
    response = client.post(
        f"/bedrijven/{p.company.pk}/stages/advies/", data, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Kok" in html  # routing suggests the cook programme
    assert "SBB-erkenning" in html  # the recognition verdict
    assert "/100" in html  # the quality score


def test_advice_without_recognition_says_not_allowed(client, personas):
    client.force_login(personas.owner)
    data = {
        **FORM,
        "location": personas.company.locations.first().pk,
        "programmes": [kok_programme().pk],
    }
    html = client.post(f"/bedrijven/{personas.company.pk}/stages/advies/", data).content.decode()
    assert "Niet toegestaan" in html or "niet toegestaan" in html.lower()


def test_submit_and_school_approval_in_the_browser(client, recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    client.force_login(p.owner)
    client.post(f"/stageplaatsen/{placement.pk}/indienen/")
    placement.refresh_from_db()
    assert placement.status == Status.SUBMITTED
    client.force_login(p.coordinator)
    html = client.get(f"/scholen/{p.rocva.slug}/stages/").content.decode()
    assert placement.title in html
    target = placement.targets.get()
    detail = client.get(f"/scholen/{p.rocva.slug}/stages/{target.pk}/").content.decode()
    assert "SBB" in detail and "/100" in detail
    response = client.post(
        f"/scholen/{p.rocva.slug}/stages/{target.pk}/", {"decision": "reject", "reason": ""}
    )
    assert response.status_code == 200  # a rejection needs a reason
    client.post(f"/scholen/{p.rocva.slug}/stages/{target.pk}/", {"decision": "approve"})
    placement.refresh_from_db()
    assert placement.status == Status.PUBLISHED
    assert placement.targets.get().decision == ProgrammeDecision.APPROVED


def test_other_schools_and_companies_cannot_reach_placement_pages(client, recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    services.placement_submit(placement=placement, by=p.owner)
    target = placement.targets.get()
    for user in (p.outsider, p.other_coordinator, p.student, p.teacher):
        client.force_login(user)
        for url in (f"/stageplaatsen/{placement.pk}/", f"/stageplaatsen/{placement.pk}/bewerken/"):
            assert client.get(url).status_code in (403, 404), (user, url)
        assert client.post(f"/stageplaatsen/{placement.pk}/intrekken/").status_code in (403, 404)
        assert client.get(f"/bedrijven/{p.company.pk}/stages/").status_code in (403, 404)
        assert client.post(f"/bedrijven/{p.company.pk}/stages/advies/", FORM).status_code in (
            403,
            404,
        )
        assert client.get(f"/bedrijven/{p.company.pk}/stages/export.csv").status_code in (403, 404)
    for user in (p.other_coordinator, p.owner, p.outsider):
        client.force_login(user)
        assert client.get(f"/scholen/{p.rocva.slug}/stages/{target.pk}/").status_code in (403, 404)
        assert client.post(
            f"/scholen/{p.rocva.slug}/stages/{target.pk}/", {"decision": "approve"}
        ).status_code in (403, 404)
    placement.refresh_from_db()
    assert placement.status == Status.SUBMITTED


def test_search_page_finds_published_placements_by_activity(client, recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    services.placement_submit(placement=placement, by=p.owner)
    services.placement_decide(target=placement.targets.get(), by=p.coordinator, approve=True)
    html = client.get("/stages/", {"q": "groenten"}).content.decode()
    assert placement.title in html
    assert html.index("Groenten snijden") < html.index(p.company.name)  # activities first (W16)
    assert placement.title not in client.get("/stages/", {"q": "boekhouding"}).content.decode()


def test_company_placement_list_runs_a_constant_number_of_queries(
    client, recognised, django_assert_max_num_queries
):
    p = recognised
    client.force_login(p.owner)
    make_placement(p.company, p.owner)
    with django_assert_max_num_queries(12):
        client.get(f"/bedrijven/{p.company.pk}/stages/")
    for _ in range(5):
        make_placement(p.company, p.owner)
    with django_assert_max_num_queries(12):
        client.get(f"/bedrijven/{p.company.pk}/stages/")


def test_absurd_numbers_get_a_field_error_not_a_crash(client, recognised):
    p = recognised
    client.force_login(p.owner)
    base = {**FORM, "location": p.company.locations.first().pk, "programmes": [kok_programme().pk]}
    advice = client.post(
        f"/bedrijven/{p.company.pk}/stages/advies/",
        {**base, "hours_per_week": str(10**30)},
        HTTP_HX_REQUEST="true",
    )
    assert advice.status_code == 200
    for field, value in (("hours_per_week", str(10**30)), ("allowance_amount", "99999")):
        response = client.post(f"/bedrijven/{p.company.pk}/stages/nieuw/", {**base, field: value})
        assert response.status_code == 200
        assert f'id="id_{field}_error"' in response.content.decode()  # the field says why
    assert not Placement.objects.exists()


def test_a_draft_cannot_be_marked_filled(client, recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    client.force_login(p.owner)
    page = client.get(f"/stageplaatsen/{placement.pk}/").content.decode()
    assert "/vervuld/" not in page  # no button for it
    client.post(f"/stageplaatsen/{placement.pk}/vervuld/")
    placement.refresh_from_db()
    assert placement.status == Status.DRAFT


def test_the_advice_reads_a_programme_and_a_buddy_with_a_large_id(client, recognised):
    """Row ids grow without limit: a chosen programme or buddy is never dropped as "absurd"."""
    from stagebrug.registry.models import Programme, Supervisor

    p = recognised
    kok = kok_programme()
    big = Programme.objects.get(pk=kok.pk)
    big.pk, big.slug = 5_000_000, f"{kok.slug}-groot"
    big.save(force_insert=True)
    buddy = p.company.supervisors.get(name="Chef Bram")
    Supervisor.objects.filter(pk=buddy.pk).update(id=7_000_000)
    client.force_login(p.owner)
    data = {
        **FORM,
        "location": p.company.locations.first().pk,
        "programmes": [str(big.pk)],
        "buddy": "7000000",
    }
    html = client.post(f"/bedrijven/{p.company.pk}/stages/advies/", data).content.decode()
    assert 'class="sb-advice__programme">Kok' in html  # its rules are checked
    assert "Kies een buddy" not in html  # the quality advice sees the buddy


def test_a_duo_is_written_with_its_seats_and_a_missing_seat_is_explained(client, recognised):
    """W21: with duo ticked the page takes MBO and HBO seats instead of positions."""
    from tests.placements.factories import communicatie_programme

    p = recognised
    client.force_login(p.owner)
    data = {
        **FORM,
        "positions": "",
        "is_duo": "on",
        "location": p.company.locations.first().pk,
        "programmes": [kok_programme().pk, communicatie_programme().pk],
    }
    url = f"/bedrijven/{p.company.pk}/stages/nieuw/"
    html = client.post(
        url, {**data, "mbo_seats": "1", "hbo_seats": "0"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "A duo placement has at least one seat for an HBO student." in html
    assert not Placement.objects.exists()
    response = client.post(url, {**data, "mbo_seats": "1", "hbo_seats": "2"})
    placement = Placement.objects.get()
    assert response["Location"] == f"/stageplaatsen/{placement.pk}/"
    assert (placement.is_duo, placement.mbo_seats, placement.hbo_seats) == (True, 1, 2)
    assert placement.positions == 3
