"""Matching-round pages: who may see what, the coordinator's journey with the htmx progress bar,
the student's ranking form and result, and the business's ranking page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy

from stagebrug.applications.models import SupportNote
from stagebrug.matching import adapter, services
from stagebrug.matching import messages as m
from stagebrug.matching.forms import POSITION_TWICE
from stagebrug.matching.models import (
    CandidateRank,
    Round,
    RoundRun,
    RoundStatus,
    RunStatus,
    SeatRanking,
    StudentChoice,
)
from tests.matching.conftest import make_student, soon

pytestmark = pytest.mark.django_db

SCHOOL_OUTSIDERS = [
    "outsider",
    "owner",
    "member",
    "supervisor",
    "other_coordinator",
    "teacher",
    "student",
]


def nl(text, **params) -> str:
    with translation.override("nl"):
        return escape(str(text) % params if params else str(text))


@pytest.fixture
def ranked(world, round_open, monkeypatch):
    """Anna, Bram and Chen have ranked; A1 is ranked by the business (Bram first)."""
    monkeypatch.setattr(
        adapter,
        "rank_students_for_placements",
        lambda placements, ids: {p.pk: [(i, 50) for i in sorted(ids)] for p in placements},
    )
    anna, bram, chen = world.students[:3]
    services.round_submit_choices(
        round=round_open, student=anna, placement_ids=[world.a1.pk, world.a2.pk]
    )
    services.round_submit_choices(round=round_open, student=bram, placement_ids=[world.a1.pk])
    services.round_submit_choices(round=round_open, student=chen, placement_ids=[world.b1.pk])
    services.round_set_seat_ranking(
        seat=round_open.seats.select_related("placement__company", "round").get(placement=world.a1),
        by=world.personas.owner,
        ranking=SeatRanking.RANK,
        student_ids=[bram.pk, anna.pk],
    )
    return round_open


def published(world, round) -> Round:
    services.round_close(round=round, by=world.personas.coordinator)
    run = services.round_run(round=round, by=world.personas.coordinator)
    services.round_run_execute(run_id=run.pk)
    services.round_publish(round=round, by=world.personas.coordinator)
    round.refresh_from_db()
    return round


def coordinator_urls(round: Round) -> list[tuple[str, str]]:
    base = f"/scholen/{round.institution.slug}/rondes"
    run = RoundRun.objects.create(round=round, status=RunStatus.DONE, stats={"placed": 0})
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/nieuw/"),
        ("post", f"{base}/nieuw/"),
        ("get", f"{base}/{round.pk}/"),
        ("post", f"{base}/{round.pk}/openen/"),
        ("post", f"{base}/{round.pk}/sluiten/"),
        ("post", f"{base}/{round.pk}/draaien/"),
        ("get", f"{base}/{round.pk}/runs/{run.pk}/"),
        ("get", f"{base}/{round.pk}/uitkomst/"),
        ("get", f"{base}/{round.pk}/publiceren/"),
        ("post", f"{base}/{round.pk}/publiceren/"),
        ("get", f"{base}/{round.pk}/vervolgronde/"),
        ("post", f"{base}/{round.pk}/vervolgronde/"),
    ]


# --------------------------------------------------------------------------------------------
# Permissions


def test_school_outsiders_get_403_or_404_on_every_coordinator_page(client, world, round_open):
    urls = coordinator_urls(round_open)
    for name in SCHOOL_OUTSIDERS:
        client.force_login(getattr(world.personas, name))
        for method, url in urls:
            response = getattr(client, method)(url, {"confirm": "on", "name": "x"})
            assert response.status_code in (403, 404), (name, method, url, response.status_code)
    round_open.refresh_from_db()
    assert round_open.status == RoundStatus.OPEN
    assert RoundRun.objects.filter(round=round_open).count() == 1  # only the fixture's


def test_another_schools_round_is_not_found_even_for_a_coordinator(client, world, round_open):
    client.force_login(world.personas.other_coordinator)
    hva = world.personas.hva.slug
    response = client.get(f"/scholen/{hva}/rondes/{round_open.pk}/")
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world, round_open):
    urls = [url for method, url in coordinator_urls(round_open) if method == "get"]
    urls += [
        f"/student/rondes/{round_open.pk}/",
        f"/stageplaatsen/{world.a1.pk}/rondes/{round_open.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/account/inloggen/" in response["Location"], url


def test_only_students_of_the_round_see_it(client, world, round_open):
    later = make_student("Lars Later", "1011", world.programme)  # joined after the round
    url = f"/student/rondes/{round_open.pk}/"
    for user in (later, world.personas.student, world.personas.owner, world.personas.coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"choice_1": world.a1.pk}).status_code == 404
    assert not StudentChoice.objects.exists()
    client.force_login(world.students[0])
    assert client.get(url).status_code == 200


def test_a_draft_round_is_hidden_from_students_and_businesses(client, world):
    draft = services.round_create(
        programme=world.programme, by=world.personas.coordinator, name="concept", deadline=soon()
    )
    client.force_login(world.students[0])
    assert client.get(f"/student/rondes/{draft.pk}/").status_code == 404
    client.force_login(world.personas.owner)
    assert client.get(f"/stageplaatsen/{world.a1.pk}/rondes/{draft.pk}/").status_code == 404


def test_only_the_business_of_the_placement_sees_its_seat(client, world, round_open):
    url = f"/stageplaatsen/{world.a1.pk}/rondes/{round_open.pk}/"
    for name in ("outsider", "coordinator", "other_coordinator", "student"):
        client.force_login(getattr(world.personas, name))
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"ranking": "accept_all"}).status_code == 404, name
    # The workplace supervisor may look, not decide.
    client.force_login(world.personas.supervisor)
    assert client.get(url).status_code == 200
    assert client.post(url, {"ranking": "accept_all"}).status_code == 403
    assert round_open.seats.get(placement=world.a1).ranking == SeatRanking.FIT
    # A placement that is not in the round has no seat page.
    client.force_login(world.personas.owner)
    assert client.get(f"/stageplaatsen/{world.x.pk}/rondes/{round_open.pk}/").status_code == 404


# --------------------------------------------------------------------------------------------
# The coordinator's journey


def test_the_coordinator_creates_opens_and_closes_a_round(client, world):
    client.force_login(world.personas.coordinator)
    base = f"/scholen/{world.personas.rocva.slug}/rondes"
    assert client.get(f"{base}/nieuw/").status_code == 200
    deadline = (soon() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"{base}/nieuw/",
        {
            "programme": world.programme.pk,
            "name": "Kok 2027",
            "cohort": "2027",
            "deadline": deadline,
            "max_choices": 3,
        },
    )
    round = Round.objects.get(name="Kok 2027")
    assert response.status_code == 302 and response["Location"] == f"{base}/{round.pk}/"
    page = client.get(f"{base}/{round.pk}/")
    assert page.status_code == 200 and b"Stage keuken A1" in page.content
    client.post(f"{base}/{round.pk}/openen/")
    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN
    client.post(f"{base}/{round.pk}/sluiten/")
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED
    listing = client.get(f"{base}/")
    assert b"Kok 2027" in listing.content


def test_a_bad_round_form_says_what_is_wrong(client, world):
    client.force_login(world.personas.coordinator)
    response = client.post(
        f"/scholen/{world.personas.rocva.slug}/rondes/nieuw/",
        {
            "programme": world.programme.pk,
            "name": "Te laat",
            "deadline": "2020-01-01T10:00",
            "max_choices": 5,
        },
    )
    assert response.status_code == 200
    assert nl(m.DEADLINE_IN_PAST).encode() in response.content
    assert not Round.objects.exists()


def test_the_run_button_shows_a_progress_bar_that_polls_until_done(
    client, world, ranked, django_capture_on_commit_callbacks
):
    services.round_close(round=ranked, by=world.personas.coordinator)
    client.force_login(world.personas.coordinator)
    base = f"/scholen/{world.personas.rocva.slug}/rondes/{ranked.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}/draaien/", {"mode": "stable"}, HTTP_HX_REQUEST="true")
    run = RoundRun.objects.get(round=ranked)
    html = response.content.decode()
    assert '<progress id="run-bar"' in html and 'value="0"' in html
    assert f'hx-get="{base}/runs/{run.pk}/"' in html and 'hx-trigger="every 1s"' in html
    run.refresh_from_db()
    assert run.status == RunStatus.DONE  # the job ran on commit
    poll = client.get(f"{base}/runs/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'value="100"' in poll and "hx-trigger" not in poll
    assert f"{base}/uitkomst/?run={run.pk}" in poll
    assert "<html" not in poll  # a fragment for htmx
    full = client.get(f"{base}/runs/{run.pk}/")
    assert b"<html" in full.content


def test_a_second_run_while_one_is_running_is_refused_on_the_page(client, world, ranked):
    services.round_close(round=ranked, by=world.personas.coordinator)
    RoundRun.objects.create(round=ranked, status=RunStatus.RUNNING)
    client.force_login(world.personas.coordinator)
    response = client.post(
        f"/scholen/{world.personas.rocva.slug}/rondes/{ranked.pk}/draaien/",
        HTTP_HX_REQUEST="true",
    )
    assert nl(m.RUN_BUSY).encode() in response.content
    assert RoundRun.objects.filter(round=ranked).count() == 1


def test_a_lost_run_no_longer_blocks_a_new_one(client, world, ranked, settings):
    services.round_close(round=ranked, by=world.personas.coordinator)
    lost = RoundRun.objects.create(
        round=ranked,
        status=RunStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=settings.ROUND_RUN_STALE_MINUTES + 1),
    )
    run = services.round_run(round=ranked, by=world.personas.coordinator)
    lost.refresh_from_db()
    assert lost.status == RunStatus.FAILED and lost.finished_at is not None
    assert run.pk != lost.pk


def test_an_unknown_mode_or_run_number_is_refused_not_a_crash(client, world, ranked):
    services.round_close(round=ranked, by=world.personas.coordinator)
    client.force_login(world.personas.coordinator)
    base = f"/scholen/{world.personas.rocva.slug}/rondes/{ranked.pk}"
    response = client.post(f"{base}/draaien/", {"mode": "fastest"}, follow=True)
    assert nl(m.MODE_UNKNOWN).encode() in response.content
    assert not RoundRun.objects.filter(round=ranked).exists()
    for page in ("uitkomst", "publiceren"):
        assert client.get(f"{base}/{page}/?run=²").status_code in (200, 302)


def test_the_coordinator_reviews_the_statistics_and_publishes_after_confirming(
    client, world, ranked
):
    services.round_close(round=ranked, by=world.personas.coordinator)
    run = services.round_run(round=ranked, by=world.personas.coordinator)
    services.round_run_execute(run_id=run.pk)
    client.force_login(world.personas.coordinator)
    base = f"/scholen/{world.personas.rocva.slug}/rondes/{ranked.pk}"
    review = client.get(f"{base}/uitkomst/").content.decode()
    assert 'id="stat-placed"' in review and "<strong>3</strong>" in review  # of 5
    assert "(60,0%)" in review  # Dutch number format
    assert "Anna Aydin" in review  # the coordinator sees every student
    confirm = client.get(f"{base}/publiceren/?run={run.pk}")
    assert confirm.status_code == 200
    response = client.post(f"{base}/publiceren/?run={run.pk}", {})
    assert response.status_code == 200
    ranked.refresh_from_db()
    assert ranked.status == RoundStatus.CLOSED  # not confirmed: nothing happened
    response = client.post(f"{base}/publiceren/?run={run.pk}", {"confirm": "on"})
    assert response.status_code == 302
    ranked.refresh_from_db()
    assert ranked.status == RoundStatus.PUBLISHED and ranked.published_run == run
    again = client.post(f"{base}/publiceren/", {"confirm": "on"})
    assert again.status_code == 200
    assert nl(m.ALREADY_PUBLISHED).encode() in again.content
    follow = client.get(f"{base}/vervolgronde/")
    assert follow.status_code == 200
    response = client.post(
        f"{base}/vervolgronde/",
        {"deadline": soon().strftime("%Y-%m-%dT%H:%M"), "name": ""},
    )
    follow_up = Round.objects.get(parent=ranked)
    assert response["Location"].endswith(f"/rondes/{follow_up.pk}/")


def test_the_round_pages_cost_a_fixed_number_of_queries(
    client, world, ranked, django_assert_max_num_queries
):
    client.force_login(world.personas.coordinator)
    base = f"/scholen/{world.personas.rocva.slug}/rondes"
    with django_assert_max_num_queries(12):
        assert client.get(f"{base}/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"{base}/{ranked.pk}/").status_code == 200
    for i in range(10):
        make_student(f"Extra Student{i}", "1011", world.programme)
    more = services.round_create(
        programme=world.programme, by=world.personas.coordinator, name="meer", deadline=soon()
    )
    with django_assert_max_num_queries(16):
        assert client.get(f"{base}/{more.pk}/").status_code == 200


# --------------------------------------------------------------------------------------------
# The student


def test_the_student_ranks_with_one_select_per_choice(client, world, round_open):
    anna = world.students[0]
    client.force_login(anna)
    url = f"/student/rondes/{round_open.pk}/"
    page = client.get(url).content.decode()
    for n in range(1, round_open.max_choices + 1):
        assert f'name="choice_{n}"' in page
    assert "Stage wachtend X" not in page  # not offered to the programme
    response = client.post(url, {"choice_1": world.b1.pk, "choice_2": world.a1.pk})
    assert response.status_code == 302
    assert list(
        StudentChoice.objects.filter(student=anna).values_list("placement_id", flat=True)
    ) == [world.b1.pk, world.a1.pk]


def test_the_students_bad_rankings_are_refused_with_the_reason(client, world, round_open):
    anna = world.students[0]
    client.force_login(anna)
    url = f"/student/rondes/{round_open.pk}/"
    twice = client.post(url, {"choice_1": world.a1.pk, "choice_2": world.a1.pk})
    assert twice.status_code == 200
    assert nl(m.CHOSEN_TWICE, placement=world.a1.title).encode() in twice.content
    for garbage in ("abc", "1.5", "²"):
        refused = client.post(url, {"choice_1": garbage})
        assert refused.status_code == 200
        assert nl(gettext_lazy("Choose a placement from the list.")).encode() in refused.content
    ineligible = client.post(url, {"choice_1": world.x.pk})
    assert nl(m.NOT_IN_ROUND, placement=world.x.title).encode() in ineligible.content
    assert not StudentChoice.objects.exists()
    with time_machine.travel(round_open.deadline + dt.timedelta(minutes=1)):
        late = client.post(url, {"choice_1": world.a1.pk})
        assert late.status_code == 200
        assert b"choice_1" not in late.content  # the form is gone after the deadline
    assert not StudentChoice.objects.exists()


def test_the_student_sees_the_result_and_why(client, world, ranked):
    published(world, ranked)
    anna = world.students[0]
    client.force_login(anna)
    page = client.get(f"/student/rondes/{ranked.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'id="result-summary"' in html
    assert "You got your 2nd choice: Stage lunchroom A2" in html
    assert "Its only seat went to a student the business ranked higher than you." in html
    for other in world.students[1:]:
        assert other.full_name not in html and other.email not in html


# --------------------------------------------------------------------------------------------
# The business


def test_the_business_ranks_its_candidates_and_sees_only_what_it_may(client, world, ranked):
    anna, bram = world.students[:2]
    profile = anna.student_profile
    profile.school_may_add_notes = True
    profile.save()
    SupportNote.objects.create(
        profile=profile,
        author=anna,
        author_role="student",
        text="GEHEIM: ik schrik van harde stemmen",
    )
    client.force_login(world.personas.owner)
    url = f"/stageplaatsen/{world.a1.pk}/rondes/{ranked.pk}/"
    page = client.get(url).content.decode()
    assert "Anna Aydin" in page and "Bram Bakker" in page and "Chen Cohen" not in page
    assert "GEHEIM" not in page and "/cv/" not in page and anna.email not in page
    twice = client.post(
        url, {"ranking": "rank", f"student_{anna.pk}": "1", f"student_{bram.pk}": "1"}
    )
    assert nl(POSITION_TWICE).encode() in twice.content
    impossible = client.post(url, {"ranking": "rank", f"student_{anna.pk}": "99"})
    marked = f'aria-describedby="id_student_{anna.pk}_error"'
    assert marked.encode() in impossible.content  # the bad select points at its error
    assert f'id="id_student_{anna.pk}_error"'.encode() in impossible.content
    response = client.post(
        url, {"ranking": "rank", f"student_{anna.pk}": "1", f"student_{bram.pk}": "2"}
    )
    assert response.status_code == 302
    assert list(
        CandidateRank.objects.filter(placement=world.a1).values_list("student_id", flat=True)
    ) == [anna.pk, bram.pk]
    client.post(url, {"ranking": "accept_all"})
    assert ranked.seats.get(placement=world.a1).ranking == SeatRanking.ACCEPT_ALL
    with time_machine.travel(ranked.deadline + dt.timedelta(minutes=1)):
        late = client.post(url, {"ranking": "fit"})
    assert late.status_code == 200
    assert ranked.seats.get(placement=world.a1).ranking == SeatRanking.ACCEPT_ALL


def test_after_publishing_the_business_sees_who_comes(client, world, ranked):
    published(world, ranked)
    client.force_login(world.personas.owner)
    page = client.get(f"/stageplaatsen/{world.a1.pk}/rondes/{ranked.pk}/").content.decode()
    assert "Bram Bakker" in page
