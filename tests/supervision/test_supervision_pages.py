"""The logbook, evaluation and dashboard pages and their API: who sees and does what (outsiders
404, a party outside their part 403), parts hidden until both are in, warnings first, and the
dashboards in the same number of queries for one internship as for many."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagebrug.internships.models import Internship, Status
from stagebrug.supervision.logbook import selectors as logbook
from stagebrug.supervision.models import EarlyWarning, LogEntry, Progress
from stagebrug.supervision.progress import rules
from stagebrug.supervision.progress import services as progress
from tests.factories import UserFactory
from tests.supervision.test_attendance import at, working_day
from tests.supervision.test_attendance_pages import auth, nl
from tests.supervision.test_evaluations import assess_both, get, scores

pytestmark = pytest.mark.django_db

OUTSIDERS = ("outsider", "other_coordinator")
PARTIES = ("student", "supervisor", "owner", "member", "teacher", "coordinator")


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


# --------------------------------------------------------------------------------------------
# The logbook


@pytest.mark.parametrize("who", PARTIES)
def test_every_party_reads_the_logbook(client, running, personas, who):
    assert (
        page(client, getattr(personas, who), f"/stagiairs/{running.pk}/logboek/").status_code == 200
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_on_the_logbook_and_its_api(client, running, personas, who):
    user = getattr(personas, who)
    assert page(client, user, f"/stagiairs/{running.pk}/logboek/").status_code == 404
    for path in ("logbook", "progress", "evaluations"):
        response = client.get(f"/api/v1/internships/{running.pk}/{path}", **auth(user))
        assert response.status_code == 404, path


def test_the_supervisor_checks_in_from_the_page_in_a_tap_per_goal(client, running, personas):
    goals = logbook.goals_of(running)
    day = working_day(running, 2)
    with time_machine.travel(at(day, "16:00")):
        client.force_login(personas.supervisor)
        body = client.get(f"/stagiairs/{running.pk}/logboek/").content.decode()
        assert nl("Check-in") in body and goals[0].text in body
        data = {"checkin-going": "okay"} | {f"checkin-{g.key}": "attention" for g in goals}
        response = client.post(f"/stagiairs/{running.pk}/logboek/checkin/", data)
    assert response.status_code == 302
    entry = LogEntry.objects.get(internship=running)
    assert entry.kind == "checkin" and entry.attention == len(goals)
    assert Progress.objects.get(internship=running).last_checkin_on == day


def test_a_check_in_without_verdicts_is_shown_again_with_the_errors(client, running, personas):
    client.force_login(personas.supervisor)
    response = client.post(f"/stagiairs/{running.pk}/logboek/checkin/", {"checkin-going": "well"})
    assert response.status_code == 400
    assert nl("This field is required.") in response.content.decode()
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("who", "kind"), [("student", "checkin"), ("owner", "student"), ("supervisor", "school")]
)
def test_writing_another_partys_kind_is_refused(client, running, personas, who, kind):
    client.force_login(getattr(personas, who))
    response = client.post(f"/stagiairs/{running.pk}/logboek/{kind}/", {f"{kind}-text": "x"})
    assert response.status_code == 403
    assert not LogEntry.objects.exists()


def test_the_api_writes_and_lists_the_logbook(client, running, personas):
    goals = logbook.goals_of(running)
    path = f"/api/v1/internships/{running.pk}/logbook"
    response = client.post(
        path,
        {"kind": "checkin", "going": "well", "goals": {g.key: "behind" for g in goals}},
        content_type="application/json",
        **auth(personas.supervisor),
    )
    assert response.status_code == 201 and response.json()["author"] == "Sam Supervisor"
    bad = client.post(
        path,
        {"kind": "checkin", "going": "well", "goals": {}},
        content_type="application/json",
        **auth(personas.supervisor),
    )
    assert bad.status_code == 400 and goals[0].key in bad.json()["errors"]
    refused = client.post(
        path,
        {"kind": "school", "text": "x"},
        content_type="application/json",
        **auth(personas.student),
    )
    assert refused.status_code == 403
    listed = client.get(path, **auth(personas.student)).json()
    assert listed["count"] == 1 and listed["items"][0]["goals"][goals[0].key] == "behind"
    prog = client.get(f"/api/v1/internships/{running.pk}/progress", **auth(personas.teacher))
    assert prog.status_code == 200 and prog.json()["goals"][0]["latest"] == "behind"


# --------------------------------------------------------------------------------------------
# Evaluations


def test_the_student_does_not_see_the_workplaces_scores_before_their_own(client, running, personas):
    evaluation = get(running)
    client.force_login(personas.supervisor)
    data = {f"workplace-{c['key']}": "good" for c in evaluation.criteria} | {
        "workplace-comment": "Werkt netjes en op tijd."
    }
    response = client.post(f"/stagiairs/{running.pk}/beoordeling/midterm/workplace/", data)
    assert response.status_code == 302
    body = page(
        client, personas.student, f"/stagiairs/{running.pk}/beoordeling/midterm/"
    ).content.decode()
    assert "Werkt netjes en op tijd." not in body
    api = client.get(f"/api/v1/internships/{running.pk}/evaluations", **auth(personas.student))
    assert api.json()[0]["workplace_scores"] is None
    data = {f"student-{c['key']}": "sufficient" for c in evaluation.criteria} | {
        "student-comment": "Ik leer veel."
    }
    client.post(f"/stagiairs/{running.pk}/beoordeling/midterm/student/", data)
    body = client.get(f"/stagiairs/{running.pk}/beoordeling/midterm/").content.decode()
    assert "Werkt netjes en op tijd." in body


@pytest.mark.parametrize(
    ("who", "part"),
    [
        ("student", "workplace"),
        ("teacher", "student"),
        ("supervisor", "school"),
        ("owner", "school"),
    ],
)
def test_a_part_is_only_for_its_party(client, running, personas, who, part):
    client.force_login(getattr(personas, who))
    response = client.post(f"/stagiairs/{running.pk}/beoordeling/midterm/{part}/", {})
    assert response.status_code == 403


def test_unknown_kinds_and_parts_are_404(client, running, personas):
    client.force_login(personas.teacher)
    assert client.get(f"/stagiairs/{running.pk}/beoordeling/jaarlijks/").status_code == 404
    assert client.post(f"/stagiairs/{running.pk}/beoordeling/midterm/ouder/", {}).status_code == 404
    assert (
        client.get(
            f"/api/v1/internships/{running.pk}/evaluations", **auth(personas.outsider)
        ).status_code
        == 404
    )


def test_the_api_runs_the_whole_evaluation(client, running, personas):
    base = f"/api/v1/internships/{running.pk}/evaluations/midterm"
    evaluation = get(running)
    for who, part in (("supervisor", "workplace"), ("student", "student")):
        response = client.put(
            f"{base}/{part}",
            {"scores": scores(evaluation), "comment": "Goed"},
            content_type="application/json",
            **auth(getattr(personas, who)),
        )
        assert response.status_code == 200, response.json()
    wrong = client.post(
        f"{base}/decision",
        {"decision": "passed", "comment": "x"},
        content_type="application/json",
        **auth(personas.teacher),
    )
    assert wrong.status_code == 400 and "decision" in wrong.json()["errors"]
    done = client.post(
        f"{base}/decision",
        {"decision": "on_track", "comment": "Op koers"},
        content_type="application/json",
        **auth(personas.teacher),
    )
    assert done.status_code == 200 and done.json()["decision"] == "on_track"
    assert (
        client.put(
            f"/api/v1/internships/{running.pk}/evaluations/yearly/workplace",
            {"scores": {}, "comment": "x"},
            content_type="application/json",
            **auth(personas.supervisor),
        ).status_code
        == 422
    )


# --------------------------------------------------------------------------------------------
# Dashboards


def _more_running(running, n: int, *, with_warning: bool = False) -> list[Internship]:
    made = []
    for i in range(n):
        student = UserFactory(email=f"case{i}@rocva.example", full_name=f"Case {i}")
        other = Internship.objects.create(
            student=student,
            placement=running.placement,
            programme=running.programme,
            institution=running.institution,
            status=Status.ACTIVE,
            start_date=running.start_date,
            end_date=running.end_date,
            hours_per_week=32,
            school_supervisor=running.school_supervisor,
            source="application",
        )
        progress.progress_plan(internships=[other])
        if with_warning:
            EarlyWarning.objects.create(
                internship=other,
                kind="absence",
                detail={"count": 3, "threshold": 2},
                raised_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
            )
            Progress.objects.filter(pk=other.pk).update(open_warnings=1)
        made.append(other)
    return made


def test_the_caseload_leads_with_warnings(client, running, personas):
    _more_running(running, 1, with_warning=True)
    body = page(client, personas.teacher, reverse("supervision:caseload")).content.decode()
    reason = nl(rules.REASONS["absence"], count=3, threshold=2)
    assert body.index("Case 0") < body.index("Stan Student")
    assert html.escape(reason) in body


def test_the_caseload_and_the_overview_run_the_same_queries_for_one_and_for_many(
    client, running, personas
):
    def count(user, url) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    overview = reverse("supervision:school_overview", args=[personas.rocva.slug])
    one = (
        count(personas.teacher, reverse("supervision:caseload")),
        count(personas.coordinator, overview),
    )
    _more_running(running, 8, with_warning=True)
    many = (
        count(personas.teacher, reverse("supervision:caseload")),
        count(personas.coordinator, overview),
    )
    assert many == one


def test_the_overview_filters_and_is_for_coordinators(client, running, personas):
    _more_running(running, 2, with_warning=True)
    url = reverse("supervision:school_overview", args=[personas.rocva.slug])
    body = page(client, personas.coordinator, f"{url}?warning=absence").content.decode()
    assert "Case 0" in body and "Case 1" in body and "Stan Student" not in body
    body = client.get(f"{url}?school_supervisor=none").content.decode()
    assert "Case 0" not in body
    assert page(client, personas.teacher, url).status_code == 403
    assert page(client, personas.other_coordinator, url).status_code == 403


def test_the_dashboards_api(client, running, personas):
    _more_running(running, 2, with_warning=True)
    mine = client.get("/api/v1/supervision/caseload", **auth(personas.teacher)).json()
    assert mine["count"] == 3 and mine["items"][0]["warnings"][0]["kind"] == "absence"
    school = client.get(
        f"/api/v1/schools/{personas.rocva.slug}/supervision?warning=absence",
        **auth(personas.coordinator),
    ).json()
    assert school["count"] == 2
    hidden = client.get(
        f"/api/v1/schools/{personas.rocva.slug}/supervision", **auth(personas.other_coordinator)
    )
    assert hidden.status_code == 404


def test_today_tells_the_supervisor_of_a_check_in_due_and_an_evaluation_to_fill_in(
    client, running, personas
):
    evaluation = get(running)
    day = evaluation.due_on - dt.timedelta(days=2)
    with time_machine.travel(at(day, "10:00")):
        client.force_login(personas.supervisor)
        body = client.get(reverse("supervision:today")).content.decode()
        api = client.get("/api/v1/supervision/today", **auth(personas.supervisor)).json()
    assert f"/stagiairs/{running.pk}/beoordeling/midterm/" in body
    assert f"/stagiairs/{running.pk}/logboek/" in body
    [row] = api
    assert row["evaluation_due"] == "midterm" and row["checkin_due"] is not None
    # Filled in: no longer waiting for the supervisor.
    assess_both(running, personas)
    with time_machine.travel(at(day, "10:00")):
        api = client.get("/api/v1/supervision/today", **auth(personas.supervisor)).json()
    assert api[0]["evaluation_due"] is None
