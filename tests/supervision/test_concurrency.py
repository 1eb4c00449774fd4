"""Marks of the same day at the same moment, as real parallel HTTP requests against the live
server (each thread its own connection): one row, the last mark wins, every mark logged."""

from __future__ import annotations

import pytest
import time_machine

from stagebrug.accounts.services import api_token_create
from stagebrug.core.models import AuditEvent
from stagebrug.supervision.models import Attendance
from tests.agreements.test_concurrency import at_once
from tests.supervision.test_attendance import at, working_day

pytestmark = pytest.mark.django_db(transaction=True)


def put(url: str, token: str, body: dict) -> int:
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_concurrent_marks_of_one_day_make_one_row(live_server, running, personas):
    day = working_day(running)
    url = f"{live_server.url}/api/v1/internships/{running.pk}/attendance"
    with time_machine.travel(at(day, "12:00")):
        _t, token = api_token_create(user=personas.supervisor, name="phone")
        marks = ["present", "absent", "sick", "day_off", "present", "absent"]
        statuses = at_once(
            [lambda m=m: put(url, token, {"date": day.isoformat(), "mark": m}) for m in marks]
        )
    assert statuses == [200] * len(marks)
    [row] = Attendance.objects.filter(internship=running, date=day)
    events = AuditEvent.objects.filter(action="attendance.marked", object_id=str(row.pk))
    assert events.count() == len(marks)
    assert events.order_by("-id").first().changes["mark"] == row.mark  # the last one wins
