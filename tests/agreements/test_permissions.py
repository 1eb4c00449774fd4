"""Who may do what with an agreement, page by page.

Everyone with a part in the internship reads the agreement (student, the business's owner and
colleague, the workplace supervisor, the coordinator, the school supervisor once assigned);
each party edits only its own sections (403 on another's); only the coordinator sends,
reopens and amends (403 for the other parties); only the required parties sign, each for
itself. Outsiders (a foreign company, the other school, a school supervisor who was not
assigned) get 404 on every agreement URL and change nothing; anonymous visitors are sent to
the login page. What is private to the student and the school (the date of birth, the
guardian's e-mail) and what the student shares only with consent (the support notes) is shown
only to whom it is meant for.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from stagebrug.agreements import services
from stagebrug.agreements.models import (
    Agreement,
    BirthDate,
    Party,
    Signature,
    SigningLink,
    Status,
    Version,
)
from stagebrug.agreements.sections import SECTIONS, section_data
from stagebrug.applications import services as application_services
from stagebrug.internships.models import Internship
from stagebrug.placements import services as placement_services
from tests.agreements.conftest import (
    SCHEDULE,
    business_part,
    deadline,
    school_part,
    signed_by_everyone,
    student_part,
)
from tests.dates import on
from tests.factories import UserFactory, confirm_internship
from tests.placements.factories import kok_programme, make_placement

pytestmark = pytest.mark.django_db

ADULT = on(5, 5, -22)  # 21 on the start date
MINOR = on(3, 3, -16)  # 15 on the start date
GUARDIAN_EMAIL = "ouder@example.org"
SECRET = "Geef mij één taak tegelijk en bel als ik te laat ben."

# The parties of the internship, and what each edits and signs. `school_supervisor` is the
# persona teacher once the coordinator assigned them to the internship.
PARTIES = ["student", "owner", "member", "supervisor", "coordinator", "school_supervisor"]
EDITS = {
    "student": Party.STUDENT,
    "owner": Party.BUSINESS,
    "member": Party.BUSINESS,
    "supervisor": Party.BUSINESS,
    "coordinator": Party.SCHOOL,
    "school_supervisor": Party.SCHOOL,
}
SIGNS = {"student": Party.STUDENT, "owner": Party.BUSINESS, "member": Party.BUSINESS}
SIGNS |= {"coordinator": Party.SCHOOL}
# Outsiders: the owner of company B, the coordinator of HvA, a school supervisor of the ROC
# who is not assigned to this internship.
OUTSIDERS = ["outsider", "other_coordinator", "teacher"]


def nl(message, **params) -> str:
    with translation.override("nl"):
        return str(message % params if params else message)


def url(agreement, rest: str = "") -> str:
    return f"/stagiairs/{agreement.internship_id}/overeenkomst/{rest}"


def party(personas, agreement, who: str):
    """The persona playing `who`; the school supervisor is assigned first."""
    if who == "school_supervisor":
        Internship.objects.filter(pk=agreement.internship_id).update(
            school_supervisor=personas.teacher
        )
        return personas.teacher
    return getattr(personas, who)


def fresh(agreement) -> Agreement:
    return Agreement.objects.select_related("internship").get(pk=agreement.pk)


def ready(agreement, personas, *, birth_date=ADULT, guardian: bool = False) -> None:
    """Every party filled in its part: the coordinator may send it."""
    school_part(agreement, personas.coordinator)
    business_part(agreement, personas.owner)
    student_part(agreement, personas.student, birth_date=birth_date, guardian=guardian)


def send(agreement, personas) -> Version:
    return services.agreement_send(
        agreement=fresh(agreement), by=personas.coordinator, deadline=deadline()
    )


def sign(agreement, who, version: Version) -> Signature:
    return services.agreement_sign(
        agreement=fresh(agreement),
        by=who,
        content_hash=version.content_hash,
        full_name=who.full_name,
        confirm=True,
    )


def form_data(agreement, key: str) -> dict:
    """What a party posts to save `key` on its form: valid, from the draft's proposals."""
    content = services.open_version(agreement).content
    proposed = section_data(content, key)
    goals = [k for k, v in section_data(content, "goals").items() if k.startswith("goal_") and v]
    data = {
        "programme": proposed,
        "period": proposed,
        "goals": proposed or {"goal_1": "Zelfstandig eenvoudige gerechten bereiden"},
        "supervision": proposed,
        "school_expectations": {"expectations": "De school belt elke week met de chef."},
        "ending": proposed,
        "schedule": SCHEDULE,
        "tasks": {f"tasks_{g.split('_')[1]}": "Groenten snijden\nSoep bereiden" for g in goals}
        or {"tasks_1": "Groenten snijden"},
        "offer": proposed | {"expected_costs": "20.00", "expense_allowance": "25.00"},
        "workplace_rules": {"sick_and_late": "Bel chef Bram vóór 8:00 op 06 12345678."},
        "student": {"phone": "0611111111", "birth-date": ADULT.isoformat()},
        "approach": {"share_notes": "on"},
    }[key]
    out = {}
    for name, value in data.items():
        if value is True:
            out[name] = "on"
        elif value not in (False, None):
            out[name] = "\n".join(value) if isinstance(value, list) else value
    return out


def snapshot(agreement) -> tuple:
    """Everything an attempt could change."""
    return (
        list(Agreement.objects.filter(pk=agreement.pk).values("status", "deadline")),
        list(
            Version.objects.filter(agreement=agreement)
            .order_by("number")
            .values("number", "state", "content", "content_hash", "required_parties")
        ),
        sorted(
            Signature.objects.filter(version__agreement=agreement).values_list("party", flat=True)
        ),
        list(
            SigningLink.objects.filter(version__agreement=agreement).values_list(
                "pk", "revoked_at", "used_at"
            )
        ),
        BirthDate.objects.count(),
    )


def every_url(agreement) -> list[tuple[str, str, dict]]:
    """Every agreement URL of the internship, with what a party would send."""
    version = services.open_version(agreement) or services.signed_version(agreement)
    urls = [
        ("get", url(agreement), {}),
        ("post", url(agreement, "opstellen/"), {}),
        ("get", url(agreement, "versturen/"), {}),
        ("post", url(agreement, "versturen/"), {"deadline": deadline().date().isoformat()}),
        (
            "post",
            url(agreement, "ondertekenen/"),
            {"full_name": "Iemand", "confirm": "on", "content_hash": version.content_hash},
        ),
        ("get", url(agreement, "ondertekenaar/"), {}),
        (
            "post",
            url(agreement, "ondertekenaar/"),
            {"party": "business", "name": "Iemand", "email": "iemand@example.org"},
        ),
        ("get", url(agreement, "versies/1/"), {}),
        ("get", url(agreement, "versies/1/pdf/"), {"taal": "nl"}),
    ]
    for action in ("heropenen", "wijzigen"):
        urls += [
            ("get", url(agreement, f"{action}/bevestigen/"), {}),
            ("post", url(agreement, f"{action}/bevestigen/"), {}),
        ]
    for section in SECTIONS:
        urls += [
            ("get", url(agreement, f"{section.key}/"), {}),
            ("post", url(agreement, f"{section.key}/"), {"expectations": "Overgenomen."}),
        ]
    return urls


@pytest.fixture
def minor(agreement, personas) -> Version:
    """A minor's agreement, out for signature: the guardian is required too."""
    ready(agreement, personas, birth_date=MINOR, guardian=True)
    return send(agreement, personas)


# --------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize("who", [*PARTIES, "operator"])
def test_every_party_reads_the_agreement_its_versions_and_the_pdf(client, agreement, personas, who):
    user = party(personas, agreement, who)
    ready(agreement, personas)
    version = send(agreement, personas)
    client.force_login(user)
    page = client.get(url(agreement))
    assert page.status_code == 200
    assert page.context["version"].pk == version.pk
    assert client.get(url(agreement, f"versies/{version.number}/")).status_code == 200
    pdf = client.get(url(agreement, f"versies/{version.number}/pdf/"), {"taal": "en"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(url(agreement, "versies/9/")).status_code == 404


@pytest.mark.parametrize("state", ["ready", "sent"])
@pytest.mark.parametrize("who", OUTSIDERS)
def test_people_without_a_part_get_404_on_every_agreement_url_and_change_nothing(
    client, agreement, personas, who, state
):
    ready(agreement, personas)
    if state == "sent":
        send(agreement, personas)
    before = snapshot(agreement)
    client.force_login(getattr(personas, who))
    for method, address, data in every_url(agreement):
        response = getattr(client, method)(address, data)
        assert response.status_code == 404, (who, method, address, response.status_code)
        assert "Stan Student" not in response.content.decode()
    assert snapshot(agreement) == before


def test_anonymous_visitors_are_sent_to_the_login_page_on_every_agreement_url(
    client, agreement, personas
):
    ready(agreement, personas)
    send(agreement, personas)
    before = snapshot(agreement)
    urls = [*every_url(agreement), ("get", f"/scholen/{personas.rocva.slug}/overeenkomsten/", {})]
    for method, address, data in urls:
        response = getattr(client, method)(address, data)
        assert response.status_code == 302, (method, address)
        assert response["Location"].startswith("/account/inloggen/"), (method, address)
    assert snapshot(agreement) == before


def test_a_school_supervisor_reads_the_agreement_once_assigned(client, agreement, personas):
    client.force_login(personas.teacher)
    assert client.get(url(agreement)).status_code == 404
    party(personas, agreement, "school_supervisor")
    assert client.get(url(agreement)).status_code == 200
    Internship.objects.filter(pk=agreement.internship_id).update(
        school_supervisor=personas.coordinator
    )
    assert client.get(url(agreement)).status_code == 404


def test_an_internship_that_does_not_exist_is_a_404(client, agreement, personas):
    client.force_login(personas.coordinator)
    missing = agreement.internship_id + 1000
    assert client.get(f"/stagiairs/{missing}/overeenkomst/").status_code == 404
    assert client.get(f"/stagiairs/{missing}/overeenkomst/versies/1/").status_code == 404
    huge = f"/stagiairs/{10**20}/overeenkomst/"
    assert client.get(huge).status_code in (400, 404)
    assert client.get(url(agreement, f"versies/{10**20}/")).status_code == 404


def test_the_verification_page_and_a_signing_link_need_no_account(client, agreement, personas):
    ready(agreement, personas)
    version = send(agreement, personas)
    response = client.get("/overeenkomst-controleren/", {"code": version.code})
    assert response.status_code == 200 and response.context["result"] == version
    assert client.get("/overeenkomst-controleren/").status_code == 200
    assert client.get("/ondertekenen/not-a-token/").status_code == 404


# --------------------------------------------------------------------------------------------
# Drafting an agreement for an internship that has none


@pytest.mark.parametrize(
    ("who", "page", "draft"),
    [
        ("coordinator", 200, 302),
        ("student", 200, 403),
        ("owner", 200, 403),
        ("member", 200, 403),
        ("supervisor", 200, 403),
        ("school_supervisor", 200, 403),
        ("outsider", 404, 404),
        ("other_coordinator", 404, 404),
        ("teacher", 404, 404),
    ],
)
def test_only_the_coordinator_drafts_a_missing_agreement(
    client, agreement, personas, who, page, draft
):
    user = party(personas, agreement, who)
    Agreement.objects.filter(pk=agreement.pk).delete()
    client.force_login(user)
    response = client.get(url(agreement))
    assert response.status_code == page
    if page == 200:
        assert "agreements/none.html" in [t.name for t in response.templates]
    assert client.post(url(agreement, "opstellen/")).status_code == draft
    exists = Agreement.objects.filter(internship_id=agreement.internship_id).exists()
    assert exists == (draft == 302)


def test_an_agreement_is_drafted_only_once(client, agreement, personas):
    client.force_login(personas.coordinator)
    assert client.post(url(agreement, "opstellen/")).status_code == 404
    assert Agreement.objects.filter(internship_id=agreement.internship_id).count() == 1


# --------------------------------------------------------------------------------------------
# Sections: each party its own


@pytest.mark.parametrize("who", PARTIES)
def test_each_party_opens_only_its_own_sections(client, agreement, personas, who):
    user = party(personas, agreement, who)
    client.force_login(user)
    for section in SECTIONS:
        response = client.get(url(agreement, f"{section.key}/"))
        expected = 200 if section.owner == EDITS[who] else 403
        assert response.status_code == expected, (who, section.key, response.status_code)


@pytest.mark.parametrize("who", PARTIES)
def test_each_party_saves_its_own_sections_and_is_refused_on_anothers(
    client, agreement, personas, who
):
    user = party(personas, agreement, who)
    client.force_login(user)
    for section in SECTIONS:
        before = services.open_version(agreement).content.get(section.key)
        response = client.post(url(agreement, f"{section.key}/"), form_data(agreement, section.key))
        after = services.open_version(agreement).content.get(section.key)
        if section.owner == EDITS[who]:
            assert response.status_code == 302, (who, section.key, response.status_code)
            assert after["saved_by"] == user.pk and after["saved_at"]
        else:
            assert response.status_code == 403, (who, section.key, response.status_code)
            assert after == before, (who, section.key)
    page = client.get(url(agreement))
    editable = {s["section"].key for s in page.context["sections"] if s["editable"]}
    assert editable == {s.key for s in SECTIONS if s.owner == EDITS[who]}


def test_the_school_supervisor_saves_the_schools_sections_once_assigned(
    client, agreement, personas
):
    client.force_login(personas.teacher)
    data = form_data(agreement, "school_expectations")
    assert client.post(url(agreement, "school_expectations/"), data).status_code == 404
    party(personas, agreement, "school_supervisor")
    assert client.post(url(agreement, "school_expectations/"), data).status_code == 302
    saved = services.open_version(agreement).content["school_expectations"]
    assert saved["saved_by"] == personas.teacher.pk


def test_an_unknown_section_is_a_404(client, agreement, personas):
    client.force_login(personas.coordinator)
    assert client.get(url(agreement, "salaris/")).status_code == 404


def test_a_section_no_longer_opens_for_editing_once_sent(client, agreement, personas):
    ready(agreement, personas)
    send(agreement, personas)
    before = snapshot(agreement)
    client.force_login(personas.owner)
    response = client.post(url(agreement, "workplace_rules/"), {"sick_and_late": "Anders."})
    assert response.status_code == 302 and response["Location"] == url(agreement)
    assert snapshot(agreement) == before
    page = client.get(url(agreement))
    assert not any(s["editable"] for s in page.context["sections"])


# --------------------------------------------------------------------------------------------
# Sending, reopening, amending: the coordinator only


@pytest.mark.parametrize("who", [w for w in PARTIES if w != "coordinator"])
def test_only_the_coordinator_sends_the_agreement(client, agreement, personas, who):
    user = party(personas, agreement, who)
    ready(agreement, personas)
    before = snapshot(agreement)
    client.force_login(user)
    assert client.get(url(agreement, "versturen/")).status_code == 403
    response = client.post(url(agreement, "versturen/"), {"deadline": deadline().date()})
    assert response.status_code == 403
    assert snapshot(agreement) == before


def test_the_coordinator_sends_the_agreement(client, agreement, personas):
    ready(agreement, personas)
    client.force_login(personas.coordinator)
    assert client.get(url(agreement, "versturen/")).status_code == 200
    response = client.post(url(agreement, "versturen/"), {"deadline": deadline().date()})
    assert response.status_code == 302
    assert fresh(agreement).status == Status.SIGNING


@pytest.mark.parametrize("who", [w for w in PARTIES if w != "coordinator"])
def test_only_the_coordinator_reopens_and_amends(client, agreement, personas, who):
    user = party(personas, agreement, who)
    ready(agreement, personas)
    send(agreement, personas)
    client.force_login(user)
    before = snapshot(agreement)
    for action in ("heropenen", "wijzigen"):
        assert client.get(url(agreement, f"{action}/bevestigen/")).status_code == 403, action
        assert client.post(url(agreement, f"{action}/bevestigen/")).status_code == 403, action
    assert snapshot(agreement) == before


def test_only_the_coordinator_amends_a_signed_agreement(client, internship, personas):
    agreement = signed_by_everyone(internship, personas)
    party(personas, agreement, "school_supervisor")
    before = snapshot(agreement)
    for who in ("student", "owner", "member", "supervisor", "teacher"):
        client.force_login(getattr(personas, who))
        assert client.post(url(agreement, "wijzigen/bevestigen/")).status_code == 403, who
    assert snapshot(agreement) == before
    client.force_login(personas.coordinator)
    assert client.get(url(agreement, "wijzigen/bevestigen/")).status_code == 200
    assert client.post(url(agreement, "wijzigen/bevestigen/")).status_code == 302
    agreement = fresh(agreement)
    assert agreement.status == Status.AMENDING
    assert services.open_version(agreement).number == 2


def test_the_coordinator_reopens_an_agreement_out_for_signature(client, agreement, personas):
    ready(agreement, personas)
    version = send(agreement, personas)
    client.force_login(personas.coordinator)
    assert client.get(url(agreement, "heropenen/bevestigen/")).status_code == 200
    assert client.post(url(agreement, "heropenen/bevestigen/")).status_code == 302
    version.refresh_from_db()
    assert version.state == Version.State.SUPERSEDED
    assert services.open_version(agreement).number == 2
    assert client.get(url(agreement, "opnieuw/bevestigen/")).status_code == 404


# --------------------------------------------------------------------------------------------
# Signing: the required parties, each for itself


@pytest.mark.parametrize("who", PARTIES)
def test_only_the_required_parties_sign_each_for_itself(client, agreement, personas, who):
    user = party(personas, agreement, who)
    ready(agreement, personas)
    version = send(agreement, personas)
    client.force_login(user)
    page = client.get(url(agreement))
    assert (page.context["sign_form"] is not None) == (who in SIGNS)
    response = client.post(
        url(agreement, "ondertekenen/"),
        {"full_name": user.full_name, "confirm": "on", "content_hash": version.content_hash},
    )
    signatures = list(version.signatures.all())
    if who in SIGNS:
        assert response.status_code == 302
        assert [(s.party, s.user_id, s.name) for s in signatures] == [
            (SIGNS[who], user.pk, user.full_name)
        ]
    else:
        assert response.status_code == 403
        assert signatures == []


def test_the_workplace_supervisor_fills_in_the_business_part_but_does_not_sign_for_it(
    client, agreement, personas
):
    client.force_login(personas.supervisor)
    for key in ("schedule", "tasks", "offer", "workplace_rules"):
        response = client.post(url(agreement, f"{key}/"), form_data(agreement, key))
        assert response.status_code == 302, key
    school_part(agreement, personas.coordinator)
    student_part(agreement, personas.student, birth_date=ADULT)
    version = send(agreement, personas)  # the supervisor's business part is complete
    response = client.post(
        url(agreement, "ondertekenen/"),
        {"full_name": "Sam Supervisor", "confirm": "on", "content_hash": version.content_hash},
    )
    assert response.status_code == 403
    assert not version.signatures.filter(party=Party.BUSINESS).exists()
    client.force_login(personas.owner)
    response = client.post(
        url(agreement, "ondertekenen/"),
        {"full_name": "Olga Owner", "confirm": "on", "content_hash": version.content_hash},
    )
    assert response.status_code == 302
    assert version.signatures.get(party=Party.BUSINESS).user == personas.owner


# --------------------------------------------------------------------------------------------
# Signing links: the business invites a business signer, the student a guardian, the school both


@pytest.mark.parametrize(
    ("who", "business", "guardian"),
    [
        ("coordinator", 302, 302),
        ("owner", 302, 403),
        ("member", 302, 403),
        ("student", 403, 302),
        ("supervisor", 403, 403),
        ("school_supervisor", 403, 403),
    ],
)
def test_who_may_send_a_signing_link(client, agreement, personas, minor, who, business, guardian):
    user = party(personas, agreement, who)
    client.force_login(user)
    for signs_as, expected in ((Party.BUSINESS, business), (Party.GUARDIAN, guardian)):
        links = SigningLink.objects.filter(version=minor, party=signs_as)
        count = links.count()
        response = client.post(
            url(agreement, "ondertekenaar/"),
            {"party": signs_as, "name": "Iemand", "email": "iemand@example.org"},
        )
        assert response.status_code == expected, (who, signs_as)
        assert links.count() == count + (expected == 302), (who, signs_as)


@pytest.mark.parametrize("who", ["coordinator", "owner", "member", "student"])
def test_those_who_may_send_a_signing_link_open_its_form(client, agreement, personas, minor, who):
    client.force_login(getattr(personas, who))
    assert client.get(url(agreement, "ondertekenaar/")).status_code == 200


@pytest.mark.parametrize("who", ["supervisor", "school_supervisor"])
def test_those_who_may_not_send_a_signing_link_do_not_get_its_form(
    client, agreement, personas, minor, who
):
    client.force_login(party(personas, agreement, who))
    assert client.get(url(agreement, "ondertekenaar/")).status_code == 403


# --------------------------------------------------------------------------------------------
# What is private: the date of birth and the guardian's e-mail; the support notes


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("student", True),
        ("coordinator", True),
        ("owner", False),
        ("member", False),
        ("supervisor", False),
        ("school_supervisor", False),
    ],
)
def test_the_date_of_birth_and_the_guardians_email_only_for_the_student_and_the_school(
    client, agreement, personas, minor, who, sees
):
    client.force_login(party(personas, agreement, who))
    with translation.override("nl"):
        born = formats.date_format(MINOR, "j F Y")
    page = client.get(url(agreement))
    html = page.content.decode()
    assert (page.context["birth_date"] == MINOR) == sees
    assert (born in html) == sees
    assert (GUARDIAN_EMAIL in html) == sees
    assert "Petra Student" in html  # the guardian's name is part of the agreement
    version = client.get(url(agreement, f"versies/{minor.number}/")).content.decode()
    assert GUARDIAN_EMAIL not in version and born not in version


@pytest.mark.parametrize("who", ["owner", "supervisor", "coordinator", "student"])
def test_the_support_notes_are_in_the_agreement_only_when_the_student_shares_them(
    client, agreement, personas, kok_student, who
):
    application_services.support_note_add(profile=kok_student, by=personas.student, text=SECRET)
    services.agreement_section_save(
        agreement=agreement, by=personas.student, key="approach", data={"share_notes": ""}
    )
    client.force_login(getattr(personas, who))
    page = client.get(url(agreement))
    assert SECRET not in page.content.decode()
    assert page.context["notes"] == [] and not page.context["shares_notes"]
    services.agreement_section_save(
        agreement=agreement, by=personas.student, key="approach", data={"share_notes": "on"}
    )
    page = client.get(url(agreement))
    assert SECRET in page.content.decode()
    assert page.context["notes"] == [SECRET]


def test_support_notes_not_shared_stay_out_of_the_version_sent(client, agreement, personas):
    profile = personas.student.student_profile
    application_services.support_note_add(profile=profile, by=personas.student, text=SECRET)
    school_part(agreement, personas.coordinator)
    business_part(agreement, personas.owner)
    services.agreement_section_save(
        agreement=agreement,
        by=personas.student,
        key="student",
        data={"phone": "0611111111"},
        birth_date=ADULT,
    )
    services.agreement_section_save(
        agreement=agreement, by=personas.student, key="approach", data={}
    )
    version = send(agreement, personas)
    assert SECRET not in str(version.content)
    client.force_login(personas.owner)
    for address in (url(agreement), url(agreement, f"versies/{version.number}/")):
        assert SECRET not in client.get(address).content.decode(), address


# --------------------------------------------------------------------------------------------
# The agreement page costs the same queries however many versions it has


def test_the_agreement_page_runs_the_same_queries_for_2_and_5_versions(
    client, agreement, personas, django_assert_max_num_queries
):
    p = personas
    ready(agreement, p)
    version = send(agreement, p)
    sign(agreement, p.student, version)
    services.agreement_reopen(agreement=fresh(agreement), by=p.coordinator)
    client.force_login(p.coordinator)
    client.get(url(agreement))  # warm up the session and the caches
    with CaptureQueriesContext(connection) as few:
        response = client.get(url(agreement))
    assert len(response.context["versions"]) == 2
    for _ in range(2):
        version = send(agreement, p)
        sign(agreement, p.student, version)
        sign(agreement, p.owner, version)
        services.agreement_reopen(agreement=fresh(agreement), by=p.coordinator)
    version = send(agreement, p)
    for who in (p.student, p.owner, p.coordinator):
        sign(agreement, who, version)
    services.agreement_amend(agreement=fresh(agreement), by=p.coordinator)
    with django_assert_max_num_queries(len(few)) as many:
        response = client.get(url(agreement))
    assert len(response.context["versions"]) == 5
    assert response.context["version"].state == Version.State.DRAFT
    assert len(many) == len(few)


# --------------------------------------------------------------------------------------------
# The coordinator's list


def list_url(institution) -> str:
    return f"/scholen/{institution.slug}/overeenkomsten/"


def listed(response) -> list[int]:
    return [a.pk for a in response.context["page_obj"].object_list]


def make_student(name: str):
    """A Kok student of ROC van Amsterdam with a profile (as tests/internships/test_views.py)."""
    from stagebrug.accounts.models import Role
    from stagebrug.accounts.services import membership_grant
    from stagebrug.applications.models import StudentProfile

    programme = kok_programme()
    user = UserFactory(
        email=name.lower().replace(" ", ".") + "@student.rocva.example", full_name=name
    )
    membership_grant(
        user=user, role=Role.STUDENT, institution=programme.institution, programme=programme
    )
    StudentProfile.objects.create(user=user, programme=programme, year=2)
    return user


def make_agreements(personas, count: int, *, start: int = 0) -> list[Agreement]:
    """`count` Kok students confirmed at company A's kitchen placements (up to 10 each); each
    internship gets its drafted agreement."""
    chef = personas.company.supervisors.get(name="Chef Bram")
    made = []
    for first in range(0, count, 10):
        n = min(10, count - first)
        placement = make_placement(
            personas.company,
            personas.owner,
            title=f"Stage keuken {start + first} (MBO 2)",
            positions=n,
            buddy=chef,
        )
        placement_services.placement_submit(placement=placement, by=personas.owner)
        placement_services.placement_decide(
            target=placement.targets.get(), by=personas.coordinator, approve=True
        )
        placement.refresh_from_db()
        for k in range(n):
            student = make_student(f"Student Nummer{start + first + k}")
            internship = confirm_internship(student=student, placement=placement)
            made.append(Agreement.objects.get(internship=internship))
    return made


@pytest.fixture
def school(recognised):
    """Four agreements of the ROC: a draft, one out for signature, one past its deadline that
    needs attention, and a signed one."""
    personas = recognised
    draft, signing, late, signed = make_agreements(personas, 4)
    now = timezone.now()
    Agreement.objects.filter(pk=signing.pk).update(status=Status.SIGNING, deadline=deadline())
    Agreement.objects.filter(pk=late.pk).update(
        status=Status.SIGNING, deadline=now - dt.timedelta(days=2), attention_since=now
    )
    Agreement.objects.filter(pk=signed.pk).update(status=Status.SIGNED)
    return {"draft": draft, "signing": signing, "late": late, "signed": signed}


def test_the_coordinator_sees_every_agreement_of_the_school(client, school, recognised):
    client.force_login(recognised.coordinator)
    response = client.get(list_url(recognised.rocva))
    assert response.status_code == 200
    assert set(listed(response)) == {a.pk for a in school.values()}
    assert "Student Nummer0" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "draft"}, {"draft"}),
        ({"status": "signing"}, {"signing", "late"}),
        ({"status": "signed"}, {"signed"}),
        ({"aandacht": "1"}, {"late"}),
        ({"status": "signing", "aandacht": "1"}, {"late"}),
        ({"status": "amending"}, set()),
        ({"status": "nonsense"}, {"draft", "signing", "late", "signed"}),
    ],
)
def test_the_coordinator_filters_the_list(client, school, recognised, query, expected):
    client.force_login(recognised.coordinator)
    response = client.get(list_url(recognised.rocva), query)
    assert response.status_code == 200
    assert set(listed(response)) == {school[k].pk for k in expected}


def test_the_agreements_that_need_attention_come_first(client, school, recognised):
    client.force_login(recognised.coordinator)
    response = client.get(list_url(recognised.rocva))
    assert listed(response)[0] == school["late"].pk


@pytest.mark.parametrize("who", ["other_coordinator", "teacher", "owner", "student", "supervisor"])
def test_others_may_not_open_the_schools_list_of_agreements(client, school, recognised, who):
    client.force_login(getattr(recognised, who))
    response = client.get(list_url(recognised.rocva))
    assert response.status_code == 403
    assert "Student Nummer0" not in response.content.decode()


def test_another_schools_list_does_not_show_this_schools_agreements(client, school, recognised):
    client.force_login(recognised.other_coordinator)
    response = client.get(list_url(recognised.hva))
    assert response.status_code == 200
    assert listed(response) == []
    client.force_login(recognised.coordinator)
    assert client.get(list_url(recognised.hva)).status_code == 403


def test_the_coordinators_list_runs_the_same_queries_for_3_and_30_agreements(
    client, recognised, django_assert_max_num_queries
):
    personas = recognised
    made = make_agreements(personas, 3)
    Agreement.objects.filter(pk=made[0].pk).update(status=Status.SIGNING, deadline=deadline())
    client.force_login(personas.coordinator)
    address = list_url(personas.rocva)
    client.get(address)  # warm up the session and the caches
    with CaptureQueriesContext(connection) as small:
        response = client.get(address)
    assert len(listed(response)) == 3
    made += make_agreements(personas, 27, start=3)
    Agreement.objects.filter(pk__in=[a.pk for a in made[3:10]]).update(
        status=Status.SIGNED, deadline=deadline()
    )
    with django_assert_max_num_queries(len(small)) as large:
        response = client.get(address)
    assert response.context["page_obj"].paginator.count == 30
    assert len(listed(response)) == 25
    assert len(large) == len(small)
