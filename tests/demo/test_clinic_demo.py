"""The demo site: every page type filled, settings wired, files generated locally."""

import io
import shutil

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from wagtail.images import get_image_model
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
from demo import clinic as clinic_demo
from demo.files import logo_png
from tests.factories import (
    ServiceIndexPageFactory,
    ServicePageFactory,
    StandardPageFactory,
    TeamPageFactory,
    default_site,
)


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


def test_demo_draws_placeholder_photos_with_alt_text_and_trust_signals(demo):
    home = clinic_models.HomePage.objects.get()
    location = clinic_models.Location.objects.get()
    pictures = [home.hero_image, location.photo] + [
        therapist.photo for therapist in clinic_models.Therapist.objects.all()
    ]
    assert all(picture and picture.description for picture in pictures)
    assert all(picture.title.startswith("Demo placeholder") for picture in pictures)
    assert home.hero_image.width >= 1200 and location.photo.width >= 1200
    assert demo.accepting_new_patients and demo.insurers and demo.years_in_practice
    assert not demo.shows_reviews, "the demo invents no reviews"


def media_files_linked_from(client, path):
    """The uploaded files (images, renditions) a page links, as storage names."""
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    urls = [tag["src"] for tag in soup.select("img[src]")]
    urls += [tag["href"] for tag in soup.select("link[rel=icon]")]
    urls += [
        candidate.split()[0]
        for tag in soup.select("[srcset]")
        for candidate in tag["srcset"].split(",")
    ]
    return {url.removeprefix("/media/") for url in urls if url.startswith("/media/")}


def test_demo_draws_its_images_again_when_the_database_outlived_the_media_folder(
    client, db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    article = "/blog/why-do-my-lower-back-and-hip-hurt-at-the-same-time/"
    linked = media_files_linked_from(client, "/") | media_files_linked_from(client, article)
    assert any("harbor-logo" in name for name in linked)
    assert any("article-" in name for name in linked)

    shutil.rmtree(settings.MEDIA_ROOT)  # a fresh clone, the same database
    call_command("load_demo", stdout=io.StringIO())

    linked = media_files_linked_from(client, "/") | media_files_linked_from(client, article)
    assert linked
    assert [name for name in linked if not default_storage.exists(name)] == []
    guide = ClinicSettings.for_site(default_site()).free_guide
    assert default_storage.exists(guide.file.name)


def test_demo_leaves_a_lost_upload_of_the_staff_for_them_to_replace(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    logo = get_image_model().objects.create(
        title="Our new logo",
        file=ImageFile(io.BytesIO(logo_png(64)), name="new-logo.png"),
    )
    demo.logo = logo
    demo.save()
    shutil.rmtree(settings.MEDIA_ROOT)

    call_command("load_demo", stdout=io.StringIO())

    stored = get_image_model().objects.values_list("file", flat=True).get(pk=logo.pk)
    assert stored == "original_images/new-logo.png"
    assert not default_storage.exists(stored)


def test_demo_menu_shows_the_main_sections(client, demo):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    # The same menu twice: a row on wide screens, the phone's menu panel.
    row, panel = (
        [a.text for a in soup.select(f'nav.main-menu--{variant}[aria-label="Main"] a')]
        for variant in ("row", "panel")
    )
    assert row == panel
    menu = row
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


def test_demo_links_conditions_and_home_to_the_blog_a_later_app_made_once(db):
    home = default_site().root_page.specific
    conditions = ServiceIndexPageFactory(parent=home)
    sciatica = ServicePageFactory(parent=conditions, title="Sciatica", slug="sciatica")
    knee = ServicePageFactory(parent=conditions, title="Knee pain", slug="knee-pain")
    team = TeamPageFactory(parent=home, slug="team")
    blog = StandardPageFactory(parent=home, title="Articles", slug="blog")
    StandardPageFactory(parent=home, title="About us", slug="about")
    article = StandardPageFactory(parent=blog, title="Sciatica: what helps")
    StandardPageFactory(parent=blog, title="Desk neck")

    clinic_demo.finish(io.StringIO())

    home.refresh_from_db()
    assert home.articles_page_id == blog.pk
    assert [link.article_id for link in sciatica.related_articles.all()] == [article.pk]
    editing = ServicePage.objects.get(pk=sciatica.pk).get_latest_revision_as_object()
    assert [link.article_id for link in editing.related_articles.all()] == [article.pk]
    assert not knee.related_articles.exists()
    assert [page.slug for page in home.get_children()] == [
        conditions.slug,
        team.slug,
        "blog",
        "about",
    ]

    sciatica = ServicePage.objects.get(pk=sciatica.pk)
    sciatica.related_articles.clear()  # the staff decide otherwise
    sciatica.save_revision().publish()
    clinic_demo.finish(io.StringIO())
    assert not sciatica.related_articles.exists()


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
