import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from stagebrug.accounts import services
from stagebrug.accounts.models import ApiToken, Invitation, Membership, Role, User
from stagebrug.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signup_lowercases_the_email_and_hashes_the_password():
    user = services.user_signup(
        email="Anna@Example.ORG", full_name=" Anna ", password="een-lang-wachtwoord"
    )
    assert user.email == "anna@example.org" and user.full_name == "Anna"
    assert user.password.startswith(("argon2", "md5")) and "een-lang" not in user.password


def test_signup_refuses_a_taken_email_and_a_weak_password():
    UserFactory(email="anna@example.org")
    with pytest.raises(ValidationError) as info:
        services.user_signup(email="ANNA@example.org", full_name="Anna", password="123")
    assert set(info.value.message_dict) == {"email", "password"}
    assert User.objects.filter(email="anna@example.org").count() == 1


def test_argon2_is_the_production_hasher(settings):
    from django.conf import global_settings  # noqa: F401

    from stagebrug import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_owner_invites_a_colleague_who_accepts_with_a_new_account(
    client, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = services.invitation_create(
            by=personas.owner,
            email="Nieuw@A.example",
            role=Role.COMPANY_MEMBER,
            company=personas.company,
        )
    assert invitation.email == "nieuw@a.example"
    assert len(mail.outbox) == 1 and raw in mail.outbox[0].body
    assert mail.outbox[0].to == ["nieuw@a.example"]
    response = client.post(
        f"/account/uitnodiging/{raw}/",
        {
            "full_name": "Nieuwe Collega",
            "password1": "lang-genoeg-wachtwoord",
            "password2": "lang-genoeg-wachtwoord",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@a.example")
    assert Membership.objects.filter(
        user=user, company=personas.company, role=Role.COMPANY_MEMBER
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and not invitation.is_open


def test_an_invitation_works_once_and_not_after_it_expires(personas):
    invitation, _raw = services.invitation_create(
        by=personas.coordinator,
        email="docent@rocva.example",
        role=Role.SCHOOL_SUPERVISOR,
        institution=personas.rocva,
    )
    teacher = UserFactory(email="docent@rocva.example")
    with (
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=15)),
        pytest.raises(ValidationError),
    ):
        services.invitation_accept(invitation=invitation, user=teacher)
    services.invitation_accept(invitation=invitation, user=teacher)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=teacher)
    assert Membership.objects.filter(user=teacher, role=Role.SCHOOL_SUPERVISOR).count() == 1


def test_an_invitation_is_only_for_the_address_it_was_sent_to(personas):
    invitation, _raw = services.invitation_create(
        by=personas.owner, email="een@a.example", role=Role.COMPANY_MEMBER, company=personas.company
    )
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=personas.outsider)
    assert not Membership.objects.filter(user=personas.outsider, company=personas.company).exists()


@pytest.mark.parametrize(
    "who, role, org",
    [
        ("member", Role.COMPANY_MEMBER, "company"),  # only owners invite colleagues
        ("outsider", Role.COMPANY_OWNER, "company"),
        ("coordinator", Role.COMPANY_MEMBER, "company"),
        ("owner", Role.SCHOOL_COORDINATOR, "rocva"),
        ("teacher", Role.SCHOOL_SUPERVISOR, "rocva"),
        ("other_coordinator", Role.SCHOOL_SUPERVISOR, "rocva"),
        ("coordinator", Role.STUDENT, "rocva"),
        ("coordinator", Role.OPERATOR, "rocva"),
    ],
)
def test_people_cannot_invite_outside_their_own_organisation_or_role(personas, who, role, org):
    kwargs = {"company": personas.company} if org == "company" else {"institution": personas.rocva}
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            by=getattr(personas, who), email="x@example.org", role=role, **kwargs
        )
    assert not Invitation.objects.exists()


def test_accepting_a_supervisor_invitation_links_the_supervisor_record(personas):
    from tests.factories import SupervisorFactory

    record = SupervisorFactory(company=personas.company, by=personas.owner, email="buddy@a.example")
    invitation, _raw = services.invitation_create(
        by=personas.owner,
        email="buddy@a.example",
        role=Role.COMPANY_SUPERVISOR,
        company=personas.company,
    )
    buddy = UserFactory(email="buddy@a.example")
    services.invitation_accept(invitation=invitation, user=buddy)
    record.refresh_from_db()
    assert record.user == buddy


def test_the_last_owner_cannot_be_removed(personas):
    owner_membership = Membership.objects.get(user=personas.owner, role=Role.COMPANY_OWNER)
    with pytest.raises(ValidationError):
        services.membership_remove(membership=owner_membership, by=personas.owner)
    member = Membership.objects.get(user=personas.member)
    services.membership_remove(membership=member, by=personas.owner)
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_api_tokens_are_stored_as_hashes_and_authenticate_until_revoked():
    user = UserFactory()
    token, raw = services.api_token_create(user=user, name="Roosters")
    assert raw.startswith("sb_") and raw not in token.key_hash and token.prefix == raw[3:11]
    assert services.api_token_authenticate(raw) == user
    assert services.api_token_authenticate(raw + "x") is None
    assert services.api_token_authenticate("") is None
    services.api_token_revoke(token=token, by=user)
    assert services.api_token_authenticate(raw) is None
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=token, by=UserFactory())


def test_export_contains_the_persons_own_data_only(personas):
    data = services.user_export(user=personas.owner)
    assert data["user"]["email"] == personas.owner.email
    assert [m["company"] for m in data["memberships"]] == ["Bakkerij A"]
    assert all("outsider" not in str(v).lower() for v in data.values())
    assert any(c["action"] == "company.register" for c in data["changes_made"])


def test_erasing_an_account_removes_the_person_but_keeps_an_anonymous_log(personas):
    user = personas.member
    pk = user.pk
    services.user_erase(user=user)
    assert not User.objects.filter(pk=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()
    assert (
        not AuditEvent.objects.filter(object_type="accounts.user", object_id=str(pk))
        .exclude(object_repr="")
        .exists()
    )
    assert AuditEvent.objects.filter(action="user.erase", object_id=str(pk)).exists()


def test_the_only_owner_cannot_erase_their_account(personas):
    with pytest.raises(ValidationError):
        services.user_erase(user=personas.owner)
    assert User.objects.filter(pk=personas.owner.pk).exists()


def test_password_reset_sends_a_working_link(client, django_capture_on_commit_callbacks):
    import re

    UserFactory(email="vergeten@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/wachtwoord-vergeten/", {"email": "vergeten@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(
        r"https?://[^/]+(/account/wachtwoord-herstellen/\S+)", mail.outbox[0].body
    ).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url,
        {"new_password1": "nieuw-sterk-wachtwoord", "new_password2": "nieuw-sterk-wachtwoord"},
    )
    assert User.objects.get(email="vergeten@example.org").check_password("nieuw-sterk-wachtwoord")


def test_login_is_case_insensitive_on_email(client):
    UserFactory(email="kees@example.org")
    from tests.factories import PASSWORD

    response = client.post(
        "/account/inloggen/", {"username": "KEES@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_my_data_download_is_json_of_the_logged_in_user(client, personas):
    client.force_login(personas.owner)
    response = client.get("/account/mijn-gegevens/?format=json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["user"]["email"] == personas.owner.email


def test_tokens_page_shows_a_new_key_once_and_lets_the_owner_revoke(client, personas):
    client.force_login(personas.owner)
    response = client.post("/account/api-tokens/", {"name": "Planning"})
    token = ApiToken.objects.get(user=personas.owner)
    assert b"sb_" in response.content
    assert b"sb_" not in client.get("/account/api-tokens/").content
    client.force_login(personas.outsider)
    assert client.post(f"/account/api-tokens/{token.pk}/intrekken/").status_code == 404
    client.force_login(personas.owner)
    client.post(f"/account/api-tokens/{token.pk}/intrekken/")
    token.refresh_from_db()
    assert token.revoked_at is not None
