"""Input an attacker would try gets a 4xx with a reason, never a 500: NUL characters anywhere,
numbers beyond 64 bits, negative and non-numeric offsets. The endpoints come from the OpenAPI
document and the pages from the URL map, so a new endpoint or page is covered the day it lands.
On PostgreSQL each of these was a 500 ("bigint out of range", "text fields cannot contain NUL")."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from stagebrug.accounts.services import api_token_create
from stagebrug.api import api

pytestmark = pytest.mark.django_db

HUGE = 10**20  # beyond 64 bits
NULL_REFUSED = "Null-tekens zijn niet toegestaan."


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def params(operation: dict[str, Any], where: str) -> list[dict[str, Any]]:
    return [p for p in operation.get("parameters", []) if p["in"] == where]


def is_integer(param: dict[str, Any]) -> bool:
    return param.get("schema", {}).get("type") == "integer"


def api_url(path: str, operation: dict[str, Any], **values: Any) -> str:
    """The path with each path parameter filled in: `values` by name, else 1 or a slug."""
    for param in params(operation, "path"):
        default = 1 if is_integer(param) else "roc-van-amsterdam"
        path = path.replace(f"{{{param['name']}}}", str(values.get(param["name"], default)))
    return path


OPERATIONS = operations()
PAGINATED = [
    (path, op)
    for method, path, op in OPERATIONS
    if method == "GET" and any(p["name"] == "offset" for p in params(op, "query"))
]
QUERY_PARAMS = [
    (path, op, p["name"])
    for method, path, op in OPERATIONS
    if method == "GET"
    for p in params(op, "query")
]
PATH_PARAMS = [(method, path, op, p) for method, path, op in OPERATIONS for p in params(op, "path")]
JSON_BODIES = [
    (method, path, op)
    for method, path, op in OPERATIONS
    if "application/json" in op.get("requestBody", {}).get("content", {})
]


def pages() -> list[str]:
    """Every page's route (the API, the admin and regex routes left out)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif not route.startswith(("api/", "beheer/", "^")):
                yield "/" + route

    return sorted(set(walk(get_resolver().url_patterns, "")))


PAGES = pages()
PAGES_WITHOUT_PARAMETERS = [route for route in PAGES if "<" not in route]
PAGES_WITH_TEXT = [route for route in PAGES if re.search(r"<(str|slug|path):", route)]
PAGES_WITH_IDS = [route for route in PAGES if "<int:" in route]


def fill(route: str, *, text: str = "x", number: int = 1) -> str:
    route = re.sub(r"<(str|slug|path):\w+>", text, route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    return re.sub(r"<int:\w+>", str(number), route)


def ask(client: Client, method: str, url: str, *args: Any, **kwargs: Any) -> HttpResponse:
    """One request in a savepoint: on PostgreSQL a failed query would spoil the ones after."""
    with transaction.atomic():
        response = client.generic(method, url, *args, **kwargs)
        transaction.set_rollback(True)
    return response


@pytest.fixture
def api_client(personas) -> Client:
    token = api_token_create(user=personas.coordinator, name="t")[1]
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def page_client(personas) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(personas.coordinator)
    return client


def test_the_hostile_cases_cover_the_api_and_the_pages():
    assert {"/api/v1/institutions", "/api/v1/qualifications", "/api/v1/programmes"} <= {
        path for path, _op in PAGINATED
    }
    assert "/opleidingen/" in PAGES_WITHOUT_PARAMETERS and PAGES_WITH_TEXT and PAGES_WITH_IDS
    assert QUERY_PARAMS and PATH_PARAMS and JSON_BODIES


OUT_OF_RANGE = [
    (f"offset={HUGE}", "offset"),
    (f"offset={2**63}", "offset"),
    ("offset=-1", "offset"),
    ("offset=abc", "offset"),
    (f"limit={HUGE}", "limit"),
    ("limit=0", "limit"),
    ("limit=-1", "limit"),
    ("limit=abc", "limit"),
]


def test_an_offset_or_limit_out_of_range_is_a_422_naming_it(api_client):
    wrong = []
    for path, operation in PAGINATED:
        for query, field in OUT_OF_RANGE:
            url = f"{api_url(path, operation)}?{query}"
            response = ask(api_client, "GET", url)
            if response.status_code != 422 or field not in response.json()["errors"]:
                wrong.append((url, response.status_code))
    assert not wrong


def test_a_nul_in_a_query_parameter_is_a_400_naming_it(api_client):
    wrong = []
    for path, operation, name in QUERY_PARAMS:
        url = f"{api_url(path, operation)}?{name}=a%00b"
        response = ask(api_client, "GET", url)
        expected = {"detail": NULL_REFUSED, "errors": {name: [NULL_REFUSED]}}
        if response.status_code != 400 or response.json() != expected:
            wrong.append((url, response.status_code))
    assert not wrong


def test_an_id_beyond_64_bits_or_a_nul_in_an_api_path_is_a_4xx_with_a_reason(api_client):
    """An id beyond 64 bits is not found (or refused by the schema); text with a NUL is a 400
    naming the parameter."""
    wrong = []
    for method, path, operation, param in PATH_PARAMS:
        hostile = HUGE if is_integer(param) else "a%00b"
        url = api_url(path, operation, **{param["name"]: hostile})
        response = ask(api_client, method, url, "{}", content_type="application/json")
        named = is_integer(param) or (
            response.status_code == 400 and param["name"] in response.json()["errors"]
        )
        if not (400 <= response.status_code < 500 and response.json()["detail"] and named):
            wrong.append((method, url, response.status_code))
    assert not wrong


def test_a_nul_in_a_json_body_is_a_400_naming_the_field(api_client):
    wrong = []
    for method, path, operation in JSON_BODIES:
        url = api_url(path, operation)
        body = '{"name": "Bakkerij", "items": [{"title": "a\\u0000b"}]}'
        response = ask(api_client, method, url, body, content_type="application/json")
        if response.status_code != 400 or response.json()["errors"] != {
            "items.0.title": [NULL_REFUSED]
        }:
            wrong.append((method, url, response.status_code))
    assert not wrong


def test_a_nul_in_a_json_key_is_refused_and_an_escaped_backslash_is_not_a_nul(personas):
    token = api_token_create(user=personas.owner, name="t")[1]
    owner = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/companies/{personas.company.pk}"
    key = ask(owner, "PATCH", url, '{"na\\u0000me": "x"}', content_type="application/json")
    assert key.status_code == 400
    assert key.json()["errors"] == {"name": [NULL_REFUSED]}
    text = owner.patch(url, '{"name": "Bakkerij \\\\u0000"}', content_type="application/json")
    assert text.status_code == 200, text.content
    assert text.json()["name"] == "Bakkerij \\u0000"


HEALTH_CHECKS = ("/livez", "/readyz", "/healthz")  # answered before any input is read


def test_a_nul_in_a_page_query_or_form_is_a_400_page(page_client):
    wrong = []
    for route in PAGES_WITHOUT_PARAMETERS:
        if route.rstrip("/") in HEALTH_CHECKS:
            continue
        query = ask(page_client, "GET", f"{route}?q=a%00b&page=1%00")
        if query.status_code != 400 or "Er klopt iets niet in je verzoek" not in str(query.content):
            wrong.append(("GET", route, query.status_code))
        form = ask(
            page_client,
            "POST",
            route,
            "name=a%00b&email=a%40b.example",
            content_type="application/x-www-form-urlencoded",
        )
        if form.status_code not in (400, 403, 405):
            wrong.append(("POST", route, form.status_code))
    assert not wrong


def test_a_nul_in_a_page_address_is_a_4xx(page_client):
    wrong = []
    for route in PAGES_WITH_TEXT:
        response = ask(page_client, "GET", fill(route, text="a%00b"))
        if not 400 <= response.status_code < 500:
            wrong.append((route, response.status_code))
    assert not wrong


def test_an_id_beyond_64_bits_in_a_page_address_is_a_4xx(page_client):
    wrong = []
    for route in PAGES_WITH_IDS:
        response = ask(page_client, "GET", fill(route, number=HUGE))
        if not 400 <= response.status_code < 500:
            wrong.append((route, response.status_code))
    assert not wrong


def test_any_page_number_is_a_page_or_a_4xx(page_client):
    """A list page shows its first or last page for a number out of range, as Django's
    paginator does; never a 500."""
    wrong = []
    for route in PAGES_WITHOUT_PARAMETERS:
        for page in (str(HUGE), str(2**63), "-1", "0", "abc", "1.5"):
            response = ask(page_client, "GET", f"{route}?page={page}&aanbod={page}")
            if response.status_code >= 500:
                wrong.append((route, page, response.status_code))
    assert not wrong


def test_a_session_cookie_with_a_nul_is_no_session_and_is_deleted():
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get("/")
    assert response.status_code == 200
    assert response.cookies["sessionid"].value == ""
