"""What every page's frame gives a patient: the menu, search, trust, photos, a short footer."""

import filecmp
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail_factories import ImageFactory

from clinic.models import HolidayClosure, Location, Therapist
from tests.factories import clinic_settings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def test_the_phone_menu_is_a_button_that_opens_every_item_without_javascript(client, clinic):
    header = soup_of(client, "/").select_one("header.site-header")
    toggle = header.select_one("details.menu-toggle")
    assert toggle.summary.get_text(strip=True) == "Menu"
    panel_links = [a.text for a in toggle.select("nav.main-menu--panel a")]
    row_links = [a.text for a in header.select("nav.main-menu--row a")]
    assert panel_links == row_links and len(panel_links) >= 3
    assert toggle.select_one('form[role="search"][action="/search/"] input[name="q"]')


def test_the_header_searches_the_site(client, clinic):
    header = soup_of(client, clinic["sciatica"].url).select_one("header.site-header")
    search = header.select_one("form.header-search")
    assert (search["action"], search["method"]) == ("/search/", "get")
    field = search.select_one('input[type="search"][name="q"]')
    assert header.select_one(f'label[for="{field["id"]}"]').text == "Search the site"


def test_no_book_button_on_the_booking_form_and_its_confirmation(client, clinic, settings):
    from tests.booking.conftest import submit

    settings.BOOKING_FORM_MIN_SECONDS = 0
    form = soup_of(client, "/book/")
    assert form.select('a[data-cta="book"]') == []
    assert form.select_one("nav.mobile-cta-bar a[href^='tel:']"), "Call stays"
    received = submit(client)
    assert received.status_code == 302
    confirmation = soup_of(client, received["Location"])
    assert confirmation.select('a[data-cta="book"]') == []
    assert soup_of(client, "/").select('header a[data-cta="book"]'), "other pages keep it"


def test_trust_signals_show_only_what_staff_entered(client, clinic):
    hero = soup_of(client, "/").select_one("section.hero")
    assert hero.select_one(".trust") is None
    assert "Accepting new patients" not in str(soup_of(client, "/").select_one("header"))

    this_year = timezone.localdate().year
    clinic_settings(
        accepting_new_patients=True,
        insurers_accepted="Aetna, Blue Cross, , Medicare",
        practising_since=this_year - 17,
    )
    soup = soup_of(client, "/")
    trust = [li.get_text(" ", strip=True) for li in soup.select("section.hero .trust li")]
    assert trust == [
        "Accepting new patients",
        "17 years in practice",
        "Insurance accepted: Aetna, Blue Cross, Medicare",
    ]
    assert "Accepting new patients" in soup.select_one("header .site-strip").text

    clinic_settings(review_rating=Decimal("4.9"), review_count=212, review_source="Google")
    trust = soup_of(client, "/").select_one("section.hero .trust").get_text(" ", strip=True)
    assert "Rated 4.9 out of 5 from 212 Google reviews" in trust


def test_a_rating_needs_its_count_and_source(clinic):
    settings = clinic["settings"]
    settings.review_rating = Decimal("4.8")
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert set(refused.value.message_dict) == {"review_count", "review_source"}
    settings.review_rating = Decimal("5.5")
    settings.review_count, settings.review_source = 3, "Google"
    with pytest.raises(ValidationError):
        settings.full_clean()


def test_photos_have_alt_text_sizes_and_dimensions(client, clinic):
    home = clinic["home"]
    home.hero_image = ImageFactory(description="Our treatment room by the window")
    home.save_revision().publish()
    location = Location.objects.get()
    location.photo = ImageFactory(description="The entrance on Water Street")
    location.save()
    Therapist.objects.create(name="Maya Okafor", photo=ImageFactory(), team_page=clinic["team"])

    hero = soup_of(client, "/").select_one(".hero__media img")
    assert hero["alt"] == "Our treatment room by the window"
    assert hero["width"] and hero["height"] and hero.get("srcset")
    assert hero["loading"] == "eager" and hero["fetchpriority"] == "high"
    contact = soup_of(client, clinic["contact"].url).select_one(".location__photo img")
    assert contact["alt"] == "The entrance on Water Street" and contact["width"]
    headshot = soup_of(client, clinic["team"].url).select_one(".team__member img")
    assert headshot["width"] == headshot["height"] and "srcset" in headshot.attrs


def test_the_footer_is_short_with_todays_hours_and_a_link_to_all(client, clinic):
    location = Location.objects.get()
    footer = soup_of(client, "/").select_one("footer.site-footer")
    today = timezone.localdate()
    text = footer.get_text(" ", strip=True)
    assert ("Open today 8am to 5pm" in text) == (today.weekday() < 5)
    assert footer.select(".hours") == [], "the full week is on the contact page"
    link = footer.find(lambda tag: tag.name == "a" and "All opening hours" in tag.text)
    assert link["href"] == f"{clinic['contact'].url}#location-{location.pk}"

    HolidayClosure.objects.create(location=location, starts_on=today, reason="Staff training")
    footer = soup_of(client, "/").select_one("footer.site-footer")
    assert "Closed today (Staff training)" in footer.text


def test_one_button_system_primary_solid_secondary_outline(client, clinic):
    css = (ROOT / "clinic/static/clinic/css/site.css").read_text()
    variants = set(re.findall(r"\.button--([a-z]+)", css))
    assert variants == {"primary", "secondary", "large"}
    for url in ["/", clinic["sciatica"].url, clinic["contact"].url, "/book/"]:
        html = soup_of(client, url)
        for button in html.select(".button"):
            kinds = {c for c in button["class"] if c in {"button--primary", "button--secondary"}}
            assert len(kinds) == 1, button


def test_the_fonts_are_self_hosted_preloaded_and_swap(client, clinic):
    head = soup_of(client, "/").head
    preloads = head.select('link[rel="preload"][as="font"]')
    assert len(preloads) == 3
    for link in preloads:
        assert link["href"].startswith("/static/clinic/fonts/") and link.has_attr("crossorigin")
    css = (ROOT / "clinic/static/clinic/css/site.css").read_text()
    assert css.count("font-display: swap") == css.count("@font-face") == 3
    assert "http" not in css


def test_the_committed_fonts_are_the_pinned_npm_packages(settings):
    fontsource = ROOT / "node_modules" / "@fontsource"
    if not fontsource.exists():
        if os.environ.get("CI"):
            pytest.fail("npm ci must install the @fontsource packages in CI")
        pytest.skip("node_modules not installed (npm ci)")
    makefile = (ROOT / "Makefile").read_text()
    files = re.findall(r"([\w-]+/files/[\w-]+\.woff2)", makefile)
    assert len(files) == 3
    for file in files:
        committed = ROOT / "clinic/static/clinic/fonts" / Path(file).name
        assert filecmp.cmp(fontsource / file, committed, shallow=False), file
