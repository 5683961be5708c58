"""The demo site: every page type filled, settings wired, files generated locally."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Page

from clinic import models as clinic_models
from clinic.models import (
    ClinicSettings,
    ContactPage,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
    TeamPage,
    Therapist,
)
from tests.factories import default_site


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return ClinicSettings.for_site(default_site())


def test_demo_fills_every_clinic_page_type(demo):
    conditions = set(ServicePage.objects.live().values_list("title", flat=True))
    assert {
        "Low back pain",
        "Sciatica",
        "Hip pain",
        "SI joint dysfunction",
        "Knee pain",
        "Neck pain",
    } <= conditions
    assert ServiceIndexPage.objects.live().count() == 1
    assert TeamPage.objects.live().count() == 1
    assert ContactPage.objects.live().count() == 1
    standard = set(StandardPage.objects.live().values_list("slug", flat=True))
    assert {"about", "insurance", "cancellation-policy", "privacy"} <= standard
    assert clinic_models.Testimonial.objects.published().count() >= 3
    assert not Therapist.objects.filter(team_page__isnull=True).exists()


def test_demo_wires_the_settings_privacy_notice_guide_and_logo(demo):
    assert demo.privacy_page.slug == "privacy"
    assert demo.free_guide.file.name.endswith(".pdf")
    with demo.free_guide.file.open("rb") as guide:
        pdf = guide.read()
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert b"Keep moving, gently" in pdf
    assert demo.free_guide_blurb
    assert demo.logo.width == demo.logo.height == 256


def test_demo_menu_shows_the_main_sections(client, demo):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    menu = [a.text for a in soup.select('nav[aria-label="Main"] a')]
    sections = [
        "Conditions we treat",
        "Our team",
        "About us",
        "Insurance and costs",
        "Contact and locations",
    ]
    assert [title for title in menu if title in sections] == sections  # other apps add theirs
    assert "Privacy notice" not in menu and "Cancellation policy" not in menu


def test_demo_runs_again_without_duplicates_or_overwriting_edits(demo):
    sciatica = ServicePage.objects.get(slug="sciatica")
    sciatica.summary = "Edited by the clinic."
    sciatica.save_revision().publish()
    counts = (Page.objects.count(), clinic_models.Testimonial.objects.count())

    call_command("load_demo", stdout=io.StringIO())

    assert (Page.objects.count(), clinic_models.Testimonial.objects.count()) == counts
    assert ServicePage.objects.get(slug="sciatica").summary == "Edited by the clinic."


def test_demo_points_latest_articles_at_the_blog_made_by_a_later_app(client, db):
    home = default_site().root_page.specific
    blog = home.add_child(
        instance=StandardPage(title="Articles", slug="blog", body="<p>x</p>", show_in_menus=True)
    )
    article = blog.add_child(
        instance=StandardPage(title="Sciatica: what helps", body="<p>Walk.</p>")
    )
    assert home.articles_page is None

    call_command("load_demo", stdout=io.StringIO())

    home.refresh_from_db()
    assert home.articles_page_id == blog.pk
    sciatica = ServicePage.objects.get(slug="sciatica")
    assert [link.article_id for link in sciatica.related_articles.all()] == [article.pk]
    editing = sciatica.get_latest_revision_as_object()
    assert [link.article_id for link in editing.related_articles.all()] == [article.pk]
    assert not ServicePage.objects.get(slug="knee-pain").related_articles.exists()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert [a.text for a in soup.select('nav[aria-label="Main"] a')][:3] == [
        "Conditions we treat",
        "Our team",
        "Articles",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/conditions/",
        "/conditions/sciatica/",
        "/team/",
        "/contact/",
        "/about/",
        "/insurance/",
        "/privacy/",
        "/cancellation-policy/",
    ],
)
def test_every_demo_page_renders_with_one_h1(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    assert len(BeautifulSoup(response.content, "html.parser").find_all("h1")) == 1
