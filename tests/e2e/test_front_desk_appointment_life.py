"""A new front-desk person works an appointment's whole life in the real Wagtail admin:
opens a new request from the dashboard, picks the date and time by clicking Wagtail's
picker, schedules; reschedules by typing a time the way staff type it; cancels; then offers
the freed time to a waitlisted patient with one click.

Run on a phone (390 px) and a desktop (1280 px). Any console or page error fails the
journey. Screenshots of each step: test-artifacts/screenshots/front-desk-*.png.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import AppointmentRequest
from tests.e2e.checks import screenshot, size_of
from tests.e2e.pages import sign_in
from tests.factories import AppointmentRequestFactory, LocationFactory, clinic_settings

PASSWORD = "a-long-front-desk-passphrase"
Status = AppointmentRequest.Status


def weekday(days_ahead):
    """The first weekday at least days_ahead from today (the clinic is open Mon-Fri)."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def watch(page):
    """Console errors and page errors, as they happen."""
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def choose_hour(page, picker, hour):
    """Scroll the picker's hour list with the mouse wheel, as a person does, until the hour
    shows: the list opens at the current time, and its own scroller hides the rest."""
    box = picker.locator(".xdsoft_timepicker .xdsoft_time_box")
    slot = picker.locator(f'.xdsoft_time[data-hour="{hour}"][data-minute="0"]')
    for _ in range(40):
        shown, wanted = box.bounding_box(), slot.bounding_box()
        if (
            shown["y"] <= wanted["y"]
            and wanted["y"] + wanted["height"] <= shown["y"] + shown["height"]
        ):
            break
        box.hover()
        page.mouse.wheel(0, 60 if wanted["y"] > shown["y"] else -60)
    slot.click()


def pick_with_the_picker(page, field, day, hour):
    """Choose a day, then an hour, by clicking Wagtail's date-time picker as a person does."""
    field.click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_be_visible()
    today = timezone.localdate()
    for _ in range((day.year - today.year) * 12 + day.month - today.month):
        picker.locator(".xdsoft_next").first.click()
    picker.locator(
        f'.xdsoft_date[data-date="{day.day}"][data-month="{day.month - 1}"][data-year="{day.year}"]'
    ).click()
    if not picker.is_visible():  # Wagtail closes it once a day is chosen
        field.click()
    choose_hour(page, picker, hour)
    expect(field).to_have_value(f"{day:%Y-%m-%d} {hour:02d}:00")


@pytest.fixture
def front_desk_day(live, django_user_model):
    """The clinic, Jamie of the front desk, Olivia's new request and Noah on the waitlist."""
    clinic_settings(phone="+13605550142")
    user = django_user_model.objects.create_user("jamie", "jamie@harborpt.example", PASSWORD)
    user.groups.add(Group.objects.get(name="Front desk"))
    location = LocationFactory(name="Downtown")
    olivia = AppointmentRequestFactory(
        first_name="Olivia", email="olivia@example.com", location=location
    )
    moved_to = local(weekday(5), 10, 30)
    noah = AppointmentRequestFactory(
        first_name="Noah",
        last_name="Kim",
        email="noah@example.com",
        phone="+13605550199",
        preferred_contact="text",
        location=location,
        wants_earlier=True,
        status=Status.CONTACTED,
    )
    noah.preferred_times.create(date=moved_to.date(), window="morning")
    return olivia, noah, moved_to


def test_front_desk_schedules_reschedules_cancels_and_offers_the_freed_time(front_desk_day, page):
    olivia, noah, moved_to = front_desk_day
    problems = watch(page)
    size = size_of(page)

    sign_in(page, "jamie", PASSWORD)
    page.get_by_role("link", name=re.compile(r"\d+ new appointment request")).click()
    expect(page.get_by_role("link", name=olivia.reference)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=olivia.reference)
    expect(row.locator(".fd-status--new")).to_have_text("New")
    screenshot(page, "front-desk-inbox")
    page.get_by_role("link", name=olivia.reference).click()

    # Schedule: the day and the hour clicked in the picker.
    first_day = weekday(2)
    pick_with_the_picker(page, page.get_by_label("Date and time"), first_day, 9)
    screenshot(page, "front-desk-picked")
    page.get_by_role("button", name="Schedule and email the patient").click()
    expect(page.get_by_text(f"Olivia Martin ({olivia.reference}) is scheduled for")).to_be_visible()
    olivia.refresh_from_db()
    assert (olivia.status, olivia.appointment_at) == (Status.SCHEDULED, local(first_day, 9))

    # Reschedule: typed as staff type it, month first, 12-hour clock, lower-case am.
    typed = f"{moved_to.month}/{moved_to.day}/{moved_to.year} 10:30 am"
    field = page.get_by_label("Date and time")
    field.fill(typed)
    field.press("Tab")  # leaving the field keeps what was typed
    expect(field).to_have_value(typed)
    page.get_by_role("button", name="Reschedule and email the patient").click()
    expect(page.get_by_text(f"Olivia Martin ({olivia.reference}) is scheduled for")).to_be_visible()
    olivia.refresh_from_db()
    assert olivia.appointment_at == moved_to
    expect(page.get_by_text("Rescheduled (")).to_be_visible()

    page.get_by_role("button", name="Cancel appointment").click()
    cancelled = f"Olivia Martin ({olivia.reference}) is now cancelled."
    expect(page.get_by_text(cancelled)).to_be_visible()
    offer = page.get_by_role("button", name="Offer this time to Noah Kim")
    expect(offer).to_be_visible()
    offer.scroll_into_view_if_needed()
    screenshot(page, "front-desk-cancelled")

    # The freed 10:30: offered with one click, from the request page on the phone and
    # from the dashboard on the desktop.
    if size == "desktop":
        page.goto("/admin/")
        offer = page.get_by_role("button", name="Offer this time to Noah Kim")
        expect(page.get_by_text("Free: ")).to_be_visible()
        screenshot(page, "front-desk-dashboard")
    offer.click()
    expect(page.get_by_text(f"Noah Kim ({noah.reference}) is scheduled for")).to_be_visible()
    screenshot(page, "front-desk-offered")
    noah.refresh_from_db()
    assert (noah.status, noah.appointment_at) == (Status.SCHEDULED, moved_to)
    assert problems == []
