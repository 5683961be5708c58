"""The front desk works a new request in the admin: note, schedule, the patient's .ics."""

import datetime
import re

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import AppointmentRequest
from clinic.models import Location
from tests.e2e.pages import sign_in
from tests.factories import AppointmentRequestFactory

PASSWORD = "a-long-front-desk-passphrase"


def run_outbox_worker():
    """Send the queued emails, as `manage.py db_worker` does in production."""
    call_command(
        "db_worker",
        *("--batch", "--queue-name", "*", "--backend", "outbox", "--interval", "0"),
        *("--no-startup-delay", "--no-reload"),
        verbosity=0,
    )


def next_weekday_morning(days_ahead=7):
    """10:00 on a weekday about a week ahead, when the demo clinic is open."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(10, 0))


def test_front_desk_notes_and_schedules_a_new_request_and_the_patient_gets_an_ics(
    demo_site, desktop, django_user_model
):
    front_desk = django_user_model.objects.create_user("jamie", "jamie@harborpt.example", PASSWORD)
    front_desk.groups.add(Group.objects.get(name="Front desk"))
    request = AppointmentRequestFactory(first_name="Olivia", email="olivia@example.com")
    location = Location.objects.first()
    new_requests = AppointmentRequest.objects.new().count()
    mail.outbox.clear()

    sign_in(desktop, "jamie", PASSWORD)

    counter = desktop.get_by_role("link", name=re.compile(r"\d+ new appointment request"))
    expect(counter).to_contain_text(f"{new_requests} new appointment request")
    counter.click()
    desktop.get_by_role("link", name=request.reference).click()
    expect(desktop.get_by_text("Olivia Martin").first).to_be_visible()

    desktop.get_by_label("Staff notes").fill("Prefers mornings. Called back, left a message.")
    desktop.get_by_role("button", name="Save notes").click()
    expect(desktop.get_by_text("Notes saved.")).to_be_visible()

    desktop.get_by_role("button", name="Mark contacted").click()
    expect(desktop.get_by_text(f"{request.reference} is now contacted.")).to_be_visible()

    at = next_weekday_morning()
    desktop.get_by_label("Date and time").fill(at.strftime("%Y-%m-%d %H:%M"))
    desktop.get_by_label("Date and time").press("Escape")
    desktop.get_by_label("Location").select_option(label=location.name)
    desktop.get_by_role("button", name="Schedule and email the patient").click()
    expect(desktop.get_by_text(f"{request.reference} is scheduled")).to_be_visible()

    request.refresh_from_db()
    assert request.status == AppointmentRequest.Status.SCHEDULED
    assert request.staff_notes == "Prefers mornings. Called back, left a message."
    assert timezone.localtime(request.appointment_at).replace(tzinfo=None) == at
    run_outbox_worker()
    to_patient = [message for message in mail.outbox if message.to == ["olivia@example.com"]]
    calendars = [
        part
        for message in to_patient
        for part in message.attachments
        if part.get_filename().endswith(".ics")
    ]
    assert len(calendars) == 1
    assert calendars[0].get_content_type() == "text/calendar"
    content = calendars[0].get_payload(decode=True).decode()
    assert "BEGIN:VEVENT" in content and at.strftime("%Y%m%dT%H%M") in content
