"""A patient reads an article, finds another through the header's search despite two typos,
and asks for an appointment from it: too quickly at first, so the form comes back with
every answer.

Run on a phone (390 px) and a desktop (1280 px). Any console error, page error or request
to another site fails the journey. Screenshots of each step: test-artifacts/screenshots/.
"""

import datetime
import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import BlogPostPage
from booking.models import AppointmentRequest
from tests.e2e.checks import SIZES, assert_accessible, screenshot, size_of

# Two typos: search shows the results for the nearest words of the site's titles.
QUERY = "sittng sciatca"
SEARCHED_TITLE = "Sitting With Sciatica"
# Longer than production's 3 s, so that "too soon" stays too soon however slowly a busy
# machine fills in the form; the patient sends at 2 s, then again once it has passed.
TIME_TRAP_SECONDS = 15


def watch(page):
    """Console errors, page errors and requests that leave the site, as they happen."""
    problems = []

    def on_request(request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host not in {"localhost", "127.0.0.1"}:
            problems.append(f"third-party request: {request.url}")

    refused = set()  # the form's own refusal answers 400, as the journey expects

    def on_console(message):
        own_status = message.text.startswith("Failed to load resource") and (
            message.location.get("url") in refused
        )
        if message.type == "error" and not own_status:
            problems.append(f"console: {message.text}")

    def on_response(response):
        request = response.request
        if (
            request.is_navigation_request()
            and request.method == "POST"
            and response.status == 400
            and urlsplit(response.url).path == "/book/"
        ):
            refused.add(response.url)

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", on_request)
    return problems


def open_menu(page):
    """On a phone the menu is behind its button; on a desktop it is always shown."""
    if size_of(page) == "phone":
        page.get_by_role("banner").get_by_text("Menu", exact=True).click()
    return page.get_by_role("navigation", name="Main")


def seconds_since(moment):
    return (timezone.now() - moment).total_seconds()


def next_weekday(weekday):
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7)


@pytest.fixture
def slow_enough(settings):
    """The time trap: a form sent sooner after it was first shown is not accepted."""
    settings.BOOKING_FORM_MIN_SECONDS = TIME_TRAP_SECONDS
    return settings


def test_patient_reads_searches_and_books_and_never_loses_an_answer(demo_site, page, slow_enough):
    problems = watch(page)
    searched = BlogPostPage.objects.live().get(title__startswith=SEARCHED_TITLE)
    before = AppointmentRequest.objects.count()

    # The first view of each page makes its image renditions (AVIF encoding takes seconds
    # on a busy machine), a cost each page pays once, not what patients wait for.
    page.set_default_timeout(60_000)
    page.goto("/")
    open_menu(page).get_by_role("link", name="Articles").click()
    page.get_by_role("link", name=re.compile(r"^Strength Training")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strength Training")
    screenshot(page, "journey-1-article")

    menu = open_menu(page)
    expect(menu.get_by_role("link")).to_have_count(6)
    for link in menu.get_by_role("link").all():
        expect(link).to_be_visible()  # every item, none hidden in a scroller
    screenshot(page, "journey-2-menu")
    if size_of(page) == "phone":
        assert_accessible(page, "journey-2-menu")
    search = page.get_by_role("search").filter(visible=True)
    search.get_by_role("searchbox").fill(QUERY)
    search.get_by_role("button", name="Search").click()
    page.wait_for_url(f"**/search/?{urlencode({'q': QUERY})}")
    expect(page.get_by_text("Showing results for")).to_contain_text("sitting sciatica")
    first_result = page.get_by_role("main").get_by_role("link", name=re.compile(SEARCHED_TITLE))
    screenshot(page, "journey-3-search")
    assert_accessible(page, "journey-3-search")
    first_result.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(searched.title)

    book = page.get_by_role("link", name="Request an appointment").filter(visible=True)
    book.last.click()
    expect(page).to_have_url(re.compile(rf"/book/\?from={searched.pk}$"))
    opened = timezone.now()
    saturday, monday = next_weekday(5), next_weekday(0)
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Avery")
    page.get_by_label("No, I'm a new patient").check()
    page.get_by_label("Phone number").fill("(360) 555-0123")
    first_choice = page.get_by_role("group", name="Choice 1")
    first_choice.get_by_label("Date").fill(saturday.isoformat())
    note = first_choice.locator(".booking-slot__note")
    expect(note).to_contain_text("is closed on Saturday")  # before Send, in the browser
    first_choice.get_by_label("Date").fill(monday.isoformat())
    first_choice.get_by_label("Time of day").select_option("morning")
    expect(note).to_have_text("")
    page.get_by_label("I agree that the clinic may contact me").check()
    page.wait_for_timeout(max(0, 2000 - seconds_since(opened) * 1000))
    assert seconds_since(opened) < TIME_TRAP_SECONDS - 1, "filling in took too long to test"

    page.get_by_role("button", name="Send my request").click()  # too quick
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_have_text(
        "Please check your answers and press Send again."
    )
    expect(page.get_by_label("First name")).to_have_value("Jordan")
    expect(page.get_by_label("Last name")).to_have_value("Avery")
    expect(page.get_by_label("Phone number")).to_have_value("(360) 555-0123")
    expect(page.get_by_label("No, I'm a new patient")).to_be_checked()
    expect(first_choice.get_by_label("Date")).to_have_value(monday.isoformat())
    expect(first_choice.get_by_label("Time of day")).to_have_value("morning")
    expect(page.get_by_label("I agree that the clinic may contact me")).to_be_checked()
    assert AppointmentRequest.objects.count() == before
    screenshot(page, "journey-4-send-again")
    assert_accessible(page, "journey-4-send-again")

    # Reading the sentence and checking the answers, until the time trap has passed.
    page.wait_for_timeout(max(0, (TIME_TRAP_SECONDS + 0.5 - seconds_since(opened)) * 1000))
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url("**/book/received/**")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your request")
    appointment_request = AppointmentRequest.objects.latest("created_at")
    expect(page.get_by_text(appointment_request.reference, exact=True)).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"^Book\b|Request an appointment"))
    ).to_have_count(0)
    screenshot(page, "journey-5-confirmation")
    assert AppointmentRequest.objects.count() == before + 1
    assert appointment_request.source_page_id == searched.pk
    assert [(t.date, t.window) for t in appointment_request.preferred_times.all()] == [
        (monday, "morning")
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_header_search_works_without_javascript(browser, demo_site, size):
    """The menu (a <details>) opens and the search form sends with scripts off."""
    context = browser.new_context(base_url=demo_site.url, java_script_enabled=False, **SIZES[size])
    context.set_default_timeout(60_000)
    page = context.new_page()
    problems = watch(page)
    try:
        page.goto("/")
        open_menu(page)
        search = page.get_by_role("search").filter(visible=True)
        search.get_by_role("searchbox").fill(QUERY)
        search.get_by_role("button", name="Search").click()
        page.wait_for_url(f"**/search/?{urlencode({'q': QUERY})}")
        expect(
            page.get_by_role("main").get_by_role("link", name=re.compile(SEARCHED_TITLE))
        ).to_be_visible()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
