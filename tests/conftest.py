"""Shared test set-up: fast hashing, tasks run at once, reference data loaded once per
database, and the named personas every permission test uses.

Personas (one per role; see tests/personas.py):
  owner         owns company A (Bakkerij A)       member      colleague at company A
  supervisor    workplace supervisor at A         outsider    owns company B
  coordinator   coordinator at ROC van Amsterdam  other_coordinator  coordinator at HvA
  teacher       school supervisor at ROC vA       student     MBO student at ROC vA
  operator      platform operator
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests import personas as personas_module


def pytest_configure(config) -> None:
    import tempfile

    from django.core.signals import setting_changed

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded files (CVs) go to a throw-away folder, not to var/.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tempfile.mkdtemp(prefix="stagebrug-test-files-")},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Pages are rendered fresh in tests; tests/core/test_pagecache.py turns the cache on.
    settings.PAGE_CACHE_SECONDS = 0
    # Tasks run at once in tests; the signal makes django-tasks drop its cached backends.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    _force_login_passes_second_step()


def _force_login_passes_second_step() -> None:
    """`Client.force_login` skips the login form, and with it the second step of two-step
    verification: the session it makes is one that passed both. The second step itself is
    tested through the pages (tests/accounts/test_second_factor.py, the browser's login)."""
    from django.test import Client

    from stagebrug.accounts.second_factor import SESSION_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        if session.pop(SESSION_KEY, None) is not None:
            session.save()

    Client.force_login = force_login


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once into each test database."""
    from stagebrug.registry.reference import load_all

    with django_db_blocker.unblock():
        load_all()
    yield
    # Live-server threads can leave a connection open; PostgreSQL refuses to drop a test
    # database that still has sessions, so end them before pytest-django tears it down.
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (the browser tests) empties every table when it ends; put the
    reference data back at once, outside any test transaction, for the tests that follow."""
    result = yield
    marker = item.get_closest_marker("django_db")
    # At the end of the session the test database is already gone: nothing to restore.
    if nextitem is not None and marker is not None and marker.kwargs.get("transaction"):
        from pytest_django.plugin import blocking_manager_key

        from stagebrug.registry.models import Postcode
        from stagebrug.registry.reference import load_all

        with item.config.stash[blocking_manager_key].unblock():
            if not Postcode.objects.exists():
                load_all()
            # The shared cache is a table no model owns, so the flush leaves it: empty it,
            # or one test's logins and links would count against the next's.
            from django.core.cache import cache

            cache.clear()
    return result


@pytest.fixture
def reference_data(db):
    """Reference data is there (transactional tests flush it; this puts it back)."""
    from stagebrug.registry.models import Postcode
    from stagebrug.registry.reference import load_all

    if not Postcode.objects.exists():
        load_all()


@pytest.fixture
def personas(reference_data) -> personas_module.Personas:
    return personas_module.create()


@pytest.fixture(autouse=True)
def _english_off(settings) -> None:
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture
def recognised(personas):
    """Company A may host MBO 2 cooks: an SBB recognition for Kok (25180) from 1 January this
    year (four years, so valid on every start date in tests.dates.YEAR) and a workplace
    supervisor with MBO 4 (the ROC's requirement is MBO 3 or higher)."""
    from stagebrug.registry.models import EducationLevel
    from tests.dates import on
    from tests.factories import RecognitionFactory, SupervisorFactory

    RecognitionFactory(
        company=personas.company, by=personas.owner, crebo="25180", valid_from=on(1, 1, -1)
    )
    SupervisorFactory(
        company=personas.company,
        by=personas.owner,
        name="Chef Bram",
        education_level=EducationLevel.MBO_4,
    )
    return personas


@pytest.fixture
def published(recognised):
    """Company A's published MBO 2 kitchen placement (two positions), approved for Kok."""
    from stagebrug.placements import services as placement_services
    from tests.placements.factories import make_placement

    p = recognised
    placement = make_placement(
        p.company, p.owner, positions=2, buddy=p.company.supervisors.get(name="Chef Bram")
    )
    placement_services.placement_submit(placement=placement, by=p.owner)
    placement_services.placement_decide(
        target=placement.targets.get(), by=p.coordinator, approve=True
    )
    placement.refresh_from_db()
    return placement


@pytest.fixture
def kok_student(personas):
    """The persona student, with a profile for Kok (MBO 2) living in Amsterdam-Oost."""
    from stagebrug.applications import services
    from stagebrug.registry.models import Postcode
    from tests.placements.factories import kok_programme

    return services.profile_save(
        user=personas.student,
        by=personas.student,
        programme=kok_programme(),
        year=1,
        home_pc4=Postcode.objects.get(code="1094"),
        wanted_activities="Koken en bakken in een restaurant.",
        activity_tags=["koken", "bakken"],
        hours_per_week=32,
        max_travel_km=15,
    )


@pytest.fixture
def internship(published, personas, kok_student):
    """Stan Student at company A's kitchen placement, from an accepted offer; Chef Bram, the
    placement's buddy, is the workplace supervisor and his account is the persona `supervisor`
    (see tests/internships/conftest.py)."""
    from tests.internships.conftest import accept_offer

    chef = published.buddy
    chef.user = personas.supervisor
    chef.save(update_fields=["user"])
    return accept_offer(student=personas.student, placement=published, owner=personas.owner)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """The attack tests' figures: schemathesis' operations and requests (with how many
    failed), and the permission matrix's refusals (tests/test_permissions.py)."""
    reports = [
        r
        for outcome in ("passed", "failed")
        for r in terminalreporter.stats.get(outcome, [])
        if getattr(r, "when", None) == "call"
    ]
    operations: set[tuple[str, str]] = set()
    requests = failed = matrix = matrix_failed = 0
    for report in reports:
        props = dict(report.user_properties) if report.user_properties else {}
        names = [name for name, _value in report.user_properties]
        if "schemathesis_operation" in props or "test_api_schemathesis" in report.nodeid:
            test = report.nodeid.split("::")[-1].split("[")[0]
            operations |= {
                (test, value)
                for name, value in report.user_properties
                if name == "schemathesis_operation"
            }
            requests += names.count("schemathesis_requests")
            failed += report.failed
        if "test_permissions.py" in report.nodeid:
            matrix += names.count("permission_case")
            matrix_failed += report.failed
    if operations:
        terminalreporter.write_line(
            f"schemathesis: {len({op for _test, op in operations})} operations, each anonymous "
            f"and with a token ({len(operations)} runs); {requests} requests passed the checks; "
            f"{failed} runs failed (a server error or a response that breaks the schema)"
        )
    if matrix:
        terminalreporter.write_line(
            f"permission matrix: {matrix} refusals checked (a page or endpoint with an object "
            f"of another company or school, as each role), {matrix_failed} tests failed"
        )
