"""Recommendations both ways (C5; W2, W14, W16): what is in them, what never is, who may see
them, and that their cost does not grow with the data."""

from __future__ import annotations

import dataclasses

import pytest

from stagebrug.applications.models import StudentProfile
from stagebrug.applications.recommendations import query as rec
from stagebrug.placements.models import ProgrammeDecision, Status
from stagebrug.registry.models import Postcode
from tests.dates import on
from tests.factories import UserFactory, confirm_internship
from tests.placements import search_factories as sf

pytestmark = pytest.mark.django_db

KITCHEN = ("Gerechten bereiden volgens recept", "Sauzen en soepen maken")
OFFICE = ("Offertes typen", "De telefoon aannemen")


def profile_for(user, programme, *, home: str | None = "1012", **overrides) -> StudentProfile:
    data = {
        "year": 1,
        "home_pc4": Postcode.objects.get(code=home) if home else None,
        "wanted_activities": "Koken in een restaurant",
        "activity_tags": ["koken"],
        "hours_per_week": 32,
        "available_from": on(1, 15),
        "allowance_needed": None,
        "max_travel_km": 20,
        "discoverable": True,
    }
    data.update(overrides)
    return StudentProfile.objects.create(user=user, programme=programme, **data)


def loaded(profile: StudentProfile) -> StudentProfile:
    return StudentProfile.objects.select_related("programme__institution", "home_pc4").get(
        pk=profile.pk
    )


@pytest.fixture
def cook(personas) -> StudentProfile:
    """The persona student: Kok (MBO 2), lives in 1012 (Amsterdam centre), travels 20 km."""
    return loaded(profile_for(personas.student, sf.kok()))


# --------------------------------------------------------------------------------------------
# For a student


def test_recommendations_hold_only_published_approved_eligible_placements_best_first(cook):
    near_kitchen = sf.published(postcode="1094", activities=KITCHEN)  # 3 km
    far_kitchen = sf.published(postcode="2011", activities=KITCHEN)  # Haarlem, 18 km
    near_office = sf.published(postcode="1181", title="Stage kantoor", activities=OFFICE)
    # None of these may appear:
    sf.published(postcode="1094", status=Status.DRAFT)
    sf.published(postcode="1094", status=Status.FILLED)
    sf.published(postcode="1094", decision=ProgrammeDecision.PENDING)
    sf.published(postcode="1094", programmes=[sf.communicatie()])
    sf.published(postcode="1094", levels=(3,))  # approved, but not at MBO 2
    sf.published(postcode="1315", activities=KITCHEN)  # Almere, 22 km: beyond 20 km
    full = sf.published(postcode="1094", activities=KITCHEN)
    confirm_internship(student=UserFactory(), placement=full)

    found = rec.recommend_for_student(cook)

    assert [r.placement.pk for r in found] == [near_kitchen.pk, far_kitchen.pk, near_office.pk]
    scores = [r.fit.score for r in found]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3
    assert all(r.fit.eligible for r in found)
    assert found[0].fit.reasons[0].code == "activities"  # W16: activities first


def test_a_student_who_did_not_say_where_they_live_sees_placements_everywhere_newest_first(
    personas,
):
    profile = loaded(profile_for(personas.student, sf.kok(), home=None))
    made = [sf.published(postcode=pc) for pc in ("1094", "1811", "2011", "1621")]
    found = rec.recommend_for_student(profile, limit=2)  # equal scores: the newer first
    assert [r.placement.pk for r in found] == [made[-1].pk, made[-2].pk]
    assert all(r.distance_km is None for r in found)


def test_recommendations_respect_the_limit(cook):
    for _ in range(4):
        sf.published(postcode="1094")
    assert len(rec.recommend_for_student(cook, limit=2)) == 2


def test_recommendations_run_a_constant_number_of_queries(cook, django_assert_max_num_queries):
    """Placed periods, the rows in reach (one chunk), their details, the rows shown."""
    sf.published(postcode="1094")
    with django_assert_max_num_queries(4):
        assert len(rec.recommend_for_student(cook)) == 1
    for postcode in ("1094", "1181", "1501", "2011", "2132") * 3:
        sf.published(postcode=postcode, activities=KITCHEN)
    with django_assert_max_num_queries(4):
        assert len(rec.recommend_for_student(cook)) == 16


def test_a_profile_without_its_joins_costs_two_queries_more(cook, django_assert_max_num_queries):
    sf.published(postcode="1094")
    bare = StudentProfile.objects.get(pk=cook.pk)
    with django_assert_max_num_queries(6):
        assert len(rec.recommend_for_student(bare)) == 1


def test_the_reasons_of_a_recommendation_agree_with_its_score(cook):
    sf.published(postcode="2011", activities=OFFICE, hours=40)
    (found,) = rec.recommend_for_student(cook)
    earned = sum(r.points for r in found.fit.reasons)
    total = sum(r.weight for r in found.fit.reasons)
    assert abs(found.fit.score - 100 * earned / total) <= 1


# --------------------------------------------------------------------------------------------
# For a business


@pytest.fixture
def kitchen(personas):
    """Company A's published kitchen placement in 1094 (Amsterdam-Oost), approved for Kok."""
    return sf.published(host=personas.company, activities=KITCHEN)


@pytest.fixture
def students(personas):
    kok, communicatie = sf.kok(), sf.communicatie()

    def person(name: str):
        return UserFactory(full_name=name, email=f"{name.split()[0].lower()}@student.example")

    return {
        "fits": profile_for(person("Fenna Fit"), kok, home="1012"),
        "weaker": profile_for(
            person("Wim Weaker"),
            kok,
            home="1181",
            wanted_activities="",
            activity_tags=["boekhouding"],
        ),
        "hidden": profile_for(person("Hidde Hidden"), kok, home="1094", discoverable=False),
        "other_programme": profile_for(person("Olaf Other"), communicatie, home="1094"),
        "too_far": profile_for(person("Tara Far"), kok, home="2011", max_travel_km=10),
        "no_home": profile_for(person("Nora Nohome"), kok, home=None),
    }


def test_candidates_are_the_discoverable_students_who_fit_best_first(kitchen, students):
    found = rec.candidates_for_placement(kitchen)
    ids = [c.profile.student_id for c in found]
    assert ids == [students["fits"].user_id, students["weaker"].user_id]
    assert found[0].fit.score > found[1].fit.score
    assert found[0].fit.reasons[0].code == "activities"


def test_a_student_who_is_not_discoverable_is_never_a_candidate(kitchen, students):
    StudentProfile.objects.exclude(pk=students["hidden"].pk).update(discoverable=False)
    assert rec.candidates_for_placement(kitchen, limit=50) == []


def test_a_candidate_shows_only_what_a_business_may_see(kitchen, students):
    fields = {f.name for f in dataclasses.fields(rec.CandidateProfile)}
    assert not fields & {"cv", "home_pc4", "postcode", "support_notes", "email", "user"}
    (first, *_rest) = rec.candidates_for_placement(kitchen)
    assert first.profile.name == "Fenna"  # the first name only
    assert first.profile.distance_km == pytest.approx(3.0, abs=0.2)


def test_candidates_run_a_constant_number_of_queries(
    kitchen, students, django_assert_max_num_queries
):
    """The approved programmes, the candidates, their current internships (placed students
    are left out), the shown students: the same four for 2 candidates as for 14."""
    with django_assert_max_num_queries(4):
        assert len(rec.candidates_for_placement(kitchen)) == 2
    kok = sf.kok()
    for i in range(12):
        profile_for(UserFactory(), kok, home=("1012", "1094", "1181")[i % 3])
    with django_assert_max_num_queries(4):
        assert len(rec.candidates_for_placement(kitchen)) == 14


def test_candidates_of_a_placement_approved_for_no_programme_are_none(personas, students):
    pending = sf.published(host=personas.company, decision=ProgrammeDecision.PENDING)
    assert rec.candidates_for_placement(pending) == []


# --------------------------------------------------------------------------------------------
# For matching rounds


def test_ranking_students_returns_every_id_best_first_with_ties_by_id(kitchen, students):
    nobody = UserFactory()
    ids = [
        students[k].user_id for k in ("weaker", "hidden", "other_programme", "fits", "no_home")
    ] + [nobody.pk]
    ranking = rec.rank_students_for_placement(kitchen, ids)
    assert sorted(sid for sid, _score in ranking) == sorted(ids)
    assert ranking == sorted(ranking, key=lambda item: (-item[1], item[0]))
    scores = dict(ranking)
    assert scores[nobody.pk] == 0  # no profile
    assert scores[students["other_programme"].user_id] == 0  # not eligible
    assert scores[students["hidden"].user_id] > 0  # a round is the school's, not discovery
    assert scores[students["fits"].user_id] > scores[students["weaker"].user_id]


def test_the_business_reads_each_students_fit_in_its_own_words(
    kitchen, students, django_assert_max_num_queries
):
    """The reasons a business sees on a round seat: the same fit, written for the business,
    with the distance and never the postcode; students without a profile are left out."""
    nobody = UserFactory()
    ids = [students["fits"].user_id, students["other_programme"].user_id, nobody.pk]
    with django_assert_max_num_queries(2):
        reasons = rec.reasons_for_business(kitchen, ids)
    assert set(reasons) == {students["fits"].user_id, students["other_programme"].user_id}
    fits = reasons[students["fits"].user_id]
    assert fits and any("km" in text for text in fits)
    assert not any("1012" in text for text in fits)  # the home postcode area stays private
    # The same texts as the fit module gives the business for that student.
    from stagebrug.applications import recommendations as fitlib

    facts = fitlib.placement_fit_facts([kitchen])[0]
    (student,) = fitlib.student_facts([loaded(students["fits"])])
    expected = [r.text for r in fitlib.fit(student, facts, audience="business").reasons]
    assert fits == expected
    # Not eligible: the reason says why, for the business.
    assert reasons[students["other_programme"].user_id]


def test_ranking_students_takes_a_placement_id_and_a_constant_number_of_queries(
    kitchen, students, django_assert_max_num_queries
):
    ids = [p.user_id for p in students.values()]
    with django_assert_max_num_queries(3):
        by_id = rec.rank_students_for_placement(kitchen.pk, ids)
    with django_assert_max_num_queries(2):
        assert rec.rank_students_for_placement(kitchen, ids) == by_id


def test_ranking_for_an_unknown_placement_says_so(students):
    with pytest.raises(rec.Placement.DoesNotExist):
        rec.rank_students_for_placement(999_999, [1])


# --------------------------------------------------------------------------------------------
# Pages


def test_the_student_sees_recommendations_with_reasons_and_links(client, cook):
    placement = sf.published(postcode="1094", activities=KITCHEN)
    client.force_login(cook.user)
    html = client.get("/student/aanbevolen/").content.decode()
    assert f'href="/stages/{placement.pk}/"' in html
    assert html.index('data-reason="activities"') < html.index('data-reason="distance"')
    assert "<h1" in html and "<h2" in html and "<ol" in html


def test_a_student_without_a_profile_is_asked_to_fill_it_in(client, personas):
    client.force_login(personas.student)
    response = client.get("/student/aanbevolen/")
    assert response.status_code == 200
    assert 'href="/student/profiel/"' in response.content.decode()


def test_a_student_with_no_recommendations_is_told_how_to_improve_the_profile(client, personas):
    profile_for(personas.student, sf.kok(), home=None, wanted_activities="", activity_tags=[])
    client.force_login(personas.student)
    html = client.get("/student/aanbevolen/").content.decode()
    assert 'href="/student/profiel/"' in html
    assert 'id="tips-heading"' in html and html.count("<li>") >= 2


def test_recommendations_need_a_login(client):
    response = client.get("/student/aanbevolen/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/inloggen/")


def test_the_company_sees_its_candidates_with_reasons(client, personas, kitchen, students):
    for user in (personas.owner, personas.member):
        client.force_login(user)
        html = client.get(f"/stageplaatsen/{kitchen.pk}/kandidaten/").content.decode()
        assert "Fenna" in html and "Wim" in html
        assert "Hidde" not in html  # not discoverable
        assert "fenna@student.example" not in html and "Fenna Fit" not in html
        assert 'data-reason="activities"' in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("supervisor", 403),  # sees the company, may not act for it
        ("outsider", 404),  # another company
        ("student", 404),
        ("coordinator", 404),
        ("other_coordinator", 404),  # another school
    ],
)
def test_outsiders_cannot_see_the_candidates_page(client, personas, kitchen, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(f"/stageplaatsen/{kitchen.pk}/kandidaten/").status_code == status


def test_the_candidates_page_of_an_unknown_placement_is_not_found(client, personas):
    client.force_login(personas.owner)
    assert client.get("/stageplaatsen/999999/kandidaten/").status_code == 404


# --------------------------------------------------------------------------------------------
# API


def test_the_api_gives_the_student_recommendations_with_reasons(client, cook):
    placement = sf.published(postcode="1094", activities=KITCHEN)
    sf.published(postcode="1181")
    client.force_login(cook.user)
    body = client.get("/api/v1/students/me/recommendations?limit=1").json()
    assert [item["placement_id"] for item in body] == [placement.pk]
    assert body[0]["url"] == f"/stages/{placement.pk}/"
    assert body[0]["reasons"][0]["code"] == "activities"
    assert 0 <= body[0]["score"] <= 100


def test_the_api_refuses_recommendations_without_a_profile_or_a_login(client, personas):
    assert client.get("/api/v1/students/me/recommendations").status_code == 401
    client.force_login(personas.owner)
    response = client.get("/api/v1/students/me/recommendations")
    assert response.status_code == 403
    assert response.json() == {"detail": str(rec_api().NO_PROFILE), "errors": {}}


def test_the_api_refuses_a_limit_out_of_range_with_the_error_shape(client, cook):
    client.force_login(cook.user)
    response = client.get("/api/v1/students/me/recommendations?limit=0")
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "errors"} and "limit" in response.json()["errors"]


def test_the_api_gives_the_company_its_candidates(client, personas, kitchen, students):
    client.force_login(personas.owner)
    body = client.get(f"/api/v1/placements/{kitchen.pk}/candidates").json()
    assert [c["student_id"] for c in body] == [students["fits"].user_id, students["weaker"].user_id]
    assert not set(body[0]) & {"cv", "home_pc4", "postcode", "email", "support_notes"}
    assert body[0]["name"] == "Fenna"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("supervisor", 403), ("outsider", 404), ("student", 404), ("other_coordinator", 404)],
)
def test_outsiders_cannot_read_the_candidates_api(client, personas, kitchen, persona, status):
    client.force_login(getattr(personas, persona))
    response = client.get(f"/api/v1/placements/{kitchen.pk}/candidates")
    assert response.status_code == status
    assert set(response.json()) == {"detail", "errors"}


def test_the_candidates_api_needs_a_login(client, kitchen):
    assert client.get(f"/api/v1/placements/{kitchen.pk}/candidates").status_code == 401


def rec_api():
    from stagebrug.applications.recommendations import api as api_recommend

    return api_recommend


def test_a_placed_student_is_not_offered_placements_of_the_same_period(cook):
    """W1: a student placed from February is not shown February placements, but is shown one
    that starts after their internship ends."""
    from tests.dates import iso

    taken = sf.published(postcode="1094", start_dates=(iso(2, 1),), activities=KITCHEN)
    confirm_internship(student=cook.user, placement=taken)
    same = sf.published(postcode="1094", start_dates=(iso(2, 1),), activities=KITCHEN)
    later = sf.published(postcode="1094", start_dates=(iso(9, 1),), activities=KITCHEN)
    found = {r.placement.pk for r in rec.recommend_for_student(cook)}
    assert later.pk in found
    assert same.pk not in found and taken.pk not in found
