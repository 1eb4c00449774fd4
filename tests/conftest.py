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
    from django.core.signals import setting_changed

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run at once in tests; the signal makes django-tasks drop its cached backends.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once into each test database."""
    from stagebrug.registry.reference import load_all

    with django_db_blocker.unblock():
        load_all()


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
