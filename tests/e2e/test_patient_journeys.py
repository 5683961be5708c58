"""Patients on their phones: one tap to call the clinic, one tap to the request form."""

import re

from playwright.sync_api import expect

from tests.e2e.checks import SIZES, label_not_in_name
from tests.factories import clinic_settings

MIN_TAP_TARGET_PX = 44


def contact_bar_link(page, word):
    """The Call or Book button of the bar phones show at the bottom, by the word it shows."""
    bar = page.get_by_role("navigation", name="Contact the clinic")
    return bar.get_by_role("link").filter(has_text=word)


def test_patient_on_a_phone_calls_the_clinic_with_one_tap_from_the_home_page(live, phone):
    clinic_settings(phone="+13605550199")

    phone.goto("/")

    call = contact_bar_link(phone, "Call")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:+13605550199")
    box = call.bounding_box()
    assert box["height"] >= MIN_TAP_TARGET_PX and box["width"] >= MIN_TAP_TARGET_PX
    viewport_height = SIZES["phone"]["viewport"]["height"]
    assert box["y"] + box["height"] <= viewport_height, "Call is on screen without scrolling"
    expect(
        phone.get_by_role("banner").get_by_role("link", name="(360) 555-0199")
    ).to_have_attribute("href", "tel:+13605550199")


def test_call_and_book_stay_on_screen_while_a_patient_scrolls_on_a_phone(demo_site, phone):
    phone.goto("/")
    phone.mouse.wheel(0, 5000)
    phone.wait_for_function("() => window.scrollY > 0")

    expect(contact_bar_link(phone, "Call")).to_be_in_viewport()
    expect(contact_bar_link(phone, "Book")).to_be_in_viewport()


def test_patient_on_a_phone_taps_book_and_reaches_the_request_form(demo_site, phone, home_page):
    phone.goto("/")

    contact_bar_link(phone, "Book").tap()

    expect(phone).to_have_url(re.compile(rf"/book/\?from={home_page.pk}$"))
    expect(phone.get_by_role("heading", level=1)).to_be_visible()


def test_desktop_visitors_get_the_calls_to_action_in_the_header_instead(demo_site, desktop):
    desktop.goto("/")

    expect(desktop.get_by_role("navigation", name="Contact the clinic")).to_be_hidden()
    header = desktop.get_by_role("banner")
    expect(header.get_by_role("link", name="Request an appointment")).to_be_visible()
    expect(header.get_by_role("link", name=re.compile(r"Call us at"))).to_be_visible()


def test_voice_control_users_can_say_the_words_call_and_book_show(live, phone):
    clinic_settings(phone="+13605550199")
    phone.goto("/")

    problems = [label_not_in_name(contact_bar_link(phone, word)) for word in ("Call", "Book")]

    assert problems == [None, None]
