"""One call to action everywhere: phone, booking and free guide, all from ClinicSettings."""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from wagtail_factories import DocumentFactory

from clinic.views import server_error
from tests.factories import clinic_settings

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def json_ld(soup):
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_changing_the_phone_once_changes_it_on_every_page_part(client, clinic):
    clinic_settings(phone="+13605557788")  # the front desk gets a new number

    soup = soup_of(client.get("/"))
    new_tel = 'a[href="tel:+13605557788"]'
    header = soup.select_one("header.site-header")
    assert header.select_one(new_tel).get_text(" ", strip=True) == "Call us at (360) 555-7788"
    assert soup.select_one("footer.site-footer").select_one(new_tel).text == "(360) 555-7788"
    assert soup.select_one("nav.mobile-cta-bar").select_one(new_tel)
    assert "(360) 555-7788" in soup.select_one(".cta-panel").select_one(new_tel).text
    assert json_ld(soup)["telephone"] == "+13605557788"
    assert "555-0142" not in str(soup) and "+13605550142" not in str(soup)

    error_page = server_error(RequestFactory().get("/")).content.decode()
    assert "(360) 555-7788" in error_page
    assert 'href="tel:+13605557788"' in error_page


def test_no_template_contains_a_literal_phone_number():
    phone_like = re.compile(r"tel:\+?\d|\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b")
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if phone_like.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("page_name", ["home", "conditions", "sciatica", "team", "contact"])
def test_every_booking_link_carries_the_page_it_came_from(client, clinic, page_name):
    page = clinic[page_name]
    soup = soup_of(client.get(page.url))
    booking_links = soup.select('a[data-cta="book"]')
    assert len(booking_links) >= 3  # header, sticky bar, closing call to action
    assert {link["href"] for link in booking_links} == {f"/book/?from={page.pk}"}


def test_an_external_booking_system_is_linked_as_given(client, clinic):
    clinic_settings(booking_url="https://booking.example/harbor")
    soup = soup_of(client.get(clinic["sciatica"].url))
    assert {a["href"] for a in soup.select('a[data-cta="book"]')} == {
        "https://booking.example/harbor"
    }


def test_header_offers_a_tap_to_call_button_and_the_appointment_button(client, clinic):
    header = soup_of(client.get("/")).select_one("header.site-header")
    phone = header.select_one('a[data-cta="phone"]')
    assert "phone-link" in phone["class"] and phone["href"] == "tel:+13605550142"
    assert header.select_one('a[data-cta="book"]').text.strip() == "Request an appointment"


def test_sticky_bar_offers_call_and_book(client, clinic):
    bar = soup_of(client.get(clinic["team"].url)).select_one("nav.mobile-cta-bar")
    assert bar["aria-label"] == "Contact the clinic"
    call, book = bar.select("a")
    assert call["href"] == "tel:+13605550142"
    assert call.select_one(".visually-hidden").text == "Call (360) 555-0142"
    assert book["href"] == f"/book/?from={clinic['team'].pk}"


def test_without_a_phone_number_no_call_buttons_are_shown(client, clinic):
    clinic_settings(phone="")
    soup = soup_of(client.get("/"))
    assert soup.select('a[href^="tel:"]') == []
    assert soup.select('a[data-cta="book"]')


def test_free_guide_is_offered_once_a_guide_document_is_chosen(client, clinic):
    assert soup_of(client.get("/")).select('a[data-cta="guide"]') == []

    clinic_settings(
        free_guide=DocumentFactory(title="Back pain guide"),
        free_guide_title="Free Back Pain Tips Guide",
        free_guide_blurb="Seven things to try at home this week.",
    )
    soup = soup_of(client.get("/"))
    offer = soup.select_one("aside.guide-cta")
    assert offer.h2.text == "Free Back Pain Tips Guide"
    assert "Seven things to try at home this week." in offer.text
    home_pk = clinic["home"].pk
    assert offer.select_one('a[data-cta="guide"]')["href"] == f"/guide/?from={home_pk}"
    footer_link = soup.select_one('footer a[data-cta="guide"]')
    assert footer_link["href"] == f"/guide/?from={home_pk}"


def test_500_page_links_the_phone_for_tapping(db):
    clinic_settings(phone="+13605559876")
    html = server_error(RequestFactory().get("/")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one('a[href="tel:+13605559876"]').text == "(360) 555-9876"
    assert len(soup.find_all("h1")) == 1
