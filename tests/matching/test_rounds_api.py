"""Rounds through the API (C5): a school's system creates a round, sends the students' and the
businesses' rankings, runs it, reads the results and starts the follow-up round, with the same
rules and messages as the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from stagebrug.matching import adapter, services
from stagebrug.matching import messages as m
from stagebrug.matching.models import CandidateRank, Round, RoundStatus, StudentChoice
from tests.matching.conftest import soon
from tests.matching.test_api import bearer, en

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fit(monkeypatch):
    monkeypatch.setattr(
        adapter,
        "rank_students_for_placements",
        lambda placements, ids: {p.pk: [(i, 50) for i in sorted(ids)] for p in placements},
    )


def api(client, method, url, headers, payload=None):
    return getattr(client, method)(
        f"/api/v1{url}", payload or {}, content_type="application/json", **headers
    )


def test_a_schools_system_runs_a_whole_round_and_its_follow_up(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    school = bearer(w.personas.coordinator)
    slug = w.personas.rocva.slug
    created = api(
        client,
        "post",
        f"/schools/{slug}/rounds",
        school,
        {
            "programme": w.programme.pk,
            "name": "Kok, ronde 1",
            "deadline": soon().isoformat(),
            "max_choices": 2,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["students"] == 5 and body["seats"] == 3
    base = f"/rounds/{body['id']}"
    assert api(client, "post", f"{base}/open", school).json()["status"] == "open"

    students = api(client, "get", f"{base}/students", school).json()
    assert students["count"] == 5 and not any(s["submitted"] for s in students["items"])
    seats = {s["placement_id"]: s for s in api(client, "get", f"{base}/seats", school).json()}
    assert set(seats) == {w.a1.pk, w.a2.pk, w.b1.pk} and seats[w.a2.pk]["capacity"] == 2

    # Rankings for students, with the same refusals as when a student ranks.
    s0, s1, s2 = w.students[:3]
    too_many = api(
        client,
        "put",
        f"{base}/students/{s0.pk}/choices",
        school,
        {"placements": [w.a1.pk, w.a2.pk, w.b1.pk]},
    )
    assert too_many.status_code == 400
    assert too_many.json()["errors"]["placements"] == [en(m.TOO_MANY_CHOICES, max=2, count=3)]
    for student, ranking in ((s0, [w.a1.pk]), (s1, [w.a1.pk, w.b1.pk]), (s2, [w.a1.pk])):
        sent = api(
            client, "put", f"{base}/students/{student.pk}/choices", school, {"placements": ranking}
        )
        assert sent.status_code == 200 and sent.json()["placements"] == ranking
    assert StudentChoice.objects.filter(round_id=body["id"], student=s1).count() == 2
    stranger = api(
        client,
        "put",
        f"{base}/students/{w.personas.student.pk}/choices",
        school,
        {"placements": []},
    )
    assert stranger.status_code == 400
    assert stranger.json()["errors"]["student"] == [en(m.NOT_IN_THIS_ROUND)]

    # A business's ranking: the business ranks s2 above s0 for A1.
    owner = bearer(w.personas.owner)
    ranked = api(
        client,
        "put",
        f"{base}/seats/{w.a1.pk}/ranking",
        owner,
        {"ranking": "rank", "students": [s2.pk, s0.pk, s1.pk]},
    )
    assert ranked.status_code == 200, ranked.content
    assert ranked.json()["ranking"] == "rank" and ranked.json()["candidates"] == 3
    assert list(
        CandidateRank.objects.filter(round_id=body["id"])
        .order_by("rank")
        .values_list("student_id", flat=True)
    ) == [s2.pk, s0.pk, s1.pk]

    # Run, read the results, follow up.
    assert api(client, "get", f"{base}/results", school).status_code == 400
    api(client, "post", f"{base}/close", school)
    with django_capture_on_commit_callbacks(execute=True):
        run = api(client, "post", f"{base}/runs", school, {"mode": "stable"})
    assert run.status_code == 202
    assert api(client, "post", f"{base}/publish", school).json()["status"] == "published"
    results = api(client, "get", f"{base}/results", school).json()
    by_student = {r["student_id"]: r for r in results["items"]}
    assert results["count"] == 5
    assert by_student[s2.pk]["placement_id"] == w.a1.pk and by_student[s2.pk]["choice"] == 1
    assert by_student[s1.pk]["placement_id"] == w.b1.pk and by_student[s1.pk]["choice"] == 2
    assert by_student[s0.pk]["placement_id"] is None

    follow = api(client, "post", f"{base}/follow-up", school, {"deadline": soon(14).isoformat()})
    assert follow.status_code == 201, follow.content
    follow_up = Round.objects.get(pk=follow.json()["id"])
    assert follow_up.parent_id == body["id"] and follow_up.status == RoundStatus.DRAFT
    assert follow.json()["students"] == 3  # s0 and the two who did not rank
    again = api(client, "post", f"{base}/follow-up", school, {"deadline": soon(14).isoformat()})
    assert again.status_code == 400 and again.json()["detail"] == en(m.FOLLOW_UP_EXISTS)


def test_a_round_for_another_schools_programme_is_refused(client, world):
    from tests.placements.factories import communicatie_programme

    response = api(
        client,
        "post",
        f"/schools/{world.personas.rocva.slug}/rounds",
        bearer(world.personas.coordinator),
        {"programme": communicatie_programme().pk, "name": "X", "deadline": soon().isoformat()},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["programme"] == [en(m.PROGRAMME_NOT_OF_SCHOOL)]
    assert not Round.objects.exists()


@pytest.mark.parametrize("who", ["other_coordinator", "teacher", "outsider", "student"])
def test_outsiders_get_404_on_the_new_endpoints(client, world, round_open, who):
    headers = bearer(getattr(world.personas, who))
    base = f"/rounds/{round_open.pk}"
    student = world.students[0]
    calls = [
        (
            "post",
            f"/schools/{world.personas.rocva.slug}/rounds",
            {"programme": world.programme.pk, "name": "X", "deadline": soon().isoformat()},
        ),
        ("get", f"{base}/seats", {}),
        ("get", f"{base}/students", {}),
        ("put", f"{base}/students/{student.pk}/choices", {"placements": [world.a1.pk]}),
        ("put", f"{base}/seats/{world.a1.pk}/ranking", {"ranking": "fit"}),
        ("get", f"{base}/results", {}),
        ("post", f"{base}/follow-up", {"deadline": soon().isoformat()}),
    ]
    for method, url, payload in calls:
        response = api(client, method, url, headers, payload)
        assert response.status_code == 404, (who, method, url, response.status_code)
    assert not StudentChoice.objects.exists()
    assert Round.objects.count() == 1


def test_a_business_ranks_only_its_own_seats(client, world, round_open):
    other_seat = api(
        client,
        "put",
        f"/rounds/{round_open.pk}/seats/{world.b1.pk}/ranking",
        bearer(world.personas.owner),
        {"ranking": "fit"},
    )
    assert other_seat.status_code == 404


def test_a_deadline_without_an_offset_is_dutch_time(client, world):
    naive = soon().astimezone(dt.timezone(dt.timedelta(hours=1))).replace(tzinfo=None)
    response = api(
        client,
        "post",
        f"/schools/{world.personas.rocva.slug}/rounds",
        bearer(world.personas.coordinator),
        {"programme": world.programme.pk, "name": "Kok", "deadline": naive.isoformat()},
    )
    assert response.status_code == 201, response.content


def test_the_school_does_not_overwrite_a_businesss_own_ranking(client, world, round_open):
    anna = world.students[0]
    services.round_submit_choices(round=round_open, student=anna, placement_ids=[world.a1.pk])
    url = f"/rounds/{round_open.pk}/seats/{world.a1.pk}/ranking"
    own = {"ranking": "rank", "students": [anna.pk]}
    assert api(client, "put", url, bearer(world.personas.owner), own).status_code == 200
    school = api(client, "put", url, bearer(world.personas.coordinator), {"ranking": "fit"})
    assert school.status_code == 400
    assert school.json()["errors"]["ranking"] == [en(m.BUSINESS_RANKED_ITSELF)]
