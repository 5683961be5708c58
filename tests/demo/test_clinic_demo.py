"""The demo site: every page type filled, settings wired, files generated locally."""

import io
import shutil

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
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
from demo.files import logo_png
from tests.factories import (
    default_site,
)


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (it takes seconds) and rolled back at its end.

    Each test runs in its own savepoint inside this transaction (pytest-django's `db`), so
    what one test changes the next never sees. Tests that need a database without the demo
    are in test_clinic_demo_alone.py.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_content, db):
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
