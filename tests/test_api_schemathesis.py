"""schemathesis against the OpenAPI document: generated requests for every operation, as an
anonymous caller and with a business owner's API token. Every response must be no server error
and match the schema the document promises. The figures (operations, requests, failures) are
printed at the end of the run (tests/conftest.py, `pytest_terminal_summary`)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from stagebrug.accounts.services import api_token_create
from stagebrug.api import api
from stagebrug.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application
schema.location = "/api/v1/openapi.json"

CHECKS = [not_a_server_error, response_schema_conformance]
#: Examples per operation: bounded, so the whole document runs in a minute or two.
EXAMPLES = 8
ATTACK = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def one_connection():
    """The requests go straight to the WSGI application, inside the test's transaction: like
    Django's test client, do not close the database connection at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@ATTACK
def test_as_anyone(case, record_property):
    case.call_and_validate(checks=CHECKS, headers={"Host": "localhost"})
    record_property("schemathesis_operation", case.operation.label)
    record_property("schemathesis_requests", 1)


@pytest.fixture
def owner_token(personas) -> str:
    return api_token_create(user=personas.owner, name="schemathesis")[1]


@schema.parametrize()
@ATTACK
def test_with_a_token(case, owner_token, record_property):
    case.call_and_validate(
        checks=CHECKS,
        headers={"Host": "localhost", "Authorization": f"Bearer {owner_token}"},
    )
    record_property("schemathesis_operation", case.operation.label)
    record_property("schemathesis_requests", 1)
