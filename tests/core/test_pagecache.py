"""Public pages from a cache for visitors who are not logged in
(stagebrug.core.pagecache): the same page as rendered fresh, each visitor's own CSRF token,
per language, and never for someone logged in."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client

from stagebrug.placements.models import Placement

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def without_tokens(content: bytes) -> bytes:
    content = TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', content)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b'"X-CSRFToken": ""', content)


def test_a_cached_page_is_the_page_with_the_visitor_s_own_token(page_cache, published, settings):
    fresh = Client().get(f"/stages/{published.pk}/")
    first, second = Client(), Client()
    a = first.get(f"/stages/{published.pk}/")
    # The title changes; the cached page still shows the old one for its minute.
    Placement.objects.filter(pk=published.pk).update(title="Nieuwe titel")
    b = second.get(f"/stages/{published.pk}/")
    assert a.status_code == b.status_code == 200
    assert b"Nieuwe titel" not in b.content
    assert without_tokens(a.content) == without_tokens(b.content) == without_tokens(fresh.content)
    assert b"csrf-token-of-this-visitor" not in b.content
    # Each visitor's token matches their own CSRF cookie: the language switch works for both.
    for client, response in ((first, a), (second, b)):
        token = TOKEN.search(response.content).group(1).decode()
        post = Client(enforce_csrf_checks=True)
        post.cookies = client.cookies
        answer = post.post(
            "/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=token
        )
        assert answer.status_code == 302
    settings.PAGE_CACHE_SECONDS = 0
    assert b"Nieuwe titel" in Client().get(f"/stages/{published.pk}/").content


def test_each_language_and_address_has_its_own_page(page_cache, published):
    dutch = Client().get("/stages/?q=kok")
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/stages/?q=kok")
    assert b'lang="nl"' in dutch.content and b'lang="en"' in english.content
    other = Client().get("/stages/?q=bakker")
    assert without_tokens(other.content) != without_tokens(dutch.content)


def test_logged_in_people_and_htmx_get_a_fresh_page(page_cache, published, personas):
    Client().get(f"/stages/{published.pk}/")  # cached
    Placement.objects.filter(pk=published.pk).update(title="Nieuwe titel")
    client = Client()
    client.force_login(personas.student)
    assert b"Nieuwe titel" in client.get(f"/stages/{published.pk}/").content
    assert (
        b"Nieuwe titel" in Client().get(f"/stages/{published.pk}/", HTTP_HX_REQUEST="true").content
    )


def cached_pages() -> int:
    return len(caches["pages"]._cache)


def test_only_plain_200_pages_are_kept(page_cache, published):
    assert Client().get("/stages/999999999/").status_code == 404
    assert cached_pages() == 0
    Client().get(f"/stages/{published.pk}/")
    assert cached_pages() == 1


def test_cached_pages_never_push_out_the_login_counts(page_cache, published, settings):
    """Pages live in their own cache: the shared one (lockouts, rate limits) is untouched."""
    from django.core.cache import cache

    cache.set("axes-sentinel", 1)
    for n in range(205):  # more addresses than the page cache holds
        Client().get(f"/stages/?q=kok{n}")
    assert cached_pages() <= 200
    assert cache.get("axes-sentinel") == 1
