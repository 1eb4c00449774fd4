"""A search or routing text that is only punctuation or markup finds nothing and says why;
it never answers with every placement."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stagebrug.core.text import has_letters, has_words
from stagebrug.placements import services
from stagebrug.placements.search import SearchParams, placement_search
from tests.placements.factories import make_placement

pytestmark = pytest.mark.django_db

WITHOUT_WORDS = [
    "!!!",
    "<b></b>",
    "%%%",
    "-- ;",
    "…",
    "<p> </p>",
    "&amp;&lt;",
]


@pytest.fixture
def on_offer(recognised):
    p = recognised
    placement = make_placement(p.company, p.owner)
    services.placement_submit(placement=placement, by=p.owner)
    services.placement_decide(target=placement.targets.get(), by=p.coordinator, approve=True)
    return placement


@pytest.mark.parametrize("q", WITHOUT_WORDS)
def test_the_search_service_refuses_a_text_without_words(on_offer, q):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        placement_search(SearchParams(q=q))
    assert "Zoek met woorden" in refused.value.message_dict["q"][0]


def test_words_in_markup_still_search(on_offer):
    assert placement_search(SearchParams(q="<p>groenten</p>")).items == [on_offer]


@pytest.mark.parametrize("q", ["!!!", "<b></b>"])
def test_the_search_page_shows_nothing_and_the_reason(client, on_offer, q):
    html = client.get("/stages/", {"q": q}).text
    assert "Zoek met woorden" in html
    assert on_offer.title not in html
    assert "0 stages" in html


def test_the_search_api_answers_400_with_the_reason(client, on_offer):
    response = client.get("/api/v1/placements", {"q": "<i>!!</i>"})
    assert response.status_code in (400, 422)
    assert "Zoek met woorden" in response.text
    assert on_offer.title not in response.text


@pytest.mark.parametrize("title", ["!!!", "<script></script>", "…", "&nbsp;", "de het 2027"])
def test_routing_refuses_a_text_without_words(client, title):
    response = client.post(
        "/api/v1/placements/route",
        {"title": title, "description": "<br/>", "activities": ["--"]},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert "Beschrijf het werk in woorden" in response.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["P", "S", "Z"]), max_size=40))
def test_punctuation_symbols_and_spaces_never_hold_words(text):
    assert not has_letters(text) and not has_words(text)
