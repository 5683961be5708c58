"""The header, menus and footer, and an article's head tags, body and lists, are Wagtail
fragment caches ({% wagtailcache %}, {% wagtailpagecache %}): the same for every visitor,
and never wrong. Nothing per visitor is inside one; every change to what they show is on
the next request; a preview, a draft or a patient's request changes nothing in them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages import INFO
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.backends.cache import SessionStore
from django.middleware.csrf import get_token
from django.template import RequestContext, engines
from django.test import Client, RequestFactory
from django.urls import reverse

from clinic import header_footer
from clinic.models import ClinicSettings, Location
from tests.factories import (
    AppointmentRequestFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    ContactPageFactory,
    GuideLeadFactory,
    LocationFactory,
    StandardPageFactory,
    TherapistFactory,
    clinic_settings,
)

TEMPLATES = Path(settings.BASE_DIR) / "templates"
FRAGMENT = re.compile(
    r"{% (wagtailcache|wagtailpagecache|cache) [^%]*%}(?P<body>.*?){% end\1 %}", re.DOTALL
)
LOAD = re.compile(r"{% load [^%]*%}")


def cached_fragments():
    """(template, its load tags, the fragment's body) for every fragment cache."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text()
        loads = "".join(LOAD.findall(source))
        for match in FRAGMENT.finditer(source):
            yield path.relative_to(TEMPLATES), loads, match["body"]


FRAGMENTS = list(cached_fragments())


@pytest.fixture
def site(home_page):
    clinic_settings(phone="+13605550142", accepting_new_patients=True)
    LocationFactory(name="Downtown clinic")
    ContactPageFactory(parent=home_page)
    return home_page


def test_the_cached_fragments_are_the_header_footer_articles_and_home_sections():
    assert [(str(path), body.count("{% include")) for path, _, body in FRAGMENTS] == [
        ("base.html", 1),
        ("base.html", 2),
        ("blog/blog_index_page.html", 2),
        ("blog/blog_post_page.html", 0),
        ("blog/blog_post_page.html", 0),
        ("blog/blog_post_page.html", 0),
        ("blog/blog_post_page.html", 3),  # include_block, the aside, related posts
        ("clinic/home_page.html", 3),
    ]


def fragment_context(path, site, request):
    """The context the fragment's own page gives it, with something for it to show."""
    if path == "base.html":
        return {"page": site}
    index = BlogIndexPageFactory(parent=site)
    author = TherapistFactory(name="Maya Okafor")
    article = BlogPostPageFactory(parent=index, title="Sciatica at night", authors=[author])
    if path == "blog/blog_post_page.html":
        return article.get_context(request)
    if path == "blog/blog_index_page.html":
        return index.listing_response(request, index.posts()).context_data
    site.articles_page = index
    return site.get_context(request)


@pytest.mark.parametrize(("path", "loads", "body"), FRAGMENTS, ids=lambda v: str(v)[:20])
def test_a_cached_fragment_holds_no_csrf_token_message_or_user(site, path, loads, body):
    user = get_user_model().objects.create_user(
        "frontdesk-kim", "kim.private@example.com", "pw", first_name="Kimberly"
    )
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    MessageMiddleware(lambda request: None).process_request(request)
    messages.add_message(request, INFO, "Your appointment request was received")
    token = get_token(request)
    context = fragment_context(str(path), site, request)
    template = engines["django"].from_string(loads + body).template
    html = template.render(RequestContext(request, context))
    shown = ["Downtown clinic", "(360) 555-0142", "Sciatica at night", "Maya Okafor"]
    assert any(words in html for words in shown), "it rendered"
    for personal in [token, "csrfmiddlewaretoken", "appointment request was received"]:
        assert personal not in html, personal
    for personal in [user.username, user.email, user.first_name]:
        assert personal not in html, personal


def words(response):
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


def test_a_changed_clinic_phone_shows_in_the_header_and_footer_next_request(client, site, commit):
    assert words(client.get("/")).count("(360) 555-0142") >= 3
    with commit():
        clinic_settings(phone="+13605559999")
    html = words(client.get("/"))
    assert "(360) 555-0142" not in html
    assert html.count("(360) 555-9999") >= 3


def test_a_renamed_location_and_its_hours_show_in_the_footer_next_request(client, site, commit):
    client.get("/")
    with commit():
        location = Location.objects.get(name="Downtown clinic")
        location.name = "Harborside clinic"
        location.save()
        location.opening_hours.update(opens="07:00")
        location.opening_hours.first().save()
    html = words(client.get("/"))
    assert "Harborside clinic" in html
    assert "Downtown clinic" not in html


def test_a_deleted_location_leaves_the_footer(client, site, commit):
    client.get("/")
    with commit():
        Location.objects.filter(name="Downtown clinic").delete()
    assert "Downtown clinic" not in words(client.get("/"))


def test_a_page_published_into_the_menu_shows_there_and_leaves_when_unpublished(
    client, site, commit
):
    insurance = StandardPageFactory(parent=site, title="Insurance", show_in_menus=True, live=False)
    client.get("/")
    with commit():
        insurance.save_revision().publish()  # as the editor's "Publish" does
    assert ">Insurance</a>" in words(client.get("/"))
    insurance.refresh_from_db()
    with commit():
        insurance.unpublish()
    assert ">Insurance</a>" not in words(client.get("/"))


def test_a_header_rendered_while_an_editor_saves_is_not_kept(client, site, monkeypatch):
    """The version is read before the settings: what a page read before the editor's
    commit is stored under the old version and never served again."""
    for_request = ClinicSettings.for_request

    def editor_saves_right_after_this_read(request):
        found = for_request(request)
        ClinicSettings.objects.update(phone="+13605559999")
        header_footer.changed()  # what the editor's commit does
        return found

    monkeypatch.setattr(ClinicSettings, "for_request", editor_saves_right_after_this_read)
    assert "(360) 555-0142" in words(client.get("/"))
    monkeypatch.setattr(ClinicSettings, "for_request", for_request)
    assert "(360) 555-0142" not in words(Client().get("/"))


def test_articles_patients_requests_drafts_and_sign_ins_leave_the_fragments_kept(
    client, site, commit
):
    index = BlogIndexPageFactory(parent=site)
    client.get("/")
    kept = header_footer.version()
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw"))
    with commit():
        AppointmentRequestFactory()
        GuideLeadFactory()
        site.hero_heading = "A draft heading"
        site.save_revision()
        BlogPostPageFactory(parent=index, title="Sciatica at night")  # published
    assert editor.get("/admin/").status_code == 200
    assert header_footer.version() == kept


def test_a_preview_of_a_draft_changes_nothing_visitors_see(client, site):
    client.get("/")
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw"))
    site.title = "Draft home title"
    site.hero_heading = "Draft heading"
    site.save_revision()
    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=[site.pk]))
    assert "Draft heading" in words(preview)
    assert "Draft heading" not in words(client.get("/"))
