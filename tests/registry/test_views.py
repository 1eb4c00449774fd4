import pytest
from django.utils import translation

from stagebrug.accounts.models import Role
from stagebrug.registry.models import Company, Recognition, Supervisor
from tests.dates import iso
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPANY_FORM = {
    "name": "Drukkerij De Pers",
    "kvk_number": "6612 3456",
    "street": "Overtoom",
    "house_number": "100",
    "postcode": "1054hk",
    "city": "Amsterdam",
    "employee_count": "14",
    "website": "depers.example",
    "description": "",
}


def sector_id():
    from stagebrug.registry.models import SectorCode

    return SectorCode.objects.get(code="18").pk


def test_registration_flow_runs_account_company_supervisors_recognitions(client):
    response = client.post(
        "/aanmelden/account/",
        {
            "full_name": "Priya Pers",
            "email": "priya@depers.example",
            "password1": "drukpers-2026!",
            "password2": "drukpers-2026!",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/aanmelden/bedrijf/"
    response = client.post("/aanmelden/bedrijf/", {**COMPANY_FORM, "sector": sector_id()})
    company = Company.objects.get(kvk_number="66123456")
    assert company.website == "https://depers.example"
    assert response["Location"] == f"/aanmelden/{company.pk}/begeleiders/"
    client.post(
        f"/aanmelden/{company.pk}/begeleiders/",
        {
            "action": "add",
            "name": "Bas Begeleider",
            "email": "bas@depers.example",
            "education_level": "4",
            "education_sector": "techniek",
        },
    )
    assert Supervisor.objects.filter(company=company, name="Bas Begeleider").exists()
    response = client.post(f"/aanmelden/{company.pk}/begeleiders/", {"action": "next"})
    assert response["Location"] == f"/aanmelden/{company.pk}/erkenningen/"
    client.post(
        f"/aanmelden/{company.pk}/erkenningen/",
        {
            "action": "add",
            "qualification": "25208",
            "leerbedrijf_id": "100998877",
            "valid_from": iso(2, 1, -1),
        },
    )
    recognition = Recognition.objects.get(company=company)
    assert recognition.level == 3 and str(recognition.valid_until) == iso(1, 31, 3)
    response = client.post(f"/aanmelden/{company.pk}/erkenningen/", {"action": "next"})
    company.refresh_from_db()
    assert company.registration_step == Company.RegistrationStep.DONE
    assert response["Location"] == f"/bedrijven/{company.pk}/"


def test_registration_resumes_where_the_owner_left_off(client):
    owner = UserFactory()
    company = CompanyFactory(owner=owner)
    client.force_login(owner)
    assert client.get("/aanmelden/")["Location"] == f"/aanmelden/{company.pk}/begeleiders/"
    client.post(f"/aanmelden/{company.pk}/begeleiders/", {"action": "next"})
    assert client.get("/aanmelden/")["Location"] == f"/aanmelden/{company.pk}/erkenningen/"
    client.post(f"/aanmelden/{company.pk}/erkenningen/", {"action": "next"})
    assert client.get("/aanmelden/")["Location"] == "/aanmelden/bedrijf/"


def test_company_form_shows_dutch_field_errors_and_saves_nothing(client):
    client.force_login(UserFactory())
    bad = {
        **COMPANY_FORM,
        "kvk_number": "123",
        "postcode": "12",
        "employee_count": "-2",
        "sector": sector_id(),
    }
    response = client.post("/aanmelden/bedrijf/", bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "precies 8 cijfers" in html
    assert "4 cijfers en 2 letters" in html
    assert "niet onder nul" in html
    assert 'aria-invalid="true"' in html
    assert not Company.objects.exists()


def test_company_form_errors_are_in_english_after_switching_language(client):
    client.force_login(UserFactory())
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    bad = {**COMPANY_FORM, "kvk_number": "123", "sector": sector_id()}
    html = client.post("/aanmelden/bedrijf/", bad).content.decode()
    assert "exactly 8 digits" in html
    assert '<html lang="en"' in html


def test_directory_answers_whom_to_contact_for_a_marketing_intern(client):
    html = client.get("/opleidingen/", {"q": "marketing"}).content.decode()
    assert "Medewerker marketing en communicatie" in html
    assert "stages.economie@rocva.example" in html  # the contact person, on the results page


def test_directory_live_search_returns_only_the_results_fragment_to_htmx(client):
    response = client.get(
        "/opleidingen/", {"q": "kok"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert "<html" not in html and "Kok" in html


def test_programme_page_shows_requirements_and_contact(client, personas):
    programme = personas.hva.programmes.get(croho__code="34405")
    html = client.get(programme.get_absolute_url()).content.decode()
    with translation.override("nl"):
        assert "Stage-eisen" in html or "stage-eisen" in html.lower()
    assert "34405" in html
    assert programme.contact_email in html
    assert "februari, september" in html


def test_coordinator_edits_requirements_in_the_browser_form(client, personas):
    programme = personas.rocva.programmes.first()
    client.force_login(personas.coordinator)
    url = f"/scholen/{personas.rocva.slug}/opleidingen/{programme.slug}/eisen/"
    response = client.post(
        url,
        {
            "hours_per_week_min": "20",
            "hours_per_week_max": "36",
            "start_months": ["2", "9"],
            "learning_outcomes": "Werkt veilig\n\nKookt zelfstandig",
            "allowance_guidance_unit": "hour",
            "supervisor_same_sector": "on",
        },
    )
    assert response.status_code == 302
    programme.requirements.refresh_from_db()
    assert programme.requirements.learning_outcomes == ["Werkt veilig", "Kookt zelfstandig"]
    assert programme.requirements.start_months == [2, 9]


def test_owner_invites_a_colleague_from_the_team_page(
    client, personas, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(personas.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/bedrijven/{personas.company.pk}/team/",
            {"action": "invite", "email": "nieuw@a.example", "role": Role.COMPANY_SUPERVISOR},
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["nieuw@a.example"]


def test_deleting_a_supervisor_asks_for_confirmation_first(client, personas):
    from tests.factories import SupervisorFactory

    supervisor = SupervisorFactory(company=personas.company, by=personas.owner)
    client.force_login(personas.owner)
    url = f"/bedrijven/{personas.company.pk}/begeleiders/{supervisor.pk}/verwijderen/"
    assert (
        b"Yes, delete" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content
        or client.get(url).status_code == 200
    )
    assert Supervisor.objects.filter(pk=supervisor.pk).exists()
    client.post(url)
    assert not Supervisor.objects.filter(pk=supervisor.pk).exists()


@pytest.mark.parametrize("url", ["/bedrijven/", "/opleidingen/", "/scholen/roc-van-amsterdam/"])
def test_list_pages_run_a_constant_number_of_queries(client, django_assert_max_num_queries, url):
    for _ in range(30):
        CompanyFactory()
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
