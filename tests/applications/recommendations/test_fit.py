"""The fit score (C5; W2, W14, W16, W21): the gate, every component, the weights file, and the
properties that keep it sane. Wording is checked in English (the msgids), so a Dutch
translation can change without breaking these tests."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from stagebrug.applications import recommendations as f
from stagebrug.core import text as textlib
from stagebrug.core.geo import haversine_km
from stagebrug.core.text import terms
from stagebrug.placements.search import search_text_from_parts
from tests.dates import YEAR, on

AMSTERDAM = (52.3702, 4.8952)
KOK = 11
COMMUNICATIE = 22
KM_PER_DEGREE = haversine_km((52.0, 4.9), (53.0, 4.9))


def student(**overrides) -> f.StudentFacts:
    data = {
        "student_id": 1,
        "profile_id": 1,
        "programme_id": KOK,
        "programme_name": "Kok",
        "kind": "mbo",
        "level": 2,
        "year": 1,
        "home": AMSTERDAM,
        "max_travel_km": 20,
        "hours_per_week": 32,
        "available_from": on(1, 15),
        "allowance_needed": 200.0,
        "activity_terms": f.student_terms("Koken en gerechten bereiden", ["keuken"]),
    }
    data.update(overrides)
    return f.StudentFacts(**data)


def placement(**overrides) -> f.PlacementFitFacts:
    activities = overrides.pop(
        "activities",
        ("Gerechten bereiden volgens recept", "De keuken schoonhouden volgens HACCP"),
    )
    title = overrides.pop("title", "Stage kok in de keuken")
    data = {
        "placement_id": 7,
        "kind": "mbo_bol",
        "levels": frozenset({2}),
        "approved_programme_ids": frozenset({KOK}),
        "is_duo": False,
        "hours_per_week": 32,
        "start_dates": (on(2, 1),),
        "monthly_allowance": 300.0,
        "location": AMSTERDAM,
        "activity_keys": f.placement_keys(title=title, activities=activities),
        "title": title,
        "activities": tuple(activities),
    }
    data.update(overrides)
    return f.PlacementFitFacts(**data)


def north_of(km: float) -> tuple[float, float]:
    """A point `km` due north of Amsterdam centre."""
    return (AMSTERDAM[0] + km / KM_PER_DEGREE, AMSTERDAM[1])


def reason(result: f.FitResult, code: str) -> f.Reason:
    return next(r for r in result.reasons if r.code == code)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


# --------------------------------------------------------------------------------------------
# The gate


def test_a_placement_not_offered_to_the_students_programme_scores_zero_with_the_reason(english):
    result = f.fit(student(), placement(approved_programme_ids=frozenset({COMMUNICATIE})))
    assert (result.score, result.eligible) == (0, False)
    assert [r.code for r in result.reasons] == [f.NOT_OFFERED]
    assert result.reasons[0].text == "This placement is not offered to your programme Kok."
    assert f.fit_score(student(), placement(approved_programme_ids=frozenset())) == 0


def test_a_level_outside_the_placements_levels_is_not_eligible(english):
    result = f.fit(student(level=2), placement(levels=frozenset({3, 4})))
    assert (result.score, result.eligible) == (0, False)
    assert result.reasons[0].code == f.LEVEL_OUTSIDE
    assert result.reasons[0].text == "This placement is for MBO 3, MBO 4; you study at MBO 2."


def test_the_business_reads_the_gate_from_its_own_side(english):
    result = f.fit(student(), placement(approved_programme_ids=frozenset({9})), audience="business")
    assert result.reasons[0].text == "Studies Kok, a programme your placement is not offered to."


def test_a_duo_placement_without_a_seat_for_the_students_kind_is_not_eligible(english):
    hbo = student(kind="hbo", level=5, programme_id=COMMUNICATIE)
    duo = placement(
        is_duo=True, levels=frozenset({5}), approved_programme_ids=frozenset({COMMUNICATIE})
    )
    assert duo.seat_kinds == {"hbo"}
    mbo_in_hbo_only_duo = f.fit(student(), duo)
    assert not mbo_in_hbo_only_duo.eligible
    assert {r.code for r in mbo_in_hbo_only_duo.reasons} >= {f.DUO_NO_SEAT}
    assert f.fit(hbo, duo).eligible


def test_an_eligible_pair_that_fits_everything_scores_100():
    result = f.fit(student(), placement())
    assert (result.score, result.eligible) == (100, True)
    assert all(r.good for r in result.reasons)
    assert f.fit_score(student(), placement()) == 100


def test_reasons_start_with_the_activities(english):
    codes = [r.code for r in f.fit(student(), placement()).reasons]
    assert codes[0] == f.ACTIVITIES  # W16: students choose by what they will do
    assert codes == [f.ACTIVITIES, f.PROGRAMME_LEVEL, f.DISTANCE, f.HOURS, f.START, f.ALLOWANCE]


# --------------------------------------------------------------------------------------------
# Activities (W16)


def test_social_media_matches_posts_for_instagram_and_the_reason_quotes_the_placement(english):
    s = student(activity_terms=f.student_terms("Ik wil social media doen"))
    p = placement(
        title="Stage marketing",
        activities=("Posts maken voor Instagram", "Offertes typen"),
    )
    r = reason(f.fit(s, p), f.ACTIVITIES)
    assert r.text == "You want to do social media; this placement has ‘Posts maken voor Instagram’."
    assert r.points == r.weight and r.good


def test_the_business_reads_which_activity_the_student_wants(english):
    s = student(activity_terms=f.student_terms("", ["social media"]))
    p = placement(activities=("Posts maken voor Instagram",))
    r = reason(f.fit(s, p, audience="business"), f.ACTIVITIES)
    assert r.text == "Wants to do social media; your placement has ‘Posts maken voor Instagram’."


def test_two_matching_activities_are_both_quoted(english):
    s = student(activity_terms=f.student_terms("social media en fotografie"))
    p = placement(activities=("Posts maken voor Instagram", "Foto's maken van gerechten"))
    r = reason(f.fit(s, p), f.ACTIVITIES)
    assert "‘Posts maken voor Instagram’ and ‘Foto's maken van gerechten’" in r.text


def test_a_match_in_the_title_only_quotes_the_title(english):
    s = student(activity_terms=f.student_terms("marketing"))
    p = placement(title="Stage marketing", activities=("Offertes typen",))
    assert reason(f.fit(s, p), f.ACTIVITIES).text == (
        "You want to do marketing; the title says ‘Stage marketing’."
    )


def test_activities_that_match_nothing_earn_no_points(english):
    s = student(activity_terms=f.student_terms("programmeren in Python"))
    r = reason(f.fit(s, placement()), f.ACTIVITIES)
    assert r.points == 0 and not r.good
    assert "is not among this placement's activities" in r.text


def test_one_of_three_wishes_earns_a_third_of_the_activity_points():
    s = student(activity_terms=f.student_terms("koken, programmeren en boekhouding"))
    r = reason(f.fit(s, placement()), f.ACTIVITIES)
    assert r.points == pytest.approx(r.weight / 3, abs=0.1)


def test_a_student_who_says_nothing_about_activities_gets_neutral_points_and_a_tip(english):
    r = reason(f.fit(student(activity_terms=()), placement()), f.ACTIVITIES)
    weights = f.load_weights()
    assert r.points == pytest.approx(r.weight * weights.unknown_fraction)
    assert not r.good
    assert r.text.startswith("Tell us in your profile what you want to do")


def test_noise_words_every_placement_uses_never_count_as_a_match():
    s = student(activity_terms=f.student_terms("Ik wil werken en leren in een leuk team"))
    assert s.activity_terms == ()


def test_the_stored_search_stems_give_the_same_terms_as_analysing_the_text():
    title = "Stagiair online marketing en content"
    activities = ["Berichten maken voor Instagram, TikTok en LinkedIn", "De nieuwsbrief schrijven"]
    stored = search_text_from_parts(title=title, activities=activities, other=["Een bureau."])
    assert f.placement_keys(search_text=stored) == f.placement_keys(
        title=title, activities=activities
    )
    assert "=social media" in f.placement_keys(search_text=stored)


# --------------------------------------------------------------------------------------------
# Distance


def test_distance_close_by_earns_full_points(english):
    r = reason(f.fit(student(), placement(location=north_of(3))), f.DISTANCE)
    assert r.points == r.weight and r.good
    assert r.text == "3.0 km from home (you want max. 20 km)."


def test_distance_just_inside_the_maximum_earns_points_and_just_outside_earns_none(english):
    w = f.load_weights()
    inside = f.fit(student(), placement(location=north_of(19.9)))
    outside = f.fit(student(), placement(location=north_of(20.1)))
    assert reason(inside, f.DISTANCE).points == pytest.approx(
        w.weight(f.DISTANCE) * w.distance_fraction_at_max, abs=0.2
    )
    assert reason(outside, f.DISTANCE).points == 0
    assert reason(outside, f.DISTANCE).text == "20.1 km from home: further than your max. 20 km."
    assert outside.eligible  # too far is a low score, not a broken rule


def test_the_business_sees_the_distance_in_km_never_the_postcode(english):
    r = reason(f.fit(student(), placement(location=north_of(12)), audience="business"), "distance")
    assert r.text == "Lives 12 km away (travels up to 20 km)."


def test_an_unknown_home_gives_neutral_distance_points_and_asks_for_the_postcode(english):
    r = reason(f.fit(student(home=None), placement()), f.DISTANCE)
    assert r.points == pytest.approx(r.weight * f.load_weights().unknown_fraction)
    assert r.text == "Add your home postcode to your profile to see the distance."


# --------------------------------------------------------------------------------------------
# Hours and start date


def test_hours_within_the_margin_fit(english):
    r = reason(f.fit(student(hours_per_week=32), placement(hours_per_week=36)), f.HOURS)
    assert r.points == r.weight
    assert r.text == "36 hours a week; you want 32."


def test_more_hours_than_wanted_lose_points_faster_than_fewer_hours(english):
    more = reason(f.fit(student(hours_per_week=24), placement(hours_per_week=36)), f.HOURS)
    fewer = reason(f.fit(student(hours_per_week=36), placement(hours_per_week=24)), f.HOURS)
    assert more.points < fewer.points < fewer.weight
    assert more.text == "36 hours a week: more than the 24 you want."
    assert fewer.text == "24 hours a week: fewer than the 36 you want."


def test_far_more_hours_than_wanted_earn_no_hour_points():
    r = reason(f.fit(student(hours_per_week=16), placement(hours_per_week=40)), f.HOURS)
    assert r.points == 0


def test_a_start_date_before_the_student_is_available_earns_no_start_points(english):
    s = student(available_from=on(3, 1))
    r = reason(f.fit(s, placement(start_dates=(on(2, 1),))), f.START)
    assert r.points == 0 and not r.good
    assert r.text == (
        f"Starts on 1 February {YEAR} at the latest, before you are available (1 March {YEAR})."
    )


def test_a_later_start_date_of_the_same_placement_still_fits():
    s = student(available_from=on(3, 1))
    p = placement(start_dates=(on(2, 1), on(4, 1)))
    assert reason(f.fit(s, p), f.START).good


def test_a_start_long_after_the_student_is_available_earns_less_but_not_nothing():
    w = f.load_weights()
    s = student(available_from=on(1, 1, -1))
    r = reason(f.fit(s, placement(start_dates=(on(9, 1),))), f.START)
    assert r.points == pytest.approx(r.weight * w.start_late_fraction)


# --------------------------------------------------------------------------------------------
# Allowance (W5, W22)


def test_an_allowance_below_need_earns_its_share(english):
    r = reason(
        f.fit(student(allowance_needed=400.0), placement(monthly_allowance=100.0)), "allowance"
    )
    assert r.points == pytest.approx(r.weight / 4)
    assert not r.good
    assert r.text == "€ 100 a month; you need € 400."


def test_an_allowance_that_covers_the_need_earns_full_points(english):
    r = reason(
        f.fit(student(allowance_needed=300.0), placement(monthly_allowance=300.0)), "allowance"
    )
    assert r.points == r.weight
    assert r.text == "€ 300 a month (you need € 300)."


def test_a_student_who_needs_no_allowance_fits_an_unpaid_placement():
    r = reason(f.fit(student(allowance_needed=0.0), placement(monthly_allowance=0.0)), "allowance")
    assert r.points == r.weight


# --------------------------------------------------------------------------------------------
# Programme, level and duo (W21)


def test_duo_placement_gives_the_mbo_student_the_practical_seat(english):
    duo = placement(
        is_duo=True,
        levels=frozenset({2, 5}),
        approved_programme_ids=frozenset({KOK, COMMUNICATIE}),
    )
    r = reason(f.fit(student(), duo), f.DUO)
    assert r.points == r.weight and r.good
    assert r.text.startswith("A duo placement: you take the MBO seat")


def test_duo_placement_gives_the_hbo_student_the_strategic_seat(english):
    duo = placement(
        is_duo=True,
        levels=frozenset({2, 5}),
        approved_programme_ids=frozenset({KOK, COMMUNICATIE}),
    )
    hbo = student(kind="hbo", level=5, programme_id=COMMUNICATIE, programme_name="Communicatie")
    r = reason(f.fit(hbo, duo), f.DUO)
    assert r.good
    assert r.text.startswith("A duo placement: you take the HBO seat")
    business = reason(f.fit(hbo, duo, audience="business"), f.DUO)
    assert business.text == "Would take the HBO seat of your duo placement (W21)."


def test_placements_that_are_not_duo_do_not_count_the_duo_weight():
    assert f.DUO not in {r.code for r in f.fit(student(), placement()).reasons}


def test_graduation_research_fits_less_before_the_third_study_year(english):
    hbo = dict(kind="hbo", level=5, programme_id=COMMUNICATIE, programme_name="Communicatie")
    p = placement(
        kind="hbo_graduation",
        levels=frozenset({5}),
        approved_programme_ids=frozenset({COMMUNICATIE}),
    )
    early = reason(f.fit(student(year=2, **hbo), p), f.PROGRAMME_LEVEL)
    final = reason(f.fit(student(year=4, **hbo), p), f.PROGRAMME_LEVEL)
    assert early.points < final.points == final.weight
    assert early.text == (
        "This is graduation research, usually from study year 3; you are in year 2."
    )


# --------------------------------------------------------------------------------------------
# The weights file


def valid_weights() -> dict:
    return json.loads(f.WEIGHTS_FILE.read_text(encoding="utf-8"))


def test_the_shipped_weights_file_is_valid_and_documents_every_component():
    data = valid_weights()
    weights = f.parse_weights(data)
    assert set(weights.components) == set(f.COMPONENTS)
    assert all(spec["why"] for spec in data["components"].values())


def test_the_weights_are_read_once_and_cached():
    f.load_weights.cache_clear()
    first = f.load_weights()
    assert f.load_weights() is first
    assert f.load_weights.cache_info().hits >= 1


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["components"].update(distanse={"weight": 3}), "components.distanse"),
        (lambda d: d["components"]["hours"].update(weight=-1), "components.hours.weight"),
        (lambda d: d["components"]["hours"].update(weight="ten"), "components.hours.weight"),
        (lambda d: d["components"]["hours"].update(wieght=3), "components.hours.wieght"),
        (lambda d: d["components"].pop("allowance"), "components.allowance"),
        (lambda d: d["settings"].update(unknown_fraction=1.5), "settings.unknown_fraction"),
        (lambda d: d["settings"].update(speed=3), "settings.speed"),
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d["settings"].update(start_late_after_days=10), "start_late_after_days"),
    ],
)
def test_a_bad_weights_file_is_refused_with_the_key_it_is_about(change, named):
    data = valid_weights()
    change(data)
    with pytest.raises(f.FitWeightsError, match=named.replace(".", r"\.")):
        f.parse_weights(data, source="weights.json")


def test_weights_that_are_all_zero_are_refused():
    data = valid_weights()
    for spec in data["components"].values():
        spec["weight"] = 0
    with pytest.raises(f.FitWeightsError, match="at least one component"):
        f.parse_weights(data)


def test_a_weights_file_that_is_not_json_names_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(f.FitWeightsError, match=r"broken\.json"):
        f.load_weights(path)


def test_another_weights_file_changes_the_score(tmp_path):
    data = valid_weights()
    data["components"]["allowance"]["weight"] = 90
    path = tmp_path / "allowance.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    poor = placement(monthly_allowance=0.0)
    assert f.fit_score(student(), poor, weights=f.load_weights(path)) < f.fit_score(student(), poor)


# --------------------------------------------------------------------------------------------
# Properties


dates = st.dates(min_value=on(1, 1, -1), max_value=on(12, 31, 1))
wishes = st.lists(
    st.sampled_from(["koken", "social media", "programmeren", "klanten", "boekhouding", "zorg"]),
    max_size=4,
)


@st.composite
def pairs(draw):
    level = draw(st.integers(1, 5))
    s = student(
        kind="hbo" if level == 5 else "mbo",
        level=level,
        year=draw(st.integers(1, 4)),
        home=draw(st.none() | st.just(AMSTERDAM)),
        max_travel_km=draw(st.integers(1, 200)),
        hours_per_week=draw(st.none() | st.integers(4, 40)),
        available_from=draw(st.none() | dates),
        allowance_needed=draw(st.none() | st.floats(0, 3000)),
        activity_terms=f.student_terms(" en ".join(draw(wishes))),
    )
    p = placement(
        kind=draw(st.sampled_from(["mbo_bol", "mbo_bbl", "hbo_placement", "hbo_graduation"])),
        levels=frozenset(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))),
        approved_programme_ids=draw(st.sampled_from([frozenset({KOK}), frozenset({9})])),
        is_duo=draw(st.booleans()),
        hours_per_week=draw(st.integers(4, 40)),
        start_dates=tuple(sorted(draw(st.lists(dates, max_size=3)))),
        monthly_allowance=draw(st.floats(0, 3000)),
        location=draw(st.none() | st.just(north_of(draw(st.floats(0, 250))))),
    )
    return s, p


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_the_score_is_always_between_0_and_100_and_fit_agrees_with_fit_score(pair):
    s, p = pair
    result = f.fit(s, p)
    assert 0 <= result.score <= 100
    assert result.score == f.fit_score(s, p)
    assert result.eligible == (not f.gate(s, p))
    assert (result.score == 0) == (not result.eligible)  # 0 means "not eligible", nothing else
    assert all(0 <= r.points <= r.weight for r in result.reasons)


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 300), st.floats(0, 300), st.integers(1, 200))
def test_moving_the_placement_closer_never_lowers_the_distance_points(a, b, max_km):
    near, far = sorted((a, b))
    s = student(max_travel_km=max_km)
    closer = reason(f.fit(s, placement(location=north_of(near))), f.DISTANCE)
    further = reason(f.fit(s, placement(location=north_of(far))), f.DISTANCE)
    assert closer.points >= further.points
    w = f.load_weights()
    assert f.distance_fraction(near, max_km, w) >= f.distance_fraction(far, max_km, w)


@settings(max_examples=200, deadline=None)
@given(pairs(), st.sampled_from([c for c in f.COMPONENTS if c != f.DUO]))
def test_a_component_with_weight_zero_no_longer_changes_the_score(pair, code):
    s, p = pair
    w = f.load_weights().replace(components={code: 0})
    other_placement = placement(
        **{
            **{fld.name: getattr(p, fld.name) for fld in dataclasses.fields(p)},
            # vary exactly what this component reads
            "activity_keys": frozenset() if code == f.ACTIVITIES else p.activity_keys,
            "hours_per_week": 40 if code == f.HOURS else p.hours_per_week,
            "start_dates": () if code == f.START else p.start_dates,
            "monthly_allowance": 0.0 if code == f.ALLOWANCE else p.monthly_allowance,
            "location": north_of(150) if code == f.DISTANCE else p.location,
            "kind": "hbo_graduation" if code == f.PROGRAMME_LEVEL else p.kind,
        }
    )
    assert f.fit_score(s, p, weights=w) == f.fit_score(s, other_placement, weights=w)


@settings(max_examples=200, deadline=None)
@given(pairs(), st.floats(1, 100))
def test_more_weight_on_a_perfect_component_never_lowers_the_score(pair, extra):
    s, p = pair
    s = dataclasses.replace(s, allowance_needed=0.0)  # the allowance component is perfect
    base = f.load_weights()
    heavier = base.replace(components={f.ALLOWANCE: base.weight(f.ALLOWANCE) + extra})
    assert f.fit_score(s, p, weights=heavier) >= f.fit_score(s, p, weights=base)


@settings(max_examples=200, deadline=None)
@given(pairs(), st.floats(1, 100))
def test_more_weight_on_a_failing_component_never_raises_the_score(pair, extra):
    s, p = pair
    s = dataclasses.replace(s, allowance_needed=500.0)
    p = dataclasses.replace(p, monthly_allowance=0.0)  # the allowance component earns nothing
    base = f.load_weights()
    heavier = base.replace(components={f.ALLOWANCE: base.weight(f.ALLOWANCE) + extra})
    assert f.fit_score(s, p, weights=heavier) <= f.fit_score(s, p, weights=base)


def test_the_score_is_the_weighted_share_of_the_points():
    s = student(allowance_needed=400.0)
    result = f.fit(s, placement(monthly_allowance=200.0))
    earned = sum(r.points for r in result.reasons)
    total = sum(r.weight for r in result.reasons)
    assert result.score == math.floor(100 * earned / total + 0.5)


# --------------------------------------------------------------------------------------------
# Facts from the database, in bulk


@pytest.mark.django_db
def test_student_facts_read_programmes_and_postcodes_in_bulk(personas, django_assert_num_queries):
    from stagebrug.applications.models import StudentProfile
    from stagebrug.registry.models import Postcode
    from tests.factories import UserFactory
    from tests.placements.factories import communicatie_programme, kok_programme

    programmes = [kok_programme(), communicatie_programme()]
    homes = list(Postcode.objects.filter(code__in=["1012", "1094", "2011"]))
    for i in range(6):
        StudentProfile.objects.create(
            user=UserFactory(),
            programme=programmes[i % 2],
            home_pc4=homes[i % 3],
            wanted_activities="koken",
        )
    profiles = list(StudentProfile.objects.order_by("pk"))
    with django_assert_num_queries(2):
        facts = f.student_facts(profiles)
    assert [x.programme_id for x in facts] == [p.programme_id for p in profiles]
    assert {x.kind for x in facts} == {"mbo", "hbo"}
    assert all(x.home is not None for x in facts)
    joined = list(StudentProfile.objects.select_related("programme", "home_pc4").order_by("pk"))
    with django_assert_num_queries(0):
        f.student_facts(joined)


@pytest.mark.django_db
def test_placement_fit_facts_read_the_approved_programmes_in_one_query(
    personas, django_assert_num_queries
):
    from stagebrug.placements.models import Placement, ProgrammeDecision
    from tests.placements import search_factories as sf

    kok = sf.kok()
    approved = sf.published(programmes=[kok])
    pending = sf.published(programmes=[kok], decision=ProgrammeDecision.PENDING)
    placements = list(Placement.objects.filter(pk__in=[approved.pk, pending.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        facts = f.placement_fit_facts(placements)
    assert facts[0].approved_programme_ids == {kok.pk}
    assert facts[1].approved_programme_ids == frozenset()
    assert facts[0].location is not None and "=koken" in facts[0].activity_keys


_PHRASE_STEMS = sorted({stem for phrase in textlib.synonyms().phrases for stem in phrase})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*_PHRASE_STEMS[:400], "klant", "werk", "help", "zzz"]), max_size=14)
)
def test_the_fast_phrase_scan_finds_the_same_concepts_as_the_routing_synonyms(stems):
    matches = textlib.apply_synonyms(stems)
    expected, i = set(), 0
    while i < len(stems):
        if matches[i]:
            span, *concepts = matches[i]
            expected.update(textlib.CONCEPT_PREFIX + c for c in concepts)
            i += int(span)
        else:
            if stems[i] not in terms._noise_stems() and len(stems[i]) > 1:
                expected.add(stems[i])
            i += 1
    assert {k for k, _label in terms._terms_from_stems([(s, s) for s in stems])} == expected
    assert terms._keys_of_search_text.__wrapped__(" ".join(stems)) == expected
