"""Cache-Control: what a shared cache (Varnish, a CDN) may keep, and what it must never."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from booking.patient_link import token_for
from tests.factories import (
    AppointmentRequestFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    StandardPageFactory,
    clinic_settings,
)


@pytest.fixture
def article(home_page, settings):
    settings.HTTP_CACHE_SECONDS = 900
    settings.HTTP_CACHE_BROWSER_SECONDS = 30
    clinic_settings(phone="+13605550142")
    index = BlogIndexPageFactory(parent=home_page)
    index.save_revision().publish()
    return BlogPostPageFactory(parent=index, title="Ice or heat?", slug="ice-or-heat")


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("method", ["get", "head"])
def test_an_anonymous_visitor_gets_an_article_any_shared_cache_may_keep(client, article, method):
    response = getattr(client, method)(article.url)
    assert response.status_code == 200
    assert {"public", "max-age=30", "s-maxage=900"} <= directives(response)
    assert any(part.startswith("stale-while-revalidate=") for part in directives(response))
    assert any(part.startswith("stale-if-error=") for part in directives(response))


def test_the_index_its_feed_home_and_sitemap_may_be_kept(client, article):
    for url in ["/", "/blog/", "/blog/feed/", "/sitemap.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in directives(response), url


def test_a_page_seen_with_a_session_is_private(client, article):
    editor = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
    client.force_login(editor)
    response = client.get(article.url)
    assert {"private", "no-store"} <= directives(response)


def test_a_visitor_carrying_a_csrf_cookie_is_never_given_a_shared_page(client, article):
    client.cookies["csrftoken"] = "a" * 32
    assert {"private", "no-store"} <= directives(client.get(article.url))


def test_the_booking_form_is_never_kept(client, article):
    response = client.get("/book/")
    assert response.status_code == 200
    assert "public" not in directives(response)
    assert {"private", "no-store"} <= directives(response)


def test_the_patients_own_page_is_never_kept(client, db):
    appointment_request = AppointmentRequestFactory()
    response = client.get(f"/appointment/{token_for(appointment_request)}/")
    assert {"private", "no-store"} <= directives(response)


def test_a_password_protected_page_is_never_kept(client, home_page):
    page = StandardPageFactory(parent=home_page, slug="staff-only")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(page.url)
    assert "public" not in directives(response)


def test_the_admin_and_not_found_pages_are_never_public(client, article):
    assert "public" not in directives(client.get("/admin/login/"))
    assert "public" not in directives(client.get("/no-such-page/"))
