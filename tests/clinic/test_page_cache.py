"""The page cache: anonymous repeat visits are served from memory, and it is never wrong.

Never wrong means: no visitor sees another's CSRF token, messages or cookies; editors
and previews never get or make cached pages; every content change shows on the next
request.
"""

import gzip
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page

from clinic.models import ClinicSettings, Location
from clinic.page_cache import check_cache_is_shared
from tests.clinic.page_cache_urls import TEST_VIEWS, TOKEN
from tests.factories import (
    AppointmentRequestFactory,
    GuideLeadFactory,
    HomePageFactory,
    LocationFactory,
    clinic_settings,
)


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def test_pages(settings, page_cache):
    settings.ROOT_URLCONF = "tests.clinic.page_cache_urls"
    settings.PAGE_CACHE_VIEWS = [*settings.PAGE_CACHE_VIEWS, *TEST_VIEWS]


@pytest.fixture
def editor(db, client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def visitor(db):
    """A second, anonymous browser."""
    from django.test import Client

    return Client()


@pytest.fixture
def article(home_page):
    """A page under the home page, as an article or clinic page would be."""
    return HomePageFactory(parent=home_page, title="Sciatica", slug="sciatica")


def x_cache(response):
    return response.headers.get("X-Cache")


# --- Anonymous visitors -------------------------------------------------------------


def test_anonymous_repeat_visits_are_served_from_cache_without_queries(
    page_cache, client, visitor, home_page, django_assert_num_queries
):
    first = client.get("/")
    assert x_cache(first) == "MISS"
    with django_assert_num_queries(0):
        again = visitor.get("/")
    assert x_cache(again) == "HIT"
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_head_requests_are_answered_from_the_cached_page(page_cache, client, home_page):
    client.get("/")
    assert x_cache(client.head("/")) == "HIT"


def test_cached_pages_are_compressed_for_browsers_that_accept_it(page_cache, client, home_page):
    client.get("/")
    hit = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert x_cache(hit) == "HIT"
    assert hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == client.get("/").content


def test_each_query_string_is_its_own_page(page_cache, client, home_page):
    client.get("/?page=2")
    assert x_cache(client.get("/?page=3")) == "MISS"
    assert x_cache(client.get("/?page=2")) == "HIT"


def test_missing_pages_are_not_stored(page_cache, client, db):
    assert client.get("/no-such-page/").status_code == 404
    assert x_cache(client.get("/no-such-page/")) == "BYPASS"


def test_cache_is_off_unless_enabled(settings, client, home_page):
    settings.PAGE_CACHE = False
    client.get("/")
    assert x_cache(client.get("/")) is None


def test_local_memory_cache_with_several_processes_is_flagged(settings):
    settings.PAGE_CACHE = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in check_cache_is_shared()] == ["clinic.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert check_cache_is_shared() == []


def test_no_cdn_header_unless_configured_then_s_maxage(settings, page_cache, client, home_page):
    assert "s-maxage" not in client.get("/").get("Cache-Control", "")
    settings.PAGE_CACHE_CDN_SECONDS = 60
    client.get("/?cdn")
    hit = client.get("/?cdn")
    assert x_cache(hit) == "HIT"
    assert "s-maxage=60" in hit["Cache-Control"]


# --- Never another visitor's token, messages or cookies ------------------------------


def test_page_holding_a_form_never_serves_another_visitors_csrf_token(test_pages, client, visitor):
    first = client.get("/test/form/")
    second = visitor.get("/test/form/")
    assert x_cache(first) == x_cache(second) == "BYPASS"
    assert "csrftoken" in first.cookies
    assert "private" in first["Cache-Control"]
    assert TOKEN.search(first.content.decode())[1] != TOKEN.search(second.content.decode())[1]


def test_form_page_is_not_stored_for_a_visitor_who_already_has_a_csrf_cookie(test_pages, client):
    client.get("/test/form/")
    assert "csrftoken" in client.cookies
    assert x_cache(client.get("/test/form/")) == "BYPASS"


def test_the_same_page_without_a_form_is_cached(test_pages, client):
    client.get("/test/plain/")
    assert x_cache(client.get("/test/plain/")) == "HIT"


def test_booking_form_is_never_served_from_cache(page_cache, client, visitor, db):
    client.get("/book/")
    response = visitor.get("/book/")
    assert response.status_code == 200
    assert x_cache(response) == "BYPASS"


def test_page_showing_a_message_is_not_stored_for_the_next_visitor(test_pages, client, visitor):
    assert "Your request was received" in client.get("/test/message/").content.decode()
    assert x_cache(visitor.get("/test/message/")) != "HIT"


def test_visitor_carrying_messages_bypasses_the_cache(test_pages, client):
    client.get("/test/plain/")
    client.cookies["messages"] = "pending"
    assert x_cache(client.get("/test/plain/")) == "BYPASS"


def test_response_setting_a_cookie_is_not_stored(test_pages, client, visitor):
    client.get("/test/cookie/")
    response = visitor.get("/test/cookie/")
    assert x_cache(response) == "BYPASS"
    assert "seen_banner" in response.cookies


def test_response_varying_by_language_is_not_stored(test_pages, client):
    client.get("/test/language/")
    assert x_cache(client.get("/test/language/")) == "BYPASS"


def test_views_not_listed_are_never_stored(settings, test_pages, client):
    settings.PAGE_CACHE_VIEWS = ["wagtail_serve"]
    client.get("/test/plain/")
    assert x_cache(client.get("/test/plain/")) == "BYPASS"


CSP_MIDDLEWARE = "clinic.security.ContentSecurityPolicyMiddleware"


def nonces(response):
    in_html = re.search(r'nonce="([^"]+)"', response.content.decode())[1]
    in_header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    return in_html, in_header


def test_each_visitor_gets_a_fresh_csp_nonce_from_a_cached_page(test_pages, client):
    first = client.get("/test/nonce/")
    hit = client.get("/test/nonce/")
    assert x_cache(hit) == "HIT"
    first_html, first_header = nonces(first)
    hit_html, hit_header = nonces(hit)
    assert first_html == first_header
    assert hit_html == hit_header != first_html


def test_csp_nonce_written_inside_the_cache_is_never_stored(test_pages, settings, client):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != CSP_MIDDLEWARE] + [CSP_MIDDLEWARE]
    client.get("/test/nonce/")
    assert x_cache(client.get("/test/nonce/")) == "BYPASS"


# --- Editors and previews -------------------------------------------------------------


def test_editor_gets_live_pages_uncached_and_visitors_never_get_the_editors_page(
    page_cache, editor, visitor, home_page
):
    editors_page = editor.get("/")
    assert x_cache(editors_page) == "BYPASS"
    assert "private" in editors_page["Cache-Control"]
    assert b"wagtail-userbar" in editors_page.content
    visitors_page = visitor.get("/")
    assert x_cache(visitors_page) == "MISS"
    assert b"wagtail-userbar" not in visitors_page.content


def test_editor_never_gets_the_page_cached_for_visitors(page_cache, editor, visitor, home_page):
    visitor.get("/")
    assert x_cache(visitor.get("/")) == "HIT"
    assert x_cache(editor.get("/")) == "BYPASS"


def test_preview_of_a_draft_is_never_cached_nor_shown_to_visitors(
    page_cache, editor, visitor, article
):
    visitor.get(article.url)
    article.title = "Sciatica: draft title"
    article.save_revision()
    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=[article.pk]))
    assert b"Sciatica: draft title" in preview.content
    assert x_cache(preview) == "BYPASS"
    live = visitor.get(article.url)
    assert x_cache(live) == "HIT"
    assert b"draft title" not in live.content


# --- Every content change shows on the next request -----------------------------------


def test_publishing_a_page_shows_on_the_next_request(page_cache, client, article, commit):
    client.get(article.url)
    article.hero_heading = "Sciatica that will not quit"
    with commit():
        article.save_revision().publish()
    response = client.get(article.url)
    assert x_cache(response) == "MISS"
    assert "Sciatica that will not quit" in response.content.decode()


def test_unpublishing_a_page_shows_on_the_next_request(page_cache, client, article, commit):
    client.get(article.url)
    with commit():
        article.unpublish()
    assert client.get(article.url).status_code == 404


def test_moving_a_page_shows_on_the_next_request(page_cache, client, home_page, article, commit):
    section = HomePageFactory(parent=home_page, title="Conditions", slug="conditions")
    old_url = article.url
    client.get(old_url)
    with commit():
        article.move(section, pos="last-child")
    moved = client.get(old_url)
    assert moved.status_code == 301
    assert moved["Location"] == "/conditions/sciatica/"
    assert client.get("/conditions/sciatica/").status_code == 200


def test_deleting_a_page_shows_on_the_next_request(page_cache, client, article, commit):
    url = article.url
    client.get(url)
    with commit():
        Page.objects.get(pk=article.pk).delete()
    assert client.get(url).status_code == 404


def test_editing_a_location_in_the_footer_shows_on_the_next_request(
    page_cache, client, home_page, commit
):
    location = LocationFactory(name="Downtown clinic")
    client.get("/")
    assert b"Downtown clinic" in client.get("/").content
    with commit():
        location.name = "Harborside clinic"
        location.save()
    assert b"Harborside clinic" in client.get("/").content


def test_deleting_a_location_shows_on_the_next_request(page_cache, client, home_page, commit):
    location = LocationFactory(name="Westside clinic")
    client.get("/")
    with commit():
        Location.objects.filter(pk=location.pk).delete()
    assert b"Westside clinic" not in client.get("/").content


def test_changing_the_clinic_phone_shows_on_the_next_request(page_cache, client, home_page, commit):
    clinic_settings(phone="+13605550142")
    client.get("/")
    assert "(360) 555-0142" in client.get("/").content.decode()
    with commit():
        clinic_settings(phone="+13605559999")
    html = client.get("/").content.decode()
    assert "(360) 555-9999" in html
    assert ClinicSettings.objects.get().phone_display == "(360) 555-9999"


def test_patients_requests_and_guide_leads_do_not_empty_the_cache(
    page_cache, client, visitor, home_page, commit
):
    client.get("/")
    with commit():
        AppointmentRequestFactory()
        GuideLeadFactory()
    assert x_cache(visitor.get("/")) == "HIT"


def test_a_page_rendered_while_an_editor_publishes_is_not_served_afterwards(test_pages, client):
    client.get("/test/race/")
    assert x_cache(client.get("/test/race/")) == "MISS"


def test_changes_invalidate_only_once_committed(page_cache, client, home_page):
    """Inside an open transaction other processes still read the old content."""
    location = LocationFactory(name="Eastside clinic")
    client.get("/")
    location.name = "Lakeside clinic"
    location.save()
    assert x_cache(client.get("/")) == "HIT"
