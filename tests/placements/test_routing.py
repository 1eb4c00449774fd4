import time

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagebrug.placements import routing
from stagebrug.placements.routing import KeywordBaseline, ProgrammeProfile, Router
from stagebrug.registry.models import Programme

MARKETING = {
    "title": "Stagiair marketing en socials",
    "description": "Je helpt onze kapsalon zichtbaar te worden. Je bedenkt acties en campagnes.",
    "activities": ["social media posts maken", "nieuwsbrief versturen", "foto's maken"],
}
ACTIVITY_WORDS = [
    "social media posts maken",
    "gasten bedienen",
    "boekhouding bijwerken in Exact",
    "mise-en-place",
    "storingen verhelpen",
    "zorg voor bewoners",
    "jongerenwerk",
    "klanten helpen aan de kassa",
    "webshop bijhouden",
    "orders picken",
    "lessen geven",
    "",
]
property_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def profiles(django_db_setup, django_db_blocker) -> list[ProgrammeProfile]:
    with django_db_blocker.unblock():
        return routing.profiles_from_db("loaded")


@pytest.fixture(scope="module")
def router(profiles) -> Router:
    return Router(profiles)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def keys(suggestions) -> list[str]:
    return [s.key for s in suggestions]


# --- what a business sees ---


def test_a_marketing_placement_routes_to_marketing_programmes_in_the_top_3(router, english):
    suggestions = router.route(**MARKETING)
    assert {"crebo:25148", "croho:34405"} <= set(keys(suggestions[:3]))
    first = suggestions[0]
    assert 'Activity "social media posts maken" matches social media' in first.reasons
    assert "social media" in first.matched_terms


def test_words_outside_the_activities_are_quoted_as_the_business_wrote_them(router, english):
    suggestion = router.route(**MARKETING)[0]
    assert any('"campagnes"' in reason for reason in suggestion.reasons)


def test_a_programme_offered_by_several_schools_is_suggested_once_with_all_its_rows(router):
    (marketing,) = [s for s in router.route(**MARKETING) if s.key == "crebo:25148"]
    assert len(marketing.programme_ids) == 2
    assert (marketing.name, marketing.kind, marketing.level_label) == (
        "Medewerker marketing en communicatie",
        "mbo",
        "MBO 4",
    )


@pytest.mark.parametrize("kind", ["mbo", "hbo"])
def test_the_kind_filter_keeps_only_programmes_of_that_kind(router, kind):
    suggestions = router.route(**MARKETING, kind=kind, limit=10)
    assert suggestions
    assert {s.kind for s in suggestions} == {kind}


def test_a_kitchen_placement_has_no_hbo_programme(router):
    assert router.route(title="Stage in de keuken", activities=["mise-en-place"], kind="hbo") == []


def test_an_unknown_kind_is_refused(router):
    with pytest.raises(ValueError, match="kind"):
        router.route(title="Stage", kind="wo")


@pytest.mark.parametrize(
    "placement",
    [
        {"title": ""},
        {"title": "   ", "description": "", "activities": ["", "  "]},
        {
            "title": "Stage",
            "description": "Wij zoeken een leuke stagiair.",
            "activities": ["helpen"],
        },
    ],
)
def test_a_text_without_programme_words_gives_no_suggestions(router, placement):
    assert router.route(**placement) == []


def test_the_limit_caps_the_number_of_suggestions(router):
    assert len(router.route(**MARKETING, limit=2)) == 2
    assert router.route(**MARKETING, limit=0) == []


def test_a_long_activity_is_shortened_in_the_reason(router, english):
    activity = "social media posts maken " + "en nog heel veel andere dingen doen " * 5
    (reason, *_rest) = router.route(title="Stage", activities=[activity])[0].reasons
    assert reason.endswith('…" matches social media')


def test_routing_one_text_takes_well_under_10_ms(router):
    router.route(**MARKETING)  # warm
    started = time.perf_counter()
    for _ in range(20):
        router.route(**MARKETING)
    assert (time.perf_counter() - started) / 20 < 0.010


# --- properties ---


@property_settings
@given(
    st.sampled_from(ACTIVITY_WORDS),
    st.lists(st.sampled_from(ACTIVITY_WORDS), max_size=5),
    st.sampled_from([None, "mbo", "hbo"]),
)
def test_scores_are_between_0_and_1_and_sorted_best_first(router, title, activities, kind):
    scores = [s.score for s in router.route(title=title, activities=activities, kind=kind)]
    assert all(0 < score < 1 for score in scores)
    assert scores == sorted(scores, reverse=True)


@property_settings
@given(st.lists(st.sampled_from(ACTIVITY_WORDS), max_size=6), st.randoms())
def test_routing_is_deterministic_and_ignores_the_order_of_activities(router, activities, rnd):
    shuffled = list(activities)
    rnd.shuffle(shuffled)
    a = router.route(title="Stage", activities=activities)
    b = router.route(title="Stage", activities=shuffled)
    assert a == b
    assert a == router.route(title="Stage", activities=activities)


@property_settings
@given(st.lists(st.sampled_from(ACTIVITY_WORDS), max_size=6))
def test_routing_ignores_case(router, activities):
    lower = router.route(title="stage marketing", activities=activities)
    upper = router.route(title="STAGE Marketing", activities=[a.upper() for a in activities])
    assert [(s.key, s.score) for s in lower] == [(s.key, s.score) for s in upper]


# --- plain profiles, the baseline, profiles from the database ---


def plain_profiles() -> list[ProgrammeProfile]:
    return [
        ProgrammeProfile(
            key="crebo:25180",
            name="Kok",
            kind="mbo",
            level_label="MBO 2",
            texts={"name": "Kok", "summary": "Gerechten bereiden in de keuken."},
            programme_ids=(1,),
        ),
        ProgrammeProfile(
            key="croho:39205",
            name="HBO-Rechten",
            kind="hbo",
            level_label="HBO bachelor",
            texts={"name": "HBO-Rechten", "summary": "Juridisch advies en contracten."},
            programme_ids=(2, 3),
        ),
    ]


def test_a_router_works_on_plain_profiles_without_a_database():
    suggestions = Router(plain_profiles()).route(title="Gerechten bereiden voor het diner")
    assert keys(suggestions) == ["crebo:25180"]  # gerechten is not rechten


def test_the_baseline_only_counts_words_of_the_programme_name():
    baseline = KeywordBaseline(plain_profiles())
    assert keys(baseline.route(title="Stage voor een kok")) == ["crebo:25180"]
    assert baseline.route(title="Gerechten bereiden in de keuken") == []


def test_profiles_are_grouped_by_programme_key(profiles):
    by_key = {p.key: p for p in profiles}
    assert len(by_key) == len(profiles) == 68
    assert "name:hbo-ict" in by_key
    assert by_key["croho:34405"].level_label == "HBO bachelor"
    assert len(by_key["croho:34405"].programme_ids) == 2  # HvA and Inholland
    assert "Marketing en communicatie" in by_key["crebo:25148"].texts["summary"]
    assert "social media" in by_key["crebo:25148"].texts["terms"]


def test_every_curated_terms_key_is_a_programme(profiles):
    assert routing.unknown_term_keys(profiles, routing.PROGRAMME_TERMS_FILE) == []


def test_inactive_programmes_are_not_offered(reference_data):
    Programme.objects.filter(qualification_id="25148").update(is_active=False)
    assert "crebo:25148" not in {p.key for p in routing.profiles_from_db("loaded")}
    # The whole register still knows the qualification, now without a school to choose.
    register = {p.key: p for p in routing.profiles_from_db("register")}
    assert register["crebo:25148"].programme_ids == ()


def test_the_router_is_cached_until_a_programme_changes(reference_data):
    routing.reset_router_cache()
    first = routing.get_router()
    assert routing.get_router() is first
    programme = Programme.objects.filter(qualification_id="25148").first()
    programme.summary += " Ook: podcasts maken."
    programme.save()
    rebuilt = routing.get_router()
    assert rebuilt is not first
    assert routing.get_router() is rebuilt


def test_resetting_the_cache_builds_a_new_router(reference_data):
    first = routing.get_router()
    routing.reset_router_cache()
    assert routing.get_router() is not first


# --- the evaluation set ---


def test_the_evaluation_set_has_at_least_70_labelled_texts_of_known_programmes(profiles):
    items = routing.load_evaluation_set(known_keys={p.key for p in profiles})
    assert len(items) >= 70
    assert all(3 <= len(item.activities) <= 6 for item in items)


@pytest.mark.parametrize(
    "path", [routing.EVALUATION_FILE, routing.EVALUATION_FILE.with_name("evaluation_blind.jsonl")]
)
def test_routing_is_accurate_and_well_above_the_keyword_baseline(profiles, router, path):
    """Fails when someone breaks routing: the evaluation set is the contract (W15)."""
    items = routing.load_evaluation_set(path, known_keys={p.key for p in profiles})
    result = routing.evaluate(router, items, name="router")
    baseline = routing.evaluate(KeywordBaseline(profiles), items, name="baseline")
    assert result.top3 >= 0.85
    assert result.top1 >= 0.75
    assert result.top3 - baseline.top3 >= 0.20
    assert result.top1 - baseline.top1 >= 0.20


def test_the_halves_of_the_evaluation_set_split_it_in_two():
    items = routing.load_evaluation_set()
    first, second = routing.split_items(items, "first"), routing.split_items(items, "second")
    assert first + second == routing.split_items(items, "all") == items
    assert len(first) - len(second) in (0, 1)
