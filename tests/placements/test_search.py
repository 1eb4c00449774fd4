import itertools
import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagebrug.core.geo import KM_PER_DEGREE
from stagebrug.core.text import index_terms
from stagebrug.demo.companies import generate_companies
from stagebrug.demo.placements import generate_placements
from stagebrug.placements.models import Kind, Placement, ProgrammeDecision, Status
from stagebrug.placements.search import (
    SearchParams,
    build_search_text,
    ensure_search_schema,
    params,
    placement_search,
    query,
    search_index_rebuild,
    search_text_refresh,
)
from stagebrug.placements.selectors import approved_targets
from tests.dates import YEAR, iso, on
from tests.placements import search_factories as f

pytestmark = pytest.mark.django_db

on_postgres = connection.vendor == "postgresql"


def ids(result) -> list[int]:
    return [p.pk for p in result.items]


def found(**params) -> list[int]:
    return ids(placement_search(SearchParams(**params)))


# --------------------------------------------------------------------------------------------
# Text


def test_search_text_is_dutch_stems_in_three_lines_title_activities_rest():
    placement = f.published(
        title="Stage kok in de keuken",
        activities=["Maaltijden bereiden", "Gasten helpen met allergenen"],
        description="Een café met verse gerechten.",
        programmes=[f.kok()],
    )
    title, activities, rest = placement.search_text.split("\n")
    assert title == "stage kok keuk"  # "in", "de": stop words
    assert activities.split() == index_terms("Maaltijden bereiden Gasten helpen met allergenen")
    assert "maaltijd" in activities and "gast" in activities
    assert "cafe" in rest.split() and "gerecht" in rest.split()  # accents folded
    assert "kok" in rest.split()  # the approved programme's name
    assert "amsterdam" in rest.split()  # the place
    assert "de" not in rest.split() and "met" not in rest.split()  # stop words


def test_search_text_leaves_out_programmes_the_school_did_not_approve():
    placement = f.published(programmes=[f.communicatie()], decision=ProgrammeDecision.REJECTED)
    assert "communicatie" not in build_search_text(placement)


def test_plural_finds_singular_and_back():
    klanten = f.published(title="Stage winkel", activities=["Klanten adviseren over kleding"])
    assert found(q="klant") == [klanten.pk]
    assert found(q="klanten") == [klanten.pk]
    assert found(q="Klanten") == [klanten.pk]


def test_what_the_snowball_stemmer_joins_and_what_it_keeps_apart():
    koken = f.published(title="Stage keuken", activities=["Zelf koken voor 40 gasten"])
    advisering = f.published(title="Stage verkoop", activities=["Advisering van klanten"])
    assert found(q="kookt") == [koken.pk]  # koken, kookt → kook
    assert found(q="adviseren") == [advisering.pk]  # advisering, adviseren → adviser
    # advies → advie: Snowball keeps it apart; only the typo correction finds adviser.
    advies = placement_search(SearchParams(q="advies"))
    assert ids(advies) == [advisering.pk] and advies.typo_corrected


def test_an_activity_word_finds_the_placement():
    sauzen = f.published(title="Stage keuken", activities=["Sauzen en soepen maken"])
    f.published(title="Stage bediening", activities=["Gasten ontvangen"])
    assert found(q="saus") == [sauzen.pk]


def test_words_from_description_company_and_place_are_found():
    host = f.company(name="Brasserie Zeezicht", postcode="1501")
    placement = f.published(host=host, description="Wij werken met vis van de Noordzee.")
    assert found(q="noordzee") == [placement.pk]
    assert found(q="zeezicht") == [placement.pk]
    assert found(q="zaandam") == [placement.pk]


def test_every_word_must_match_and_the_last_also_as_a_prefix():
    service = f.published(title="Stage klantenservice", activities=["Telefoon opnemen"])
    f.published(title="Stage winkel", activities=["Klanten helpen"])
    assert found(q="klantenservice telefoon") == [service.pk]
    assert found(q="telefoon klant") == [service.pk]  # "klant" prefixes "klantenservice"
    assert found(q="telefoon kassa") == []


def test_a_title_match_ranks_above_a_description_match():
    in_title = f.published(title="Stage keuken", description="Een klein team.")
    in_description = f.published(title="Stage bediening", description="Soms help je in de keuken.")
    assert in_description.published_at > in_title.published_at  # newest would come first
    assert found(q="keuken") == [in_title.pk, in_description.pk]


def test_only_stop_words_is_the_same_as_no_words():
    placement = f.published()
    result = placement_search(SearchParams(q="de en het"))
    assert ids(result) == [placement.pk] and not result.typo_corrected


def test_a_typo_is_corrected_and_said_so():
    service = f.published(title="Stage klantenservice", activities=["Telefoon opnemen"])
    result = placement_search(SearchParams(q="klantenservise"))
    assert ids(result) == [service.pk]
    assert result.typo_corrected
    assert not placement_search(SearchParams(q="klantenservice")).typo_corrected


def test_gibberish_finds_nothing_and_claims_no_correction():
    f.published()
    result = placement_search(SearchParams(q="xqzwv"))
    assert result.items == [] and result.count == 0 and not result.typo_corrected


# --------------------------------------------------------------------------------------------
# Filters


def test_programme_filter_counts_only_approved_targets():
    approved = f.published(programmes=[f.kok()])
    f.published(programmes=[f.kok()], decision=ProgrammeDecision.REJECTED)
    f.published(programmes=[f.kok()], decision=ProgrammeDecision.PENDING)
    f.published(programmes=[f.marketing_mbo()])
    assert found(programme=f.kok().pk) == [approved.pk]


@pytest.mark.parametrize(
    ("field", "value", "match", "other"),
    [
        ("level", 2, {"levels": [1, 2]}, {"levels": [3, 4]}),
        ("level", 5, {"levels": [4, 5]}, {"levels": [4]}),
        ("kind", Kind.MBO_BBL, {"kind": Kind.MBO_BBL}, {"kind": Kind.MBO_BOL}),
        ("side_job", True, {"side_job": True}, {"side_job": False}),
        ("side_job", False, {"side_job": False}, {"side_job": True}),
        ("duo", True, {"is_duo": True}, {"is_duo": False}),
        ("hours_min", 32, {"hours": 32}, {"hours": 24}),
        ("hours_max", 24, {"hours": 24}, {"hours": 32}),
    ],
)
def test_each_filter_narrows_the_results(field, value, match, other):
    wanted = f.published(**match)
    f.published(**other)
    assert found(**{field: value}) == [wanted.pk]


def test_municipality_by_name_or_by_code():
    zaandam = f.published(postcode="1501")
    f.published(postcode="1012")
    assert found(municipality="Zaanstad") == [zaandam.pk]
    assert found(municipality="zaanstad") == [zaandam.pk]
    assert found(municipality=zaandam.municipality_id) == [zaandam.pk]


def test_minimum_allowance_compares_per_month_also_for_hourly_pay():
    monthly = f.published(allowance=300)
    hourly = f.published(allowance=Decimal("2.50"), unit="hour", hours=32)  # ≈ €346/month
    f.published(allowance=0)
    assert set(found(min_allowance=Decimal(300))) == {monthly.pk, hourly.pk}
    assert found(min_allowance=Decimal(340)) == [hourly.pk]
    assert len(found(min_allowance=Decimal(0))) == 3


def test_start_range_needs_one_start_date_inside_it():
    feb_sep = f.published(start_dates=[iso(2, 1), iso(9, 1)])
    april = f.published(start_dates=[iso(4, 12)])
    assert set(found(start_from=on(3, 1))) == {feb_sep.pk, april.pk}
    assert found(start_until=on(2, 28)) == [feb_sep.pk]
    # The span February–September covers May, but neither of its dates falls in May.
    assert found(start_from=on(5, 1), start_until=on(5, 31)) == []
    assert found(start_from=on(4, 1), start_until=on(4, 30)) == [april.pk]


def test_filters_combine_with_words():
    wanted = f.published(title="Stage kok", levels=[2], side_job=True, postcode="1501")
    f.published(title="Stage kok", levels=[2], side_job=False, postcode="1501")
    f.published(
        title="Stage bediening",
        levels=[2],
        side_job=True,
        postcode="1501",
        programmes=[f.marketing_mbo()],
    )
    assert found(q="kok", level=2, side_job=True, municipality="Zaanstad") == [wanted.pk]


# --------------------------------------------------------------------------------------------
# Distance and order


def test_distance_filter_and_nearest_first_from_a_postcode():
    amsterdam = f.published(postcode="1012")
    zaandam = f.published(postcode="1501")  # about 9 km
    haarlem = f.published(postcode="2011")  # about 18 km
    groningen = f.published(postcode="9711")  # about 145 km
    result = placement_search(SearchParams(postcode="1012 AB", max_km=12, sort="distance"))
    assert ids(result) == [amsterdam.pk, zaandam.pk]
    assert result.distances_km[amsterdam.pk] == 0.0
    assert 7 < result.distances_km[zaandam.pk] < 12
    assert result.items[1].distance_km == result.distances_km[zaandam.pk]
    everything = placement_search(SearchParams(postcode="1012", sort="distance"))
    assert ids(everything) == [amsterdam.pk, zaandam.pk, haarlem.pk, groningen.pk]
    assert 130 < everything.distances_km[groningen.pk] < 160


def test_distance_sort_pages_through_ties_at_one_postcode_without_gaps():
    same_place = [f.published(postcode="1012") for _ in range(5)]
    farther = f.published(postcode="1501")
    seen = []
    for page in (1, 2, 3):
        seen += found(postcode="1012", sort="distance", page=page, page_size=2)
    assert seen == [p.pk for p in reversed(same_place)] + [farther.pk]  # ties: newest first


def test_newest_first_and_highest_allowance_first():
    older = f.published(allowance=500)
    newer = f.published(allowance=100)
    unpaid = f.published(allowance=0)
    assert found(sort="newest") == [unpaid.pk, newer.pk, older.pk]
    assert found(sort="allowance") == [older.pk, newer.pk, unpaid.pk]
    assert found() == [unpaid.pk, newer.pk, older.pk]  # no words: relevance is newest


def test_pages_know_their_neighbours_and_the_count():
    made = [f.published() for _ in range(5)]
    first = placement_search(SearchParams(page_size=2))
    last = placement_search(SearchParams(page=3, page_size=2))
    beyond = placement_search(SearchParams(page=9, page_size=2))
    assert (first.count, first.pages, first.has_next, first.has_previous) == (5, 3, True, False)
    assert (last.count, last.has_next, last.has_previous) == (5, False, True)
    assert ids(last) == [made[0].pk] and (last.start_index, last.end_index) == (5, 5)
    assert beyond.items == [] and beyond.count == 5


def test_counts_stop_at_the_cap_and_relevance_pages_continue_past_the_window(monkeypatch):
    monkeypatch.setattr(query, "RANK_WINDOW", 3)
    monkeypatch.setattr(query, "COUNT_CAP", 3)
    made = [f.published(title="Stage kok") for _ in range(7)]
    pages = [placement_search(SearchParams(q="kok", page=n, page_size=2)) for n in (1, 2, 3, 4)]
    assert pages[0].count == 3 and not pages[0].count_exact and pages[0].has_next
    assert pages[-1].count == 7 and pages[-1].count_exact and not pages[-1].has_next
    seen = [pk for page in pages for pk in ids(page)]
    assert sorted(seen) == sorted(p.pk for p in made) and len(seen) == 7


# --------------------------------------------------------------------------------------------
# What never appears


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.FILLED, Status.CLOSED])
def test_placements_that_are_not_published_never_appear(status):
    f.published(title="Stage kok", status=status)
    assert found() == [] and found(q="kok") == []


def test_unpublishing_editing_and_deleting_reach_the_index_at_once():
    placement = f.published(title="Stage kok", programmes=[f.communicatie()])
    placement.title = "Stage barista"
    placement.search_text = build_search_text(placement)
    placement.save()
    assert found(q="barista") == [placement.pk] and found(q="kok") == []
    Placement.objects.filter(pk=placement.pk).update(status=Status.CLOSED)
    assert found(q="barista") == []
    Placement.objects.filter(pk=placement.pk).update(status=Status.PUBLISHED)
    assert found(q="barista") == [placement.pk]
    Placement.objects.filter(pk=placement.pk).delete()
    assert found() == []


def test_ensure_search_schema_restores_dropped_triggers_and_the_index():
    assert ensure_search_schema() is False
    with connection.cursor() as cursor:
        if on_postgres:
            cursor.execute("DROP TRIGGER placements_search_sync ON placements_placement")
        else:
            cursor.execute("DROP TRIGGER placements_search_insert")
            cursor.execute("DROP TRIGGER placements_search_update")
    missed = f.published(title="Stage barista")  # made while the triggers were gone
    assert found(q="barista") == []
    assert ensure_search_schema() is True
    assert found(q="barista") == [missed.pk]
    later = f.published(title="Stage barista")
    assert found(q="barista") == [later.pk, missed.pk]


def test_search_index_rebuild_and_refresh_keep_results():
    placement = f.published(title="Stage kok")
    assert search_index_rebuild() == 1
    assert found(q="kok") == [placement.pk]
    Placement.objects.filter(pk=placement.pk).update(search_text="")
    assert found(q="kok") == []
    assert search_text_refresh() == 1
    assert found(q="kok") == [placement.pk]


# --------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"min_allowance": Decimal(-1)}, "min_allowance", params.NOT_NEGATIVE),
        ({"hours_min": -4}, "hours_min", params.NOT_NEGATIVE),
        ({"hours_min": 32, "hours_max": 24}, "hours_max", params.HOURS_MIN_ABOVE_MAX),
        ({"sort": "distance"}, "postcode", params.POSTCODE_NEEDED_FOR_DISTANCE),
        ({"max_km": 10}, "postcode", params.POSTCODE_NEEDED_FOR_DISTANCE),
        ({"postcode": "0999"}, "postcode", params.POSTCODE_INVALID),
        ({"postcode": "abcd"}, "postcode", params.POSTCODE_INVALID),
        ({"postcode": "1012", "max_km": 0}, "max_km", params.DISTANCE_OUT_OF_RANGE),
        ({"postcode": "1012", "max_km": -5}, "max_km", params.DISTANCE_OUT_OF_RANGE),
        ({"sort": "cheapest"}, "sort", params.SORT_UNKNOWN),
        ({"kind": "summer_job"}, "kind", params.KIND_UNKNOWN),
        ({"level": 6}, "level", params.LEVEL_INVALID),
        ({"municipality": "Atlantis"}, "municipality", params.MUNICIPALITY_UNKNOWN),
        ({"programme": 999_999}, "programme", params.PROGRAMME_UNKNOWN),
        ({"page": 0}, "page", params.PAGE_INVALID),
        ({"page_size": 500}, "page_size", params.PAGE_SIZE_INVALID),
        ({"q": "kok " * 60}, "q", params.QUERY_TOO_LONG),
        (
            {"start_from": on(9, 1), "start_until": on(2, 1)},
            "start_until",
            params.START_RANGE_ORDER,
        ),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(params, field, message):
    with pytest.raises(ValidationError) as caught:
        placement_search(SearchParams(**params))
    errors = caught.value.error_dict
    assert list(errors) == [field]
    assert errors[field][0].message == message


def test_a_postcode_without_a_known_area_is_refused():
    with pytest.raises(ValidationError) as caught:
        placement_search(SearchParams(postcode="1000"))  # post office boxes, no area
    assert caught.value.error_dict["postcode"][0].message == params.POSTCODE_UNKNOWN


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        placement_search(SearchParams(level=9, sort="distance", min_allowance=Decimal(-5)))
    assert set(caught.value.error_dict) == {"level", "postcode", "min_allowance"}


# --------------------------------------------------------------------------------------------
# Cost


@pytest.mark.parametrize("size", [2, 30])
def test_the_query_count_does_not_grow_with_the_results(size, django_assert_max_num_queries):
    for _ in range(size):
        f.published(title="Stage kok", programmes=[f.kok(), f.marketing_mbo()])
    params = SearchParams(
        q="kok", postcode="1012", max_km=25, municipality="Amsterdam", programme=f.kok().pk
    )
    # postcode, municipality, programme; term ids (PostgreSQL); ranked page; rows; targets
    with django_assert_max_num_queries(7):
        result = placement_search(params)
    assert len(result.items) == min(size, 20)
    with django_assert_max_num_queries(3):  # the page's rows carry what the page shows
        for item in result.items:
            assert item.company.name and item.location.city and item.municipality.name
            assert [t.programme.name for t in item.approved_targets]
            assert item.activities


# --------------------------------------------------------------------------------------------
# Demo data


def test_demo_placements_are_published_searchable_and_consistent():
    generate_companies(count=12, seed=5)
    assert generate_placements(count=40, seed=6) == 40
    placements = Placement.objects.select_related("company", "location__pc4", "municipality")
    assert placements.count() == 40
    for placement in placements.prefetch_related(approved_targets()):
        placement.full_clean(exclude=["created_by"])  # bulk rows have no author
        assert placement.status == Status.PUBLISHED and placement.approved_targets
        assert placement.search_text == build_search_text(placement)
        assert placement.monthly_allowance == placement.allowance_per_month()
        assert placement.earliest_start.isoformat() == min(placement.start_dates)
        assert placement.latitude == placement.location.pc4.latitude
        assert placement.municipality_id == placement.location.pc4.municipality_id
        # Next year's February and September periods: never in the past, whatever today is.
        assert {start[:7] for start in placement.start_dates} <= {
            f"{YEAR}-02",
            f"{YEAR}-08",
            f"{YEAR}-09",
        }
        if placement.is_duo:
            kinds = {t.programme.kind for t in placement.approved_targets}
            assert kinds == {"mbo", "hbo"}
    result = placement_search(SearchParams())
    assert result.count == 40
    word = index_terms(placements.first().title)[-1]
    assert placement_search(SearchParams(q=word)).count > 0


# --------------------------------------------------------------------------------------------
# Properties


WORDS = ["", "kok", "keuken", "klant", "klanten", "social media", "saus", "marketing", "gast"]
TITLES = ["Stage kok", "Stage keuken", "Stage social media", "Stage marketing", "Stage winkel"]
ACTIVITIES = [
    "Klanten helpen in de winkel",
    "Sauzen maken",
    "Berichten maken voor social media",
    "Gasten ontvangen",
    "Gerechten bereiden",
]
POSTCODES = ["1012", "1501", "2011", "1101"]


def _matches(placement: Placement, p: SearchParams, targets: dict[int, set[int]]) -> bool:
    """The filters, written again in Python from the placement's own fields."""
    terms = list(dict.fromkeys(index_terms(p.q)))
    if terms:
        tokens = placement.search_text.split()
        last = terms[-1]
        if not all(t in tokens for t in terms[:-1]):
            return False
        if len(last) >= query.PREFIX_MIN:
            if not any(t.startswith(last) for t in tokens):
                return False
        elif last not in tokens:
            return False
    dates = placement.start_date_objects
    checks = [
        p.programme is None or p.programme in targets[placement.pk],
        bool(targets[placement.pk]),  # offered to at least one programme (W3: not all paused)
        p.level is None or p.level in placement.levels,
        p.kind is None or placement.kind == p.kind,
        p.min_allowance is None or placement.monthly_allowance >= p.min_allowance,
        p.hours_min is None or placement.hours_per_week >= p.hours_min,
        p.hours_max is None or placement.hours_per_week <= p.hours_max,
        p.start_from is None or any(d >= p.start_from for d in dates),
        p.start_until is None or any(d <= p.start_until for d in dates),
        p.start_from is None
        or p.start_until is None
        or any(p.start_from <= d <= p.start_until for d in dates),
        p.side_job is None or placement.side_job == p.side_job,
        p.duo is None or placement.is_duo == p.duo,
    ]
    if p.max_km is not None:
        origin = _origin(p.postcode)
        lat0, lon0 = origin
        dlat = p.max_km / KM_PER_DEGREE
        dlon = dlat / math.cos(math.radians(lat0))
        lat, lon = placement.latitude, placement.longitude
        k = math.cos(math.radians(lat0))
        checks.append(
            lat0 - dlat <= lat <= lat0 + dlat
            and lon0 - dlon <= lon <= lon0 + dlon
            and ((lat - lat0) * (lat - lat0) + (lon - lon0) * (lon - lon0) * (k * k)) <= dlat * dlat
        )
    return all(checks)


def _origin(postcode: str) -> tuple[float, float]:
    from stagebrug.registry.models import Postcode

    area = Postcode.objects.get(code=postcode[:4])
    return area.latitude, area.longitude


params_strategy = st.builds(
    SearchParams,
    q=st.sampled_from(WORDS),
    programme=st.none(),
    level=st.none() | st.integers(1, 5),
    kind=st.none() | st.sampled_from([Kind.MBO_BOL, Kind.MBO_BBL, Kind.HBO_PLACEMENT]),
    postcode=st.sampled_from(POSTCODES),
    max_km=st.none() | st.sampled_from([2.0, 10.0, 20.0]),
    min_allowance=st.none() | st.sampled_from([Decimal(0), Decimal(150), Decimal(400)]),
    hours_min=st.none() | st.sampled_from([16, 32]),
    hours_max=st.none() | st.sampled_from([32, 40]),
    start_from=st.none() | st.sampled_from([on(1, 1), on(6, 1)]),
    start_until=st.none() | st.sampled_from([on(3, 1), on(12, 31)]),
    side_job=st.none() | st.booleans(),
    duo=st.none() | st.booleans(),
    sort=st.sampled_from(["relevance", "newest", "allowance", "distance"]),
    page_size=st.integers(1, 6),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_paging_through_all_results_gives_exactly_the_matching_placements(data):
    placements = _property_placements()
    programme = data.draw(st.none() | st.sampled_from([f.kok().pk, f.communicatie().pk]))
    params = data.draw(params_strategy)
    params.programme = programme
    if params.hours_min and params.hours_max and params.hours_min > params.hours_max:
        params.hours_max = None
    if params.start_from and params.start_until and params.start_from > params.start_until:
        params.start_until = None
    targets = {
        pl.pk: {t.programme_id for t in pl.targets.all() if t.decision == "approved"}
        for pl in placements
    }
    expected = {pl.pk for pl in placements if _matches(pl, params, targets)}

    seen: list[int] = []
    first = placement_search(params)
    for page in range(1, first.pages + 1):
        params.page = page
        result = placement_search(params)
        assert result.count == first.count and result.count_exact
        seen += ids(result)
        by_pk = {pl.pk: pl for pl in placements}
        if params.sort == "newest":
            stamps = [by_pk[pk].published_at for pk in ids(result)]
            assert stamps == sorted(stamps, reverse=True)
        if params.sort == "allowance":
            amounts = [by_pk[pk].monthly_allowance for pk in ids(result)]
            assert amounts == sorted(amounts, reverse=True)
        if params.sort == "distance":
            km = [result.distances_km[pk] for pk in ids(result)]
            assert all(b >= a - 0.5 for a, b in itertools.pairwise(km))
    assert len(seen) == len(set(seen)), "a placement appeared on two pages"
    assert set(seen) == expected
    assert first.count == len(expected)


_PROPERTY_CACHE: dict[str, list[Placement]] = {}


def _property_placements() -> list[Placement]:
    """24 varied placements, made once per test (hypothesis examples share the transaction)."""
    key = f"{connection.vendor}:{id(connection.connection)}"
    if Placement.objects.exists() and key in _PROPERTY_CACHE:
        return _PROPERTY_CACHE[key]
    made = []
    hosts = {code: f.company(postcode=code) for code in POSTCODES}
    kinds = [Kind.MBO_BOL, Kind.MBO_BBL, Kind.HBO_PLACEMENT]
    for n in range(24):
        kind = kinds[n % 3]
        made.append(
            f.published(
                host=hosts[POSTCODES[n % 4]],
                title=TITLES[n % 5],
                activities=[ACTIVITIES[n % 5], ACTIVITIES[(n * 3 + 1) % 5]],
                kind=kind,
                levels=[5] if kind == Kind.HBO_PLACEMENT else [1 + n % 4, min(4, 2 + n % 4)],
                hours=[16, 24, 32, 40][n % 4],
                start_dates=[[iso(2, 1)], [iso(9, 1)], [iso(2, 1), iso(9, 1)]][n % 3],
                allowance=[0, 150, 300, 450, 600][n % 5],
                side_job=n % 2 == 0,
                is_duo=n % 7 == 0,
                programmes=[f.communicatie()] if kind == Kind.HBO_PLACEMENT else [f.kok()],
                decision=ProgrammeDecision.REJECTED if n % 6 == 5 else ProgrammeDecision.APPROVED,
                status=Status.DRAFT if n % 11 == 10 else Status.PUBLISHED,
            )
        )
    placements = list(Placement.objects.prefetch_related("targets").order_by("pk"))
    published = [pl for pl in placements if pl.status == Status.PUBLISHED]
    _PROPERTY_CACHE.clear()
    _PROPERTY_CACHE[key] = published
    return published
