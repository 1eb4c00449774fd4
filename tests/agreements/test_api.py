"""The agreements API (/api/v1/internships/{id}/agreement...): the same rules as the pages.

People without a part in the internship get 404 and change nothing; a party acting outside its
part gets 403 (the business saving a school section, a student sending); a rule the content
breaks is a 400 that names the field; a body of the wrong shape is a 422; no input is a 500.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from stagebrug.accounts.services import api_token_create
from stagebrug.agreements import rules, services
from stagebrug.agreements.facts import facts_for
from stagebrug.agreements.models import (
    Agreement,
    BirthDate,
    Party,
    Signature,
    SigningLink,
    Status,
    Version,
)
from stagebrug.agreements.sections import BY_KEY, SECTIONS, section_data
from stagebrug.applications import services as application_services
from stagebrug.internships.models import Internship
from tests.agreements.conftest import (
    SCHEDULE,
    business_part,
    deadline,
    school_part,
    signed_by_everyone,
    student_part,
)
from tests.dates import on

pytestmark = pytest.mark.django_db

ADULT = on(5, 5, -22)  # 21 on the start date
MINOR = on(3, 3, -16)  # 15 on the start date
GUARDIAN_EMAIL = "ouder@example.org"
SECRET = "Geef mij één taak tegelijk en bel als ik te laat ben."

# What each party edits and signs, as the API reports it (`you_edit`, `you_sign`).
# `school_supervisor` is the persona teacher once assigned to the internship.
PARTIES = {
    "student": (["student"], ["student"]),
    "owner": (["business"], ["business"]),
    "member": (["business"], ["business"]),
    "supervisor": (["business"], []),
    "coordinator": (["school"], ["school"]),
    "school_supervisor": (["school"], []),
    "operator": (["school"], []),
}
OUTSIDERS = ["outsider", "other_coordinator", "teacher"]


def nl(message, **params) -> str:
    with translation.override("nl"):
        return str(message % params if params else message)


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(user=user, name="t")[1]}


def api(agreement, rest: str = "") -> str:
    return f"/api/v1/internships/{agreement.internship_id}/agreement{rest}"


def call(client, method: str, path: str, payload=None, *, user=None):
    headers = bearer(user) if user is not None else {}
    if method == "get":
        return client.get(path, **headers)
    return getattr(client, method)(path, payload or {}, content_type="application/json", **headers)


def party(personas, agreement, who: str):
    """The persona playing `who`; the school supervisor is assigned first."""
    if who == "school_supervisor":
        Internship.objects.filter(pk=agreement.internship_id).update(
            school_supervisor=personas.teacher
        )
        return personas.teacher
    return getattr(personas, who)


def fresh(agreement) -> Agreement:
    return Agreement.objects.get(pk=agreement.pk)


def current(agreement) -> Version:
    return services.open_version(agreement) or services.signed_version(agreement)


def ready(agreement, personas, *, birth_date=ADULT, guardian: bool = False) -> None:
    school_part(agreement, personas.coordinator)
    business_part(agreement, personas.owner)
    student_part(agreement, personas.student, birth_date=birth_date, guardian=guardian)


def send(agreement, personas) -> Version:
    return services.agreement_send(
        agreement=fresh(agreement), by=personas.coordinator, deadline=deadline()
    )


def given(agreement, personas, state: str) -> Agreement:
    """The agreement in `state`: ready (every part done), sent, or signed by everyone."""
    if state == "signed":
        return signed_by_everyone(agreement.internship, personas)
    ready(agreement, personas)
    if state == "sent":
        send(agreement, personas)
    return fresh(agreement)


def section_input(agreement, key: str) -> dict:
    """The `data` of a valid save of `key`, from the current version's proposals."""
    content = current(agreement).content
    proposed = section_data(content, key)
    goals = [k.split("_")[1] for k, v in section_data(content, "goals").items() if k[:5] == "goal_"]
    return {
        "programme": proposed,
        "period": proposed,
        "goals": proposed or {"goal_1": "Zelfstandig eenvoudige gerechten bereiden"},
        "supervision": proposed,
        "school_expectations": {"expectations": "De school belt elke week met de chef."},
        "ending": proposed,
        "schedule": SCHEDULE,
        "tasks": {f"tasks_{n}": ["Groenten snijden", "Soep bereiden"] for n in goals}
        or {"tasks_1": ["Groenten snijden"]},
        "offer": proposed | {"expected_costs": "20.00", "expense_allowance": "25.00"},
        "workplace_rules": {"sick_and_late": "Bel chef Bram vóór 8:00 op 06 12345678."},
        "student": {"phone": "0611111111", "learning_wishes": "Brood bakken."},
        "approach": {"share_notes": True},
    }[key]


def put(client, agreement, key: str, data: dict, *, user, birth_date=ADULT):
    body = {"data": data, "birth_date": birth_date.isoformat() if birth_date else None}
    return call(client, "put", api(agreement, f"/sections/{key}"), body, user=user)


def sign_body(version: Version, name: str = "Iemand", **extra) -> dict:
    return {"content_hash": version.content_hash, "full_name": name, "confirm": True} | extra


def endpoints(agreement) -> list[tuple[str, str, dict | None]]:
    """Every agreement endpoint, with what a party would send."""
    version = current(agreement)
    out = [
        ("get", api(agreement), None),
        ("get", api(agreement, "/versions"), None),
        ("get", api(agreement, f"/versions/{version.number}"), None),
        ("get", api(agreement, "/export"), None),
        ("post", api(agreement, "/send"), {"deadline": deadline().isoformat()}),
        ("post", api(agreement, "/sign"), sign_body(version)),
        ("post", api(agreement, "/reopen"), {}),
        ("post", api(agreement, "/amend"), {}),
    ]
    for section in SECTIONS:
        body = {"data": section_input(agreement, section.key), "birth_date": ADULT.isoformat()}
        out.append(("put", api(agreement, f"/sections/{section.key}"), body))
    return out


def snapshot(agreement) -> tuple:
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
        SigningLink.objects.filter(version__agreement=agreement).count(),
        BirthDate.objects.count(),
    )


@pytest.fixture
def minor_signed(agreement, personas) -> Version:
    """A minor's agreement signed by everyone, the guardian with their personal link."""
    ready(agreement, personas, birth_date=MINOR, guardian=True)
    version = send(agreement, personas)
    for who in (personas.student, personas.owner, personas.coordinator):
        services.agreement_sign(
            agreement=fresh(agreement),
            by=who,
            content_hash=version.content_hash,
            full_name=who.full_name,
            confirm=True,
        )
    link = services.agreement_invite_signer(
        agreement=fresh(agreement),
        by=personas.coordinator,
        party=Party.GUARDIAN,
        name="Petra Student",
        email=GUARDIAN_EMAIL,
    )
    services.agreement_sign_with_link(
        token=link.raw_token,
        content_hash=version.content_hash,
        full_name="Petra Student",
        confirm=True,
    )
    version.refresh_from_db()
    assert version.state == Version.State.SIGNED
    return version


# --------------------------------------------------------------------------------------------
# Reading: every party, with what it edits and signs; outsiders 404


@pytest.mark.parametrize("who", list(PARTIES))
def test_each_party_reads_the_agreement_with_what_it_edits_and_signs(
    client, agreement, personas, who
):
    user = party(personas, agreement, who)
    you_edit, you_sign = PARTIES[who]
    response = call(client, "get", api(agreement), user=user)
    assert response.status_code == 200
    body = response.json()
    assert (body["you_edit"], body["you_sign"]) == (you_edit, you_sign)
    assert body["status"] == Status.DRAFT and body["version"]["number"] == 1
    assert [s["key"] for s in body["sections"]] == [s.key for s in SECTIONS]
    editable = {s["key"] for s in body["sections"] if s["editable"]}
    assert editable == {s.key for s in SECTIONS if s.owner in you_edit}
    assert body["waiting_for"] == ["school", "business", "student"]
    versions = call(client, "get", api(agreement, "/versions"), user=user)
    assert [v["number"] for v in versions.json()] == [1]
    detail = call(client, "get", api(agreement, "/versions/1"), user=user)
    assert detail.status_code == 200 and "period" in detail.json()["content"]
    assert call(client, "get", api(agreement, "/versions/2"), user=user).status_code == 404


@pytest.mark.parametrize("state", ["ready", "sent", "signed"])
@pytest.mark.parametrize("who", OUTSIDERS)
def test_people_without_a_part_get_404_on_every_agreement_endpoint_and_change_nothing(
    client, agreement, personas, who, state
):
    agreement = given(agreement, personas, state)
    before = snapshot(agreement)
    user = getattr(personas, who)
    for method, path, payload in endpoints(agreement):
        response = call(client, method, path, payload, user=user)
        assert response.status_code == 404, (who, method, path, response.status_code)
        assert response.json()["detail"]
        assert "Stan Student" not in response.content.decode()
    assert snapshot(agreement) == before


def test_every_agreement_endpoint_needs_credentials(client, agreement, personas):
    agreement = given(agreement, personas, "sent")
    before = snapshot(agreement)
    for method, path, payload in endpoints(agreement):
        response = call(client, method, path, payload)
        assert response.status_code == 401, (method, path, response.status_code)
    assert snapshot(agreement) == before


def test_an_internship_without_an_agreement_or_that_does_not_exist_is_a_404(
    client, agreement, personas
):
    missing = f"/api/v1/internships/{agreement.internship_id + 1000}/agreement"
    assert call(client, "get", missing, user=personas.operator).status_code == 404
    Agreement.objects.filter(pk=agreement.pk).delete()
    assert call(client, "get", api(agreement), user=personas.coordinator).status_code == 404


# --------------------------------------------------------------------------------------------
# Sections: each party its own


@pytest.mark.parametrize("who", [w for w in PARTIES if w != "operator"])
def test_each_party_saves_its_own_sections_and_gets_403_on_anothers(
    client, agreement, personas, who
):
    user = party(personas, agreement, who)
    you_edit = PARTIES[who][0]
    for section in SECTIONS:
        before = current(agreement).content.get(section.key)
        response = put(
            client, agreement, section.key, section_input(agreement, section.key), user=user
        )
        after = current(agreement).content.get(section.key)
        if section.owner in you_edit:
            assert response.status_code == 200, (who, section.key, response.json())
            assert after["saved_by"] == user.pk
            saved = next(s for s in response.json()["sections"] if s["key"] == section.key)
            assert saved["state"] == "done", (who, section.key)
        else:
            assert response.status_code == 403, (who, section.key, response.status_code)
            assert response.json()["detail"] == nl(
                services.NOT_YOUR_SECTION, party=services.PARTY_NAMES[section.owner]
            )
            assert after == before, (who, section.key)


def test_the_school_supervisor_saves_the_schools_sections_only_once_assigned(
    client, agreement, personas
):
    data = section_input(agreement, "school_expectations")
    response = put(client, agreement, "school_expectations", data, user=personas.teacher)
    assert response.status_code == 404
    party(personas, agreement, "school_supervisor")
    response = put(client, agreement, "school_expectations", data, user=personas.teacher)
    assert response.status_code == 200
    assert current(agreement).content["school_expectations"]["saved_by"] == personas.teacher.pk


def test_an_unknown_section_is_refused(client, agreement, personas):
    response = put(client, agreement, "salaris", {"bedrag": 1}, user=personas.coordinator)
    assert response.status_code == 400 and response.json()["detail"]


def test_a_section_cannot_be_saved_once_sent(client, agreement, personas):
    agreement = given(agreement, personas, "sent")
    before = snapshot(agreement)
    data = section_input(agreement, "workplace_rules") | {"phone_use": "Telefoon in je kluisje."}
    response = put(client, agreement, "workplace_rules", data, user=personas.owner)
    assert response.status_code == 400
    assert response.json()["detail"] == nl(services.NOT_EDITABLE_SIGNING)
    assert snapshot(agreement) == before


def period_with(agreement, **changes) -> dict:
    return section_input(agreement, "period") | changes


def offer_with(agreement, **changes) -> dict:
    return section_input(agreement, "offer") | changes


def schedule(days: dict[str, tuple[str, str]]) -> dict:
    out = {}
    for day, (start, end) in days.items():
        out |= {f"{day}_start": start, f"{day}_end": end}
    return out


def supervision_with(agreement, **changes) -> dict:
    return section_input(agreement, "supervision") | changes


RULES = [
    pytest.param(
        "coordinator",
        "period",
        lambda a: period_with(a, hours_per_week=20),
        "hours_per_week",
        lambda a: nl(
            rules.HOURS_OUTSIDE_RANGE,
            programme=facts_for(a.internship).programme,
            low=facts_for(a.internship).hours_min,
            high=facts_for(a.internship).hours_max,
        ),
        id="period hours below the programme's range",
    ),
    pytest.param(
        "coordinator",
        "period",
        lambda a: period_with(
            a, end_date=(a.internship.start_date - dt.timedelta(days=1)).isoformat()
        ),
        "end_date",
        lambda a: nl(rules.END_BEFORE_START),
        id="period ending before it starts",
    ),
    pytest.param(
        "coordinator",
        "supervision",
        lambda a: supervision_with(a, contact_moments=2),
        "contact_moments",
        lambda a: nl(rules.TOO_FEW_CONTACT_MOMENTS, stagepact=rules.STAGEPACT),
        id="too few contact moments for MBO",
    ),
    pytest.param(
        "coordinator",
        "supervision",
        lambda a: supervision_with(a, contact_on_site=False),
        "contact_on_site",
        lambda a: nl(rules.NO_CONTACT_ON_SITE, stagepact=rules.STAGEPACT),
        id="no contact at the workplace for MBO",
    ),
    pytest.param(
        "coordinator",
        "programme",
        lambda a: {"learning_path": "bbl", "placement_type": "stage"},
        "placement_type",
        lambda a: nl(rules.BBL_NEEDS_LEARNING_JOB),
        id="BBL that is not a learning job",
    ),
    pytest.param(
        "owner",
        "offer",
        lambda a: offer_with(a, expected_costs="30.00", expense_allowance="20.00"),
        "expense_allowance",
        lambda a: nl(rules.EXPENSES_NOT_COVERED, stagepact=rules.STAGEPACT, costs="€ 30.00"),
        id="expense allowance below the expected costs for MBO",
    ),
    pytest.param(
        "owner",
        "schedule",
        lambda a: schedule({"mon": ("09:00", "17:00"), "tue": ("09:00", "17:00")}),
        "__all__",
        lambda a: nl(
            rules.SCHEDULE_HOURS_DIFFER, scheduled="16", agreed=a.internship.hours_per_week
        ),
        id="schedule not adding up to the hours",
    ),
    pytest.param(
        "owner",
        "schedule",
        lambda a: SCHEDULE | {"mon_start": "17:00", "mon_end": "09:00"},
        "mon_end",
        lambda a: nl(rules.SCHEDULE_END_BEFORE_START),
        id="a day ending before it starts",
    ),
    pytest.param(
        "owner",
        "schedule",
        lambda a: {},
        "__all__",
        lambda a: nl(rules.SCHEDULE_EMPTY),
        id="an empty schedule",
    ),
]


@pytest.mark.parametrize(("who", "key", "data", "field", "message"), RULES)
def test_a_section_breaking_a_rule_is_a_400_naming_the_field(
    client, agreement, personas, who, key, data, field, message
):
    before = snapshot(agreement)
    response = put(client, agreement, key, data(agreement), user=getattr(personas, who))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["errors"][field] == [message(agreement)], body
    assert body["detail"] == message(agreement)
    assert snapshot(agreement) == before


def test_the_student_gives_a_date_of_birth_and_a_minor_their_guardian(client, agreement, personas):
    data = section_input(agreement, "student")
    response = put(client, agreement, "student", data, user=personas.student, birth_date=None)
    assert response.status_code == 400
    with translation.override("nl"):
        assert response.json()["errors"]["birth_date"] == [gettext("Give your date of birth.")]
    response = put(client, agreement, "student", data, user=personas.student, birth_date=MINOR)
    assert response.status_code == 400
    assert response.json()["errors"]["guardian_email"] == [nl(rules.GUARDIAN_NEEDED)]
    assert not BirthDate.objects.exists()  # nothing of a refused save is kept
    data |= {"guardian_name": "Petra Student", "guardian_email": GUARDIAN_EMAIL}
    response = put(client, agreement, "student", data, user=personas.student, birth_date=MINOR)
    assert response.status_code == 200
    assert BirthDate.objects.get(user=personas.student).date == MINOR


# --------------------------------------------------------------------------------------------
# Sending, reopening, amending: the coordinator only


def test_sending_before_every_part_is_done_is_refused(client, agreement, personas):
    body = {"deadline": deadline().isoformat()}
    response = call(client, "post", api(agreement, "/send"), body, user=personas.coordinator)
    assert response.status_code == 400
    with translation.override("nl"):
        titles = ", ".join(str(s.title) for s in SECTIONS)
    assert response.json()["detail"] == nl(services.NOT_READY, sections=titles)
    school_part(agreement, personas.coordinator)
    business_part(agreement, personas.owner)
    response = call(client, "post", api(agreement, "/send"), body, user=personas.coordinator)
    assert response.status_code == 400
    with translation.override("nl"):
        titles = ", ".join(str(BY_KEY[k].title) for k in ("student", "approach"))
    assert response.json()["detail"] == nl(services.NOT_READY, sections=titles)
    assert fresh(agreement).status == Status.DRAFT
    assert services.open_version(agreement).state == Version.State.DRAFT


def after_the_end(agreement) -> str:
    with translation.override("nl"):
        end = formats.date_format(agreement.internship.end_date, "j F Y")
    return nl(services.DEADLINE_AFTER_END, date=end)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (
            lambda a: timezone.now() - dt.timedelta(hours=1),
            lambda a: nl(services.DEADLINE_IN_PAST),
        ),
        (
            lambda a: dt.datetime.combine(
                a.internship.end_date + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC
            ),
            after_the_end,
        ),
    ],
    ids=["in the past", "after the internship ends"],
)
def test_a_deadline_in_the_past_or_after_the_end_is_refused(
    client, agreement, personas, when, message
):
    agreement = given(agreement, personas, "ready")
    body = {"deadline": when(agreement).isoformat()}
    response = call(client, "post", api(agreement, "/send"), body, user=personas.coordinator)
    assert response.status_code == 400
    assert response.json()["errors"]["deadline"] == [message(agreement)]
    assert fresh(agreement).status == Status.DRAFT


@pytest.mark.parametrize("who", [w for w in PARTIES if w not in ("coordinator", "operator")])
def test_only_the_coordinator_sends_reopens_and_amends(client, agreement, personas, who):
    user = party(personas, agreement, who)
    agreement = given(agreement, personas, "ready")
    before = snapshot(agreement)
    body = {"deadline": deadline().isoformat()}
    assert call(client, "post", api(agreement, "/send"), body, user=user).status_code == 403
    assert snapshot(agreement) == before
    send(agreement, personas)
    before = snapshot(agreement)
    for action in ("/reopen", "/amend"):
        response = call(client, "post", api(agreement, action), user=user)
        assert response.status_code == 403, action
        assert response.json()["detail"]
    assert snapshot(agreement) == before


def test_the_coordinator_sends_reopens_and_amends(client, agreement, personas):
    c = personas.coordinator
    agreement = given(agreement, personas, "ready")
    body = {"deadline": deadline().isoformat()}
    response = call(client, "post", api(agreement, "/send"), body, user=c)
    assert response.status_code == 200
    sent = response.json()
    assert sent["status"] == Status.SIGNING and sent["version"]["state"] == "signing"
    assert sent["version"]["content_hash"] == services.open_version(agreement).content_hash
    assert sent["unsigned"] == ["student", "business", "school"]
    assert not any(s["editable"] for s in sent["sections"])
    response = call(client, "post", api(agreement, "/amend"), user=c)
    assert response.status_code == 400
    assert response.json()["detail"] == nl(services.NOTHING_TO_AMEND)
    response = call(client, "post", api(agreement, "/reopen"), user=c)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]["number"]) == ("draft", 2)
    response = call(client, "post", api(agreement, "/reopen"), user=c)
    assert response.status_code == 400
    assert response.json()["detail"] == nl(services.NOTHING_TO_REOPEN)


# --------------------------------------------------------------------------------------------
# Signing


@pytest.mark.parametrize("who", [w for w in PARTIES if w != "operator"])
def test_only_the_required_parties_sign_each_for_itself(client, agreement, personas, who):
    user = party(personas, agreement, who)
    agreement = given(agreement, personas, "sent")
    version = services.open_version(agreement)
    you_sign = PARTIES[who][1]
    response = call(
        client, "post", api(agreement, "/sign"), sign_body(version, user.full_name), user=user
    )
    signatures = list(version.signatures.values_list("party", "user_id", "method"))
    if you_sign:
        assert response.status_code == 200
        assert signatures == [(you_sign[0], user.pk, Signature.Method.TOKEN)]
        assert you_sign[0] not in response.json()["unsigned"]
    else:
        assert response.status_code == 403
        assert response.json()["detail"] == nl(services.NOT_A_SIGNER)
        assert signatures == []


def test_signing_a_version_that_changed_is_refused(client, agreement, personas):
    agreement = given(agreement, personas, "sent")
    old = services.open_version(agreement)
    services.agreement_reopen(agreement=fresh(agreement), by=personas.coordinator)
    data = section_input(agreement, "workplace_rules") | {"phone_use": "Telefoon in je kluisje."}
    assert put(client, agreement, "workplace_rules", data, user=personas.owner).status_code == 200
    new = send(agreement, personas)
    assert new.content_hash != old.content_hash
    response = call(client, "post", api(agreement, "/sign"), sign_body(old), user=personas.owner)
    assert response.status_code == 400
    assert response.json()["detail"] == nl(services.VERSION_CHANGED, number=new.number)
    tampered = sign_body(new) | {"content_hash": "0" * 64}
    response = call(client, "post", api(agreement, "/sign"), tampered, user=personas.owner)
    assert response.status_code == 400
    assert not Signature.objects.filter(version__agreement=agreement).exists()


def test_signing_twice_for_the_same_party_is_refused_and_counts_once(client, agreement, personas):
    agreement = given(agreement, personas, "sent")
    version = services.open_version(agreement)
    path = api(agreement, "/sign")
    owner, member = personas.owner, personas.member
    first = call(client, "post", path, sign_body(version, owner.full_name), user=owner)
    assert first.status_code == 200
    expected = nl(
        services.ALREADY_SIGNED,
        party=services.PARTY_NAMES[Party.BUSINESS],
        name=owner.full_name,
    )
    for who in (owner, member):
        response = call(client, "post", path, sign_body(version, who.full_name), user=who)
        assert response.status_code == 400, who
        assert response.json()["detail"] == expected
    assert list(version.signatures.values_list("party", "user_id")) == [(Party.BUSINESS, owner.pk)]


def test_signing_needs_a_typed_name_and_the_confirmation(client, agreement, personas):
    agreement = given(agreement, personas, "sent")
    version = services.open_version(agreement)
    path = api(agreement, "/sign")
    response = call(client, "post", path, sign_body(version, confirm=False), user=personas.owner)
    assert response.status_code == 400
    assert response.json()["errors"]["confirm"] == [nl(services.CONFIRM_REQUIRED)]
    response = call(client, "post", path, sign_body(version, "   "), user=personas.owner)
    assert response.status_code == 400
    assert response.json()["errors"]["full_name"] == [nl(services.NAME_REQUIRED)]
    assert not version.signatures.exists()


def test_signing_a_draft_is_refused(client, agreement, personas):
    agreement = given(agreement, personas, "ready")
    body = {"content_hash": "", "full_name": "Stan Student", "confirm": True}
    response = call(client, "post", api(agreement, "/sign"), body, user=personas.student)
    assert response.status_code == 400
    assert response.json()["detail"] == nl(services.NOT_OUT_FOR_SIGNATURE)


# --------------------------------------------------------------------------------------------
# The whole path, and the export


def test_the_whole_agreement_through_the_api_and_its_export(client, agreement, personas):
    p = personas
    assert call(client, "get", api(agreement, "/export"), user=p.coordinator).status_code == 404
    for section in SECTIONS:
        who = {"school": p.coordinator, "business": p.owner, "student": p.student}[section.owner]
        response = put(
            client, agreement, section.key, section_input(agreement, section.key), user=who
        )
        assert response.status_code == 200, (section.key, response.json())
    assert response.json()["waiting_for"] == []
    body = {"deadline": deadline().isoformat()}
    response = call(client, "post", api(agreement, "/send"), body, user=p.coordinator)
    assert response.status_code == 200
    version = response.json()["version"]
    assert call(client, "get", api(agreement, "/export"), user=p.coordinator).status_code == 404
    for who in (p.student, p.owner, p.coordinator):
        hashed = {"content_hash": version["content_hash"], "full_name": who.full_name}
        response = call(
            client, "post", api(agreement, "/sign"), hashed | {"confirm": True}, user=who
        )
        assert response.status_code == 200, who
    assert response.json()["status"] == Status.SIGNED
    for who in (p.student, p.owner, p.supervisor, p.coordinator):
        export = call(client, "get", api(agreement, "/export"), user=who)
        assert export.status_code == 200, who
        exported = export.json()
        assert exported["state"] == "signed" and exported["number"] == version["number"]
        assert exported["content_hash"] == version["content_hash"]
        assert exported["content_hash"] == rules.content_hash(
            services.signed_version(agreement).content
        )
        assert exported["code"].endswith(version["content_hash"][:12].upper())
        assert {s["party"] for s in exported["signatures"]} == {"student", "business", "school"}
        assert {s["content_hash"] for s in exported["signatures"]} == {version["content_hash"]}
        assert exported["content"]["period"]["data"]["hours_per_week"] == 32
    # An amendment is a new draft; the signed version stays the one in force.
    response = call(client, "post", api(agreement, "/amend"), user=p.coordinator)
    assert response.status_code == 200
    assert response.json()["version"]["number"] == version["number"] + 1
    assert response.json()["status"] == Status.AMENDING
    export = call(client, "get", api(agreement, "/export"), user=p.owner)
    assert export.json()["number"] == version["number"]
    versions = call(client, "get", api(agreement, "/versions"), user=p.owner).json()
    assert [(v["number"], v["state"]) for v in versions] == [(1, "signed"), (2, "draft")]


# --------------------------------------------------------------------------------------------
# What is private: the guardian's e-mail, the support notes


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
def test_the_guardians_email_only_for_the_student_and_the_school(
    client, agreement, personas, minor_signed, who, sees
):
    user = party(personas, agreement, who)
    number = minor_signed.number
    for path in (api(agreement), api(agreement, f"/versions/{number}"), api(agreement, "/export")):
        response = call(client, "get", path, user=user)
        assert response.status_code == 200, path
        assert (GUARDIAN_EMAIL in response.content.decode()) == sees, path
        body = response.json()
        if "sections" in body:
            student = next(s["data"] for s in body["sections"] if s["key"] == "student")
        else:
            student = body["content"]["student"]["data"]
        assert ("guardian_email" in student) == sees, path
        assert student["guardian_name"] == "Petra Student"
    assert call(client, "get", api(agreement), user=user).json()["version"]["required_parties"] == [
        "student",
        "business",
        "school",
        "guardian",
    ]


@pytest.mark.parametrize("who", ["owner", "supervisor", "coordinator"])
def test_support_notes_are_in_the_agreement_only_when_the_student_shares_them(
    client, agreement, personas, kok_student, who
):
    application_services.support_note_add(profile=kok_student, by=personas.student, text=SECRET)
    user = getattr(personas, who)
    response = put(client, agreement, "approach", {"share_notes": False}, user=personas.student)
    assert response.status_code == 200
    read = call(client, "get", api(agreement), user=user)
    assert SECRET not in read.content.decode()
    approach = next(s for s in read.json()["sections"] if s["key"] == "approach")
    assert approach["data"] == {"share_notes": False, "notes": []}
    response = put(client, agreement, "approach", {"share_notes": True}, user=personas.student)
    read = call(client, "get", api(agreement), user=user)
    approach = next(s for s in read.json()["sections"] if s["key"] == "approach")
    assert approach["data"] == {"share_notes": True, "notes": [SECRET]}


def test_a_student_cannot_put_notes_of_their_own_in_the_agreement(client, agreement, personas):
    data = {"share_notes": False, "notes": ["Iets anders"]}
    response = put(client, agreement, "approach", data, user=personas.student)
    assert response.status_code == 200
    assert current(agreement).content["approach"]["data"]["notes"] == []


# --------------------------------------------------------------------------------------------
# The API's description and its bad input


def test_the_openapi_description_lists_the_agreement_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/internships/{internship_id}/agreement"
    expected = {
        base: {"get"},
        f"{base}/versions": {"get"},
        f"{base}/versions/{{number}}": {"get"},
        f"{base}/sections/{{key}}": {"put"},
        f"{base}/send": {"post"},
        f"{base}/sign": {"post"},
        f"{base}/reopen": {"post"},
        f"{base}/amend": {"post"},
        f"{base}/export": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) == methods, path
    assert {p for p in paths if "/agreement" in p} == set(expected)


@pytest.mark.parametrize("number", [0, -1, 10**20])
def test_ids_out_of_range_are_refused_not_a_500(client, agreement, personas, number):
    client.raise_request_exception = False
    user = personas.coordinator
    out_of_range = f"/api/v1/internships/{number}/agreement"
    paths = [
        ("get", out_of_range, None),
        ("get", f"{out_of_range}/versions", None),
        ("get", f"{out_of_range}/export", None),
        ("get", api(agreement, f"/versions/{number}"), None),
        ("put", f"{out_of_range}/sections/period", {"data": {}}),
        ("post", f"{out_of_range}/send", {"deadline": deadline().isoformat()}),
        ("post", f"{out_of_range}/sign", {"content_hash": "", "full_name": "x", "confirm": True}),
        ("post", f"{out_of_range}/reopen", {}),
        ("post", f"{out_of_range}/amend", {}),
    ]
    for method, path, payload in paths:
        response = call(client, method, path, payload, user=user)
        assert response.status_code in (404, 422), (path, response.status_code)
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("endpoint", "body", "field"),
    [
        ("/sections/period", {}, "data"),
        ("/sections/period", {"data": "32 uur"}, "data"),
        ("/sections/student", {"data": {}, "birth_date": "vorig jaar"}, "birth_date"),
        ("/send", {}, "deadline"),
        ("/send", {"deadline": "volgende week"}, "deadline"),
        ("/sign", {"content_hash": "x", "full_name": "Olga Owner"}, "confirm"),
        ("/sign", {"content_hash": "0" * 65, "full_name": "O", "confirm": True}, "content_hash"),
        ("/sign", {"content_hash": "x", "full_name": "O" * 301, "confirm": True}, "full_name"),
    ],
)
def test_a_body_of_the_wrong_shape_is_a_422_naming_the_field(
    client, agreement, personas, endpoint, body, field
):
    before = snapshot(agreement)
    method = "put" if endpoint.startswith("/sections/") else "post"
    response = call(client, method, api(agreement, endpoint), body, user=personas.coordinator)
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert snapshot(agreement) == before


@pytest.mark.parametrize(
    ("who", "key", "data"),
    [
        ("coordinator", "period", {"start_date": int(on(2, 1).strftime("%Y%m%d"))}),
        ("owner", "schedule", {"mon_start": 9, "mon_end": 17}),
        ("owner", "tasks", {"tasks_1": [1, 2]}),
    ],
    ids=["date as a number", "time as a number", "task lines as numbers"],
)
def test_a_section_value_of_the_wrong_type_is_refused_not_a_500(
    client, agreement, personas, who, key, data
):
    client.raise_request_exception = False
    response = put(client, agreement, key, data, user=getattr(personas, who))
    assert response.status_code in (400, 422), response.status_code


@pytest.mark.parametrize(
    "born",
    [on(1, 1, -121), timezone.localdate() + dt.timedelta(days=30)],
    ids=["120 years ago", "future"],
)
def test_the_api_refuses_a_date_of_birth_the_page_refuses(client, agreement, personas, born):
    data = section_input(agreement, "student") | {
        "guardian_name": "Petra Student",
        "guardian_email": GUARDIAN_EMAIL,
    }
    response = put(client, agreement, "student", data, user=personas.student, birth_date=born)
    assert response.status_code == 400
    assert "birth_date" in response.json()["errors"]
    assert not BirthDate.objects.exists()


def test_the_schedule_adds_up_to_the_hours_of_the_agreements_period(client, agreement, personas):
    period = period_with(agreement, hours_per_week=24, total_hours=24 * 20)
    assert put(client, agreement, "period", period, user=personas.coordinator).status_code == 200
    days = {day: ("09:00", "17:00") for day in ("mon", "tue", "wed")}
    response = put(client, agreement, "schedule", schedule(days), user=personas.owner)
    assert response.status_code == 200, response.json()


def test_the_sections_of_an_ended_agreement_are_not_editable(client, agreement, personas):
    services.agreement_end(internship=agreement.internship)
    response = call(client, "get", api(agreement), user=personas.coordinator)
    assert response.json()["status"] == Status.ENDED
    assert not any(s["editable"] for s in response.json()["sections"])
