"""The permission matrix: for every object page and API endpoint, a user of another company or
institution gets 403 or 404, never the data. A guard test makes sure no URL is forgotten."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from stagebrug.accounts.models import Invitation, Membership, Role
from stagebrug.accounts.services import api_token_create, invitation_create
from tests.dates import iso
from tests.factories import RecognitionFactory, SupervisorFactory

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "geheim.begeleider@a.example"


@pytest.fixture
def world(personas):
    """Company A with private data, and an open invitation of each organisation."""
    supervisor = SupervisorFactory(company=personas.company, by=personas.owner, email=SECRET_EMAIL)
    recognition = RecognitionFactory(company=personas.company, by=personas.owner)
    location = personas.company.locations.get()
    invitation, _raw = invitation_create(
        by=personas.owner, email="new@a.example", role=Role.COMPANY_MEMBER, company=personas.company
    )
    school_invitation, _raw = invitation_create(
        by=personas.coordinator,
        email="new@rocva.example",
        role=Role.SCHOOL_SUPERVISOR,
        institution=personas.rocva,
    )
    programme = personas.rocva.programmes.first()
    member = Membership.objects.get(user=personas.member, company=personas.company)
    c = personas.company.pk
    school = f"/scholen/{personas.rocva.slug}"
    pages = {
        "registry:company_edit": f"/bedrijven/{c}/bewerken/",
        "registry:company_team": f"/bedrijven/{c}/team/",
        "registry:company_team_remove": f"/bedrijven/{c}/team/{member.pk}/verwijderen/",
        "registry:company_children": [
            f"/bedrijven/{c}/{kind}/" for kind in ("locaties", "begeleiders", "erkenningen")
        ],
        "registry:company_child_edit": [
            f"/bedrijven/{c}/locaties/{location.pk}/bewerken/",
            f"/bedrijven/{c}/begeleiders/{supervisor.pk}/bewerken/",
            f"/bedrijven/{c}/erkenningen/{recognition.pk}/bewerken/",
        ],
        "registry:company_child_delete": [
            f"/bedrijven/{c}/locaties/{location.pk}/verwijderen/",
            f"/bedrijven/{c}/begeleiders/{supervisor.pk}/verwijderen/",
            f"/bedrijven/{c}/erkenningen/{recognition.pk}/verwijderen/",
        ],
        "registry:register_supervisors": f"/aanmelden/{c}/begeleiders/",
        "registry:register_recognitions": f"/aanmelden/{c}/erkenningen/",
        "registry:invitation_withdraw": f"/uitnodigingen/{invitation.pk}/intrekken/",
        "registry:institution_manage": f"{school}/beheer/",
        "registry:programme_create": f"{school}/beheer/opleiding-toevoegen/",
        "registry:programme_edit": f"{school}/opleidingen/{programme.slug}/bewerken/",
        "registry:requirements_edit": f"{school}/opleidingen/{programme.slug}/eisen/",
    }
    location_in = {
        "name": "x",
        "street": "Damrak",
        "house_number": "1",
        "postcode": "1012 LG",
        "city": "Amsterdam",
    }
    supervisor_in = {
        "name": "x",
        "email": "x@y.example",
        "education_level": 6,
        "education_sector": "economie",
    }
    recognition_in = {"leerbedrijf_id": "1234567", "crebo": "25180", "valid_from": iso(1, 1, -1)}
    api = [
        ("get", f"/api/v1/companies/{c}/private", {}),
        ("patch", f"/api/v1/companies/{c}", {"name": "hijack"}),
        ("get", f"/api/v1/companies/{c}/locations", {}),
        ("post", f"/api/v1/companies/{c}/locations", location_in),
        ("patch", f"/api/v1/companies/{c}/locations/{location.pk}", {"name": "hijack"}),
        ("delete", f"/api/v1/companies/{c}/locations/{location.pk}", {}),
        ("get", f"/api/v1/companies/{c}/supervisors", {}),
        ("post", f"/api/v1/companies/{c}/supervisors", supervisor_in),
        ("patch", f"/api/v1/companies/{c}/supervisors/{supervisor.pk}", {"name": "hijack"}),
        ("delete", f"/api/v1/companies/{c}/supervisors/{supervisor.pk}", {}),
        ("get", f"/api/v1/companies/{c}/recognitions", {}),
        ("post", f"/api/v1/companies/{c}/recognitions", recognition_in),
        ("patch", f"/api/v1/companies/{c}/recognitions/{recognition.pk}", {"level": 2}),
        ("delete", f"/api/v1/companies/{c}/recognitions/{recognition.pk}", {}),
        ("put", f"/api/v1/programmes/{programme.pk}/requirements", {"min_employees": 99}),
    ]
    return {
        "pages": pages,
        "api": api,
        "invitation": invitation,
        "school_invitation": school_invitation,
    }


def _urls(pages: dict) -> list[str]:
    out = []
    for value in pages.values():
        out.extend(value if isinstance(value, list) else [value])
    return out


# Who must be kept out: for company pages everyone outside company A's owners and colleagues;
# for school pages everyone who is not ROC van Amsterdam's coordinator.
COMPANY_OUTSIDERS = ["outsider", "coordinator", "other_coordinator", "teacher", "student"]
SCHOOL_OUTSIDERS = ["outsider", "owner", "member", "other_coordinator", "teacher", "student"]


# POST-only actions answer a GET with 405 before looking at the object; that reveals nothing.
POST_ONLY = ("/verwijderen/", "/intrekken/")


def _refused(response, method: str, url: str) -> bool:
    if method == "get" and url.endswith(POST_ONLY) and response.status_code == 405:
        return True
    return response.status_code in (403, 404)


def _outsiders_for(url: str) -> list[str]:
    return SCHOOL_OUTSIDERS if url.startswith("/scholen/") else COMPANY_OUTSIDERS


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_403_or_404_on_every_object_page_and_never_the_data(
    client, personas, world, method, record_property
):
    for url in _urls(world["pages"]):
        for name in _outsiders_for(url):
            client.force_login(getattr(personas, name))
            response = getattr(client, method)(url, {"name": "hijack", "email": "x@y.z"})
            assert _refused(response, method, url), (name, method, url, response.status_code)
            assert SECRET_EMAIL.encode() not in response.content
            record_property("permission_case", f"{method} {url} {name}")
    # Nothing was changed by all those attempts.
    assert personas.company.supervisors.filter(email=SECRET_EMAIL).exists()
    assert Invitation.objects.filter(pk=world["invitation"].pk, revoked_at=None).exists()
    assert Membership.objects.filter(user=personas.member, company=personas.company).exists()


def test_the_workplace_supervisor_may_see_but_not_change_the_company(client, personas, world):
    client.force_login(personas.supervisor)
    assert client.get(f"/bedrijven/{personas.company.pk}/").status_code == 200
    for url in _urls(world["pages"]):
        if url.startswith("/scholen/"):
            continue
        response = client.get(url)
        assert response.status_code == 403 or _refused(response, "get", url), url


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url in _urls(world["pages"]):
        response = client.get(url)
        assert response.status_code == 302 and "/account/inloggen/" in response["Location"], url


def test_owners_and_coordinators_do_reach_their_own_pages(client, personas, world):
    for url in _urls(world["pages"]):
        if "verwijderen" in url or "intrekken" in url:
            continue  # POST-only or destructive; covered by their own tests
        user = personas.coordinator if url.startswith("/scholen/") else personas.owner
        client.force_login(user)
        assert client.get(url).status_code == 200, url


def test_private_company_page_is_a_404_for_outsiders_and_public_page_hides_private_fields(
    client, personas, world
):
    from stagebrug.registry import services

    services.company_update(company=personas.company, by=personas.owner, is_public=False)
    client.force_login(personas.outsider)
    assert client.get(f"/bedrijven/{personas.company.pk}/").status_code == 404
    services.company_update(company=personas.company, by=personas.owner, is_public=True)
    response = client.get(f"/bedrijven/{personas.company.pk}/")
    assert response.status_code == 200
    assert SECRET_EMAIL.encode() not in response.content
    assert b"Javastraat" not in response.content  # street address is private


@pytest.mark.parametrize(
    "who", ["outsider", "other_coordinator", "teacher", "student", "coordinator"]
)
def test_outsiders_get_403_or_404_on_every_api_endpoint(
    client, personas, world, who, record_property
):
    _token, raw = api_token_create(user=getattr(personas, who), name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for method, url, payload in world["api"]:
        if who == "coordinator" and "/programmes/" in url:
            continue  # that one is theirs
        response = getattr(client, method)(url, payload, content_type="application/json", **headers)
        assert response.status_code in (403, 404), (who, method, url, response.status_code)
        assert SECRET_EMAIL.encode() not in response.content
        assert response.json()["detail"]
        record_property("permission_case", f"{method} {url} {who}")


def test_api_endpoints_without_credentials_give_401(client, world):
    for method, url, payload in world["api"]:
        response = getattr(client, method)(url, payload, content_type="application/json")
        assert response.status_code == 401, (method, url)


def test_every_url_with_an_object_in_it_is_in_the_matrix(world):
    """Guard: a new object page must be added to the matrix above."""
    public = {
        "registry:institution_detail",
        "registry:programme_detail",
        "registry:company_detail",  # tested separately (public vs private)
        "accounts:invitation_accept",  # the token is the permission
        "accounts:password_reset_confirm",
        "accounts:api_token_revoke",  # filtered by owner in the query; tested in accounts
    }
    names = set()
    for include in get_resolver().url_patterns:
        namespace = getattr(include, "namespace", None)
        if namespace not in ("registry", "accounts"):
            continue
        for pattern in include.url_patterns:
            if pattern.pattern.converters:
                names.add(f"{namespace}:{pattern.name}")
    assert len(names) > 15  # the walk found the object URLs
    covered = set(world["pages"]) | public
    missing = sorted(n for n in names if n not in covered)
    assert not missing, f"Add these to the permission matrix: {missing}"
