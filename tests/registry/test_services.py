import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from stagebrug.accounts.models import Membership, Role
from stagebrug.core.models import AuditEvent
from stagebrug.registry import services
from stagebrug.registry.models import (
    Company,
    Location,
    Postcode,
    Qualification,
    Recognition,
    Requirements,
    Supervisor,
)
from tests.dates import on
from tests.factories import (
    CompanyFactory,
    RecognitionFactory,
    SupervisorFactory,
    UserFactory,
    company_data,
    supervisor_data,
)

pytestmark = pytest.mark.django_db


def errors_of(call, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.message_dict


def test_registering_a_company_creates_main_location_owner_membership_and_audit_event():
    owner = UserFactory()
    company = services.company_register(by=owner, **company_data(kvk_number="1234 5678"))
    assert company.kvk_number == "12345678"
    assert company.postcode == "1094 HB"
    assert company.pc4.municipality.name == "Amsterdam"
    assert company.pc4.latitude == pytest.approx(52.36, abs=0.05)
    main = company.locations.get()
    assert main.is_main and main.postcode == "1094 HB"
    assert Membership.objects.filter(user=owner, company=company, role=Role.COMPANY_OWNER).exists()
    assert AuditEvent.objects.filter(
        action="company.register", object_id=str(company.pk), actor=owner
    ).exists()


def test_postcode_maps_to_todays_municipality_after_mergers():
    # Weesp merged into Amsterdam in 2022; the 2017 GeoNames data still says Weesp.
    company = CompanyFactory(postcode="1381AB", city="Weesp")
    assert company.pc4.municipality.name == "Amsterdam"
    assert company.pc4.municipality.is_mra


@pytest.mark.parametrize(
    "overrides, field, nl_words, en_words",
    [
        ({"kvk_number": "1234567"}, "kvk_number", "8 cijfers", "8 digits"),
        ({"postcode": "1012"}, "postcode", "4 cijfers", "4 digits"),
        ({"postcode": "0999 AB"}, "postcode", "4 cijfers", "4 digits"),
        (
            {"postcode": "1000 AB"},
            "postcode",
            "kennen deze postcode niet",
            "do not know this postcode",
        ),
        ({"employee_count": -1}, "employee_count", "niet onder nul", "cannot be below zero"),
    ],
)
def test_invalid_company_input_names_the_field_in_dutch_and_english_and_writes_nothing(
    overrides, field, nl_words, en_words
):
    assert not Postcode.objects.filter(code="1000").exists()  # a PO-box range, no area
    owner = UserFactory()
    before = (
        Company.objects.count(),
        Location.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    for language, words in (("nl", nl_words), ("en", en_words)):
        with translation.override(language):
            errors = errors_of(services.company_register, by=owner, **company_data(**overrides))
        assert words in " ".join(errors[field])
    after = (
        Company.objects.count(),
        Location.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_duplicate_kvk_number_is_refused_with_a_clear_message():
    CompanyFactory(kvk_number="87654321")
    with translation.override("nl"):
        errors = errors_of(
            services.company_register, by=UserFactory(), **company_data(kvk_number="87654321")
        )
    assert "al een bedrijf met dit KvK-nummer" in errors["kvk_number"][0]
    assert Company.objects.filter(kvk_number="87654321").count() == 1


def test_only_editors_of_the_company_may_change_it(personas):
    services.company_update(company=personas.company, by=personas.member, employee_count=9)
    for stranger in (
        personas.outsider,
        personas.supervisor,
        personas.coordinator,
        personas.student,
    ):
        with pytest.raises(PermissionDenied):
            services.company_update(company=personas.company, by=stranger, employee_count=1)
    personas.company.refresh_from_db()
    assert personas.company.employee_count == 9


def test_company_update_records_what_changed(personas):
    services.company_update(company=personas.company, by=personas.owner, name="Bakkerij Nieuw")
    event = AuditEvent.objects.filter(action="company.update").latest("id")
    assert event.changes == {"name": ["Bakkerij A", "Bakkerij Nieuw"]}
    assert event.actor == personas.owner


# The next two keep fixed dates: they check the calendar arithmetic of "four years" (a leap
# day, the end of February), which no date relative to today would keep the same.


def test_recognition_defaults_to_the_qualifications_level_and_four_years():
    company = CompanyFactory()
    owner = company.memberships.get().user
    recognition = RecognitionFactory(
        company=company, by=owner, crebo="25182", valid_from=dt.date(2026, 3, 1)
    )
    assert recognition.level == Qualification.objects.get(crebo="25182").level == 3
    assert recognition.valid_until == dt.date(2030, 2, 28)


def test_recognition_from_29_february_still_lasts_four_years():
    company = CompanyFactory()
    owner = company.memberships.get().user
    recognition = RecognitionFactory(company=company, by=owner, valid_from=dt.date(2028, 2, 29))
    assert recognition.valid_until == dt.date(2032, 2, 28)


@pytest.mark.parametrize(
    "valid_from, valid_until, nl_words",
    [
        (on(5, 1, -1), on(4, 30, -1), "na de begindatum"),
        (on(5, 1, -1), on(5, 1, -1), "na de begindatum"),
        (on(5, 1, -1), on(5, 2, 3), "hoogstens vier jaar"),
    ],
)
def test_recognition_dates_in_the_wrong_order_or_too_long_are_refused(
    valid_from, valid_until, nl_words
):
    company = CompanyFactory()
    owner = company.memberships.get().user
    with translation.override("nl"):
        errors = errors_of(
            RecognitionFactory,
            company=company,
            by=owner,
            valid_from=valid_from,
            valid_until=valid_until,
        )
    assert nl_words in errors["valid_until"][0]
    assert not Recognition.objects.exists()


def test_recognition_level_must_match_the_qualification():
    company = CompanyFactory()
    owner = company.memberships.get().user
    with translation.override("en"):
        errors = errors_of(RecognitionFactory, company=company, by=owner, crebo="25180", level=4)
    assert errors["level"] == ["This qualification is at level 2."]


def test_leerbedrijf_id_must_be_digits():
    company = CompanyFactory()
    owner = company.memberships.get().user
    errors = errors_of(RecognitionFactory, company=company, by=owner, leerbedrijf_id="SBB-12")
    assert "leerbedrijf_id" in errors


def test_supervisor_email_is_unique_within_a_company(personas):
    SupervisorFactory(company=personas.company, by=personas.owner, email="buddy@a.example")
    errors = errors_of(
        services.supervisor_create,
        company=personas.company,
        by=personas.owner,
        **supervisor_data(email="BUDDY@a.example"),
    )
    assert errors
    # Another company may have a supervisor with the same address.
    SupervisorFactory(company=personas.other_company, by=personas.outsider, email="buddy@a.example")
    assert Supervisor.objects.filter(email="buddy@a.example").count() == 2


def test_a_company_keeps_at_least_one_location(personas):
    only = personas.company.locations.get()
    with pytest.raises(ValidationError):
        services.location_delete(location=only, by=personas.owner)
    assert personas.company.locations.count() == 1


def test_a_new_main_location_replaces_the_old_main(personas):
    new = services.location_create(
        company=personas.company,
        by=personas.owner,
        name="Filiaal",
        street="Dorpsstraat",
        house_number="2",
        postcode="1506 EA",
        city="Zaandam",
        is_main=True,
    )
    assert list(personas.company.locations.filter(is_main=True)) == [new]
    assert new.pc4.municipality.name == "Zaanstad"


def test_requirements_reject_minimum_above_maximum_and_bad_months(personas):
    programme = personas.rocva.programmes.first()
    errors = errors_of(
        services.requirements_update,
        programme=programme,
        by=personas.coordinator,
        hours_per_week_min=40,
        hours_per_week_max=20,
        start_months=[13],
    )
    assert set(errors) == {"hours_per_week_max", "start_months"}


def test_only_the_schools_own_coordinator_maintains_its_requirements(personas):
    programme = personas.rocva.programmes.first()
    services.requirements_update(programme=programme, by=personas.coordinator, min_employees=3)
    for stranger in (
        personas.other_coordinator,
        personas.teacher,
        personas.owner,
        personas.student,
    ):
        with pytest.raises(PermissionDenied):
            services.requirements_update(programme=programme, by=stranger, min_employees=99)
    programme.requirements.refresh_from_db()
    assert programme.requirements.min_employees == 3


def test_mbo_programme_needs_a_qualification_and_its_level(personas):
    errors = errors_of(
        services.programme_create,
        institution=personas.rocva,
        by=personas.coordinator,
        name="Kok",
        kind="mbo",
        sector="economie",
    )
    assert "qualification" in errors
    errors = errors_of(
        services.programme_create,
        institution=personas.rocva,
        by=personas.coordinator,
        name="Kok",
        kind="mbo",
        sector="economie",
        qualification=Qualification.objects.get(crebo="25180"),
        mbo_level=3,
    )
    assert "mbo_level" in errors


def test_a_new_programme_gets_its_address_and_empty_requirements(personas):
    kapper = Qualification.objects.get(crebo="25400")
    programme = services.programme_create(
        institution=personas.rocva,
        by=personas.coordinator,
        name="Kapper",
        kind="mbo",
        sector="economie",
        qualification=kapper,
        mbo_level=kapper.level,
    )
    programme.refresh_from_db()
    assert programme.slug == "kapper-25400"  # from the name and the crebo code
    assert programme.get_absolute_url().endswith("/kapper-25400/")
    assert Requirements.objects.filter(programme=programme).exists()
