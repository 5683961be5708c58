"""A patient opens the link in their confirmation email, confirms, then cancels.

Run on a phone (390 px) and a desktop (1280 px). Any console error, page error or request
to another site fails the journey. Screenshots of each step: test-artifacts/screenshots/.
"""

import datetime
import re

from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking import workflow
from booking.models import AppointmentRequest
from clinic.models import Location
from tests.e2e.checks import assert_accessible, screenshot
from tests.e2e.test_front_desk import run_outbox_worker
from tests.e2e.test_patient_reads_searches_and_books import watch
from tests.factories import AppointmentRequestFactory, clinic_settings

LINK = re.compile(r"https?://\S+(/appointment/[^/\s]+/)")


def next_tuesday_ten_am():
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_patient_confirms_then_cancels_from_the_link_in_the_email(
    demo_site, page, django_user_model
):
    problems = watch(page)
    clinic_settings(phone="+13605550142")
    location = Location.objects.first()
    front_desk = django_user_model.objects.create_user("jamie", "jamie@harborpt.example", "x" * 16)
    front_desk.groups.add(Group.objects.get(name="Front desk"))
    appointment_request = AppointmentRequestFactory(
        first_name="Olivia", email="olivia@example.com", location=location
    )
    at = next_tuesday_ten_am()
    mail.outbox.clear()
    workflow.schedule(appointment_request, at=at, location=location, by=front_desk)
    run_outbox_worker()

    confirmation = next(m for m in mail.outbox if m.to == ["olivia@example.com"])
    path = LINK.search(confirmation.body).group(1)
    page.goto(path)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment, Olivia")
    details = page.locator(".appointment-details")
    expect(details).to_contain_text(f"{at:%A, %B} {at.day}, {at.year} at 10:00 AM {at:%Z}")
    expect(details).to_contain_text(location.street_address)
    call = page.get_by_role("main").get_by_role("link", name="(360) 555-0142")
    expect(call).to_have_attribute("href", "tel:+13605550142")
    screenshot(page, "patient-link-1-appointment")
    assert_accessible(page, "patient-link-1-appointment")

    page.get_by_role("button", name="Yes, I'll be there").click()
    expect(page.get_by_role("status")).to_contain_text("your appointment is confirmed")
    expect(page.get_by_text("You confirmed this appointment.")).to_be_visible()
    appointment_request.refresh_from_db()
    assert appointment_request.patient_answer == "confirmed"
    assert appointment_request.status == AppointmentRequest.Status.SCHEDULED
    screenshot(page, "patient-link-2-confirmed")

    page.get_by_text("Cancel this appointment", exact=True).click()
    page.get_by_role("button", name="Yes, cancel my appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is cancelled")
    expect(page.get_by_role("status")).to_contain_text("Your appointment is cancelled.")
    expect(page.get_by_role("button", name="Yes, cancel my appointment")).to_have_count(0)
    appointment_request.refresh_from_db()
    assert appointment_request.status == AppointmentRequest.Status.CANCELLED
    assert appointment_request.cancelled_by == "patient"
    screenshot(page, "patient-link-3-cancelled")
    assert_accessible(page, "patient-link-3-cancelled")
    assert not problems, "\n".join(problems)

    # The first email's link names an appointment that has changed since (its 410 and
    # the console's note of it are expected from here on).
    response = page.goto(path)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    expect(page.get_by_role("main").get_by_role("link", name="(360) 555-0142")).to_be_visible()
