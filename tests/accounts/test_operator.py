"""The operator's pages: the audit log (filters, pages, the CSV of exactly what is selected) and
the task queue's health; nobody else may see them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from stagebrug.accounts import operator
from stagebrug.core.audit import audit_log
from stagebrug.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOG = "/account/beheer/logboek/"
LOG_CSV = "/account/beheer/logboek.csv"
QUEUE = "/account/beheer/taken/"


def as_user(client, user):
    client.force_login(user)
    return client


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def events(personas):
    AuditEvent.objects.all().delete()
    company = personas.company
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)):
        audit_log(actor=personas.owner, action="placement.created", obj=company)
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)):
        audit_log(
            actor=personas.coordinator,
            action="placement.approved",
            obj=company,
            changes={"status": ["pending", "=HYPERLINK(1)"]},
        )
        audit_log(actor=None, action="supervision.warning_raised", obj=company)
    return company


@pytest.mark.parametrize("who", ["owner", "coordinator", "teacher", "student", "supervisor"])
@pytest.mark.parametrize("url", [LOG, LOG_CSV, QUEUE])
def test_only_operators_see_the_operator_pages(client, personas, who, url):
    assert as_user(client, getattr(personas, who)).get(url).status_code == 403


@pytest.mark.parametrize("url", [LOG, LOG_CSV, QUEUE])
def test_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_the_audit_log_filters_by_action_person_and_day(client, personas, events):
    client = as_user(client, personas.operator)
    everything = client.get(LOG)
    assert everything.status_code == 200
    assert len(everything.context["page_obj"].object_list) == 3
    by_action = client.get(LOG, {"action": "placement."}).context["page_obj"].object_list
    assert {e.action for e in by_action} == {"placement.created", "placement.approved"}
    by_person = client.get(LOG, {"actor": personas.coordinator.email[:6]})
    assert [e.action for e in by_person.context["page_obj"].object_list] == ["placement.approved"]
    by_day = client.get(LOG, {"since": "2026-11-01", "until": "2026-11-02"})
    assert [e.action for e in by_day.context["page_obj"].object_list] == ["placement.created"]
    assert "het systeem" in everything.content.decode()  # a change without a person


def test_a_date_range_backwards_is_explained_and_nothing_is_hidden(client, personas, events):
    page = as_user(client, personas.operator).get(
        LOG, {"since": "2026-11-20", "until": "2026-11-01"}
    )
    assert page.status_code == 200
    assert "voor de" in page.content.decode()  # "This date is before the “From” date."
    assert len(page.context["page_obj"].object_list) == 3


def test_the_audit_log_is_paged(client, personas, events):
    company = events
    AuditEvent.objects.bulk_create(
        AuditEvent(action=f"bulk.{n}", object_type="registry.company", object_id=str(company.pk))
        for n in range(120)
    )
    client = as_user(client, personas.operator)
    first = client.get(LOG).context["page_obj"]
    assert len(first.object_list) == 50 and first.paginator.num_pages == 3
    last = client.get(LOG, {"page": 3}).context["page_obj"]
    assert len(last.object_list) == 123 - 100


def test_the_csv_holds_exactly_the_selected_changes_and_runs_no_formula(client, personas, events):
    response = as_user(client, personas.operator).get(LOG_CSV, {"action": "placement."})
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header[:3] == ["Tijd", "Wie", "Actie"]
    assert sorted(r[2] for r in rows) == ["placement.approved", "placement.created"]
    approved = next(r for r in rows if r[2] == "placement.approved")
    assert approved[1] == personas.coordinator.email
    assert '"=HYPERLINK(1)"' in approved[6]  # inside JSON, so it does not start a formula
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def _job(status: str, **fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=fields.pop("task_path", "stagebrug.core.tasks.send_email"),
        backend_name="default",
        run_after=fields.pop("run_after", get_date_max()),
        **fields,
    )


def test_queue_health_counts_waiting_running_and_failed_jobs(personas):
    now = timezone.now()
    DBTaskResult.objects.all().delete()
    old = _job(TaskResultStatus.READY)
    DBTaskResult.objects.filter(pk=old.pk).update(enqueued_at=now - dt.timedelta(minutes=40))
    _job(TaskResultStatus.READY)
    _job(TaskResultStatus.READY, run_after=now + dt.timedelta(hours=3))  # planned
    _job(TaskResultStatus.RUNNING, started_at=now)
    _job(
        TaskResultStatus.FAILED,
        finished_at=now,
        task_path="stagebrug.insights.tasks.insights_refresh",
        exception_class_path="builtins.RuntimeError",
    )
    _job(TaskResultStatus.FAILED, finished_at=now - dt.timedelta(days=3))
    health = operator.queue_health(now=now)
    assert (health.waiting, health.due, health.later) == (3, 2, 1)
    assert health.running == 1
    assert (health.failed_today, health.failed) == (1, 2)
    assert abs(health.oldest_due_since - (now - dt.timedelta(minutes=40))) < dt.timedelta(seconds=5)
    assert health.behind
    assert health.failures[0].task_path == "stagebrug.insights.tasks.insights_refresh"


def test_the_queue_page_says_all_is_well_or_that_workers_fall_behind(client, personas):
    DBTaskResult.objects.all().delete()
    client = as_user(client, personas.operator)
    assert "Alles is in orde" in client.get(QUEUE).content.decode()
    job = _job(TaskResultStatus.READY)
    DBTaskResult.objects.filter(pk=job.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(hours=2)
    )
    page = client.get(QUEUE).content.decode()
    assert "houden het niet bij" in page
