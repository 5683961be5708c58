"""The fragment cache: parts of pages kept in each process between content changes, and
the Site and page an address leads to. Never wrong: a page renders the same with it as
without it, every content change shows on the next request, and editors, previews and
forms never get or make a kept fragment."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from clinic.models import Location
from tests.clinic.page_cache_urls import TOKEN
from tests.factories import (
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    ContactPageFactory,
    LocationFactory,
    PatientTestimonialFactory,
    ServiceIndexPageFactory,
    ServicePageFactory,
    StandardPageFactory,
    TeamPageFactory,
    TherapistFactory,
    clinic_settings,
)


@pytest.fixture
def fragments(settings):
    settings.FRAGMENT_CACHE = True
    settings.PAGE_CACHE = False


@pytest.fixture
def test_pages(settings, fragments, db):
    settings.ROOT_URLCONF = "tests.clinic.page_cache_urls"


@pytest.fixture
def site(home_page):
    """Every page type, with the people, places and topics they show."""
    clinic_settings(phone="+13605550142")
    LocationFactory(name="Downtown clinic")
    PatientTestimonialFactory(show_on_home_page=True)
    author = TherapistFactory(name="Dana Reyes")
    back_pain = BlogCategoryFactory(name="Back pain")
    index = BlogIndexPageFactory(parent=home_page)
    home_page.articles_page = index
    home_page.save_revision().publish()
    articles = [
        BlogPostPageFactory(
            parent=index, title=f"Sciatica, part {n}", authors=[author], categories=[back_pain]
        )
        for n in range(3)
    ]
    services = ServiceIndexPageFactory(parent=home_page)
    ServicePageFactory(parent=services, title="Sciatica")
    TeamPageFactory(parent=home_page)
    ContactPageFactory(parent=home_page)
    StandardPageFactory(parent=home_page, title="Insurance")
    return {"index": index, "article": articles[-1], "author": author}


def words(response):
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


PAGES = [
    "/",
    "/blog/",
    "/blog/category/back-pain/",
    "/blog/sciatica-part-2/",
    "/conditions-we-treat/",
    "/conditions-we-treat/sciatica/",
    "/our-team/",
    "/contact/",
    "/insurance/",
    "/search/?q=sciatica",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_type_reads_the_same_with_fragments_kept(settings, client, site, url):
    settings.FRAGMENT_CACHE = False
    without = words(client.get(url))
    settings.FRAGMENT_CACHE = True
    first, kept = words(client.get(url)), words(Client().get(url))
    assert first == without
    assert kept == without


# Search results are found for each request (blog/search.py), not kept.
@pytest.mark.parametrize("url", [url for url in PAGES if not url.startswith("/search/")])
def test_a_repeat_visit_asks_the_database_nothing(
    fragments, client, site, url, django_assert_num_queries
):
    """Routes, view restrictions, counts and rendered parts are all kept."""
    first = words(client.get(url))
    with django_assert_num_queries(0):
        assert words(Client().get(url)) == first


# --- Every content change shows on the next request -----------------------------------


def test_publishing_an_article_shows_everywhere_it_appears(fragments, client, site, commit):
    article = site["article"]
    for url in ["/", "/blog/", article.url, "/search/?q=sciatica"]:
        client.get(url)
    article.title = "Sciatica that will not quit"
    with commit():
        article.save_revision().publish()
    for url in ["/", "/blog/", article.url]:
        assert "Sciatica that will not quit" in words(client.get(url)), url
    assert "Sciatica that will not quit" in words(client.get("/search/?q=quit"))


def test_a_new_article_shows_in_the_list_count_and_search(fragments, client, site, commit):
    client.get("/blog/")
    client.get("/search/?q=sciatica")
    with commit():
        BlogPostPageFactory(parent=site["index"], title="Sciatica at night")
    assert "Sciatica at night" in words(client.get("/blog/"))
    assert "5 results" in words(client.get("/search/?q=sciatica"))


def test_an_unpublished_article_is_gone_on_the_next_request(fragments, client, site, commit):
    url = site["article"].url
    client.get(url)
    with commit():
        site["article"].unpublish()
    assert client.get(url).status_code == 404
    assert "Sciatica, part 2" not in words(client.get("/blog/"))


def test_a_moved_page_leaves_its_old_address(fragments, client, site, home_page, commit):
    insurance = Page.objects.get(slug="insurance")
    client.get("/insurance/")
    with commit():
        insurance.move(Page.objects.get(slug="contact"), pos="last-child")
    moved = client.get("/insurance/")
    assert moved.status_code == 301
    assert moved["Location"] == "/contact/insurance/"
    assert client.get("/contact/insurance/").status_code == 200


def test_a_deleted_page_is_gone_on_the_next_request(fragments, client, site, commit):
    client.get("/insurance/")
    with commit():
        Page.objects.get(slug="insurance").delete()
    assert client.get("/insurance/").status_code == 404


def test_renaming_an_author_shows_in_the_byline(fragments, client, site, commit):
    url = site["article"].url
    client.get(url)
    with commit():
        site["author"].name = "Dana Reyes-Ortiz"
        site["author"].save()
    assert "Dana Reyes-Ortiz" in words(client.get(url))


def test_changing_the_clinic_phone_shows_on_every_kept_part(fragments, client, site, commit):
    url = site["article"].url
    assert "(360) 555-0142" in words(client.get(url))
    with commit():
        clinic_settings(phone="+13605559999")
    html = words(client.get(url))
    assert "(360) 555-9999" in html
    assert "(360) 555-0142" not in html


def test_editing_a_location_shows_in_the_footer(fragments, client, site, commit):
    client.get("/")
    with commit():
        location = Location.objects.get(name="Downtown clinic")
        location.name = "Harborside clinic"
        location.save()
    assert "Harborside clinic" in words(client.get("/"))


def test_a_fragment_rendered_while_an_editor_publishes_is_not_kept(test_pages, client):
    client.get("/test/fragment-race/?v=old")
    assert "<h1>new</h1>" in words(client.get("/test/fragment/?v=new"))


def test_a_fragment_is_kept_until_a_change(test_pages, client, commit):
    client.get("/test/fragment/?v=first")
    assert "<h1>first</h1>" in words(client.get("/test/fragment/?v=second"))
    with commit():
        LocationFactory()
    assert "<h1>third</h1>" in words(client.get("/test/fragment/?v=third"))


# --- Editors, previews, forms, and a cache that does not answer ------------------------


def test_signed_in_editors_neither_get_nor_make_kept_fragments(test_pages, client):
    editor = Client()
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    editor.force_login(user)
    assert "<h1>editor</h1>" in words(editor.get("/test/fragment/?v=editor"))
    client.get("/test/fragment/?v=visitor")
    assert "<h1>editor again</h1>" in words(editor.get("/test/fragment/?v=editor again"))


def test_a_preview_is_never_kept_nor_shown_to_visitors(fragments, client, site):
    article = site["article"]
    client.get(article.url)
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw"))
    article.title = "Sciatica: draft title"
    article.save_revision()
    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=[article.pk]))
    assert "Sciatica: draft title" in words(preview)
    assert "Sciatica: draft title" not in words(Client().get(article.url))


def test_a_fragment_holding_a_csrf_token_is_never_kept(test_pages, client):
    first = TOKEN.search(client.get("/test/fragment-form/").content.decode())[1]
    second = TOKEN.search(Client().get("/test/fragment-form/").content.decode())[1]
    assert first != second


def test_nothing_is_kept_while_the_cache_does_not_answer(test_pages, client, monkeypatch):
    monkeypatch.setattr("clinic.page_cache.lookup", lambda key: (None, None))
    client.get("/test/fragment/?v=first")
    assert "<h1>second</h1>" in words(client.get("/test/fragment/?v=second"))


def test_off_unless_enabled(settings, test_pages, client):
    settings.FRAGMENT_CACHE = False
    client.get("/test/fragment/?v=first")
    assert "<h1>second</h1>" in words(client.get("/test/fragment/?v=second"))
