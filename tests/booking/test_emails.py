"""The patient's emails across an appointment's life, their .ics files (read by icalendar
and by ical.js), the reminder, and the front desk's notice of a patient's answer."""

import datetime
import io
import json
import re
import shutil
import subprocess
import zoneinfo
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from booking import patient_link, workflow
from booking.calendar import appointment_ics
from booking.models import AppointmentRequest, Notification
from booking.tasks import deliver_notification, send_reminders
from tests.factories import AppointmentRequestFactory

pytestmark = pytest.mark.django_db

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
Kind = Notification.Kind
Status = AppointmentRequest.Status
ICS_READER = Path(__file__).with_name("ics_read.mjs")
REASON = "Lower back pain when sitting"
NOTES = "Knee surgery in May; prefers the ground-floor room"
PATIENT_NOTE = "My sciatica flares in the mornings"


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LA)


def in_days(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def front_desk_user(django_user_model):
    return django_user_model.objects.create_user("frontdesk", "fd@harborpt.example", "x" * 16)


@pytest.fixture
def patient(location):
    return AppointmentRequestFactory(
        status=Status.CONTACTED, location=location, staff_notes=NOTES, patient_note=PATIENT_NOTE
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Make a move, then let the worker send what it queued; the new messages."""

    def run(make_move):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            moved = make_move()
        for notification in Notification.objects.filter(status="pending"):
            deliver_notification.call(notification.pk)
        return moved, mail.outbox[before:]

    return run


def calendar_of(message):
    """The .ics part of a message: its Content-Type header and the parsed calendar."""
    [part] = [
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    ]
    return part["Content-Type"], Calendar.from_ical(part.get_payload(decode=True))


def read_with_ical_js(ics):
    if shutil.which("node") is None or not (Path("node_modules") / "ical.js").exists():
        pytest.skip("node and the ical.js package (npm ci) read the .ics as web calendars do")
    result = subprocess.run(
        ["node", str(ICS_READER)], input=ics, capture_output=True, check=True, timeout=30
    )
    return json.loads(result.stdout)


def assert_minimum_necessary(message, appointment_request):
    body = message.body + message.subject
    _, calendar = calendar_of(message)
    ics = calendar.to_ical().decode()
    for text in (body, ics):
        for secret in (REASON, NOTES, PATIENT_NOTE, "sciatica", "knee", "back pain"):
            assert secret.lower() not in text.lower()
        assert appointment_request.last_name not in text
        assert appointment_request.phone.as_national not in text
    assert "Olivia" in body
    assert "Downtown, 1 Main Street, Olympia, WA 98501" in body
    assert "(360) 555-0142" in body, "the clinic's phone"
    assert patient_link.read(link_token(message)) == appointment_request, "the patient's link"


def link_token(message):
    [token] = re.findall(r"https://www\.harborpt\.example/appointment/(\S+)/", message.body)
    return token


# The life of an appointment, email by email ---------------------------------------------


def test_each_change_sends_one_email_whose_calendar_event_follows_it(
    patient, location, clinic, front_desk_user, send
):
    scheduled, [confirmation] = send(
        lambda: workflow.schedule(
            patient, at=at(2027, 7, 14, 14), location=location, by=front_desk_user
        )
    )
    assert_minimum_necessary(confirmation, scheduled)
    rescheduled, [update] = send(
        lambda: workflow.reschedule(scheduled, at=at(2027, 7, 15, 9, 30), by=front_desk_user)
    )
    assert_minimum_necessary(update, rescheduled)
    with pytest.raises(patient_link.LinkExpired):  # an older email's link gives way
        patient_link.read(link_token(confirmation))
    cancelled, [cancellation] = send(lambda: workflow.cancel(rescheduled, by=front_desk_user))
    assert_minimum_necessary(cancellation, cancelled)

    assert (
        confirmation.subject
        == f"Your appointment at Harbor Physical Therapy is booked ({patient.reference})"
    )
    assert "Wednesday, July 14, 2027 at 2:00 p.m. PDT (60 minutes)" in confirmation.body
    assert "has a new time" in update.body
    assert "Thursday, July 15, 2027 at 9:30 a.m. PDT" in update.body
    assert "we have had to cancel" in cancellation.body

    expected = [
        (confirmation, "REQUEST", 1, at(2027, 7, 14, 14)),
        (update, "REQUEST", 2, at(2027, 7, 15, 9, 30)),
        (cancellation, "CANCEL", 3, at(2027, 7, 15, 9, 30)),
    ]
    for message, method, sequence, start in expected:
        assert message.to == ["olivia@example.com"]
        content_type, calendar = calendar_of(message)
        assert content_type.lower().count("charset") == 1, content_type
        assert f"method={method}".lower() in content_type.lower().replace('"', "")
        assert calendar["method"] == method
        [event] = calendar.walk("VEVENT")
        assert event["uid"] == f"{patient.pk}@www.harborpt.example"
        assert event["sequence"] == sequence
        assert event.decoded("dtstart") == start
        assert (event["status"] == "CANCELLED") == (method == "CANCEL")
        read = read_with_ical_js(calendar.to_ical())
        assert read["method"] == method
        assert read["events"] == [
            {
                "uid": f"{patient.pk}@www.harborpt.example",
                "sequence": sequence,
                "start": start.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": (start + datetime.timedelta(hours=1))
                .astimezone(datetime.UTC)
                .strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        ]


def test_a_july_2pm_appointment_is_9pm_utc_in_both_parsers(clinic, location):
    appointment_request = AppointmentRequestFactory(
        status=Status.SCHEDULED, appointment_at=at(2026, 7, 14, 14), location=location
    )
    ics = appointment_ics(appointment_request, clinic)
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart").astimezone(datetime.UTC) == datetime.datetime(
        2026, 7, 14, 21, tzinfo=datetime.UTC
    )
    assert read_with_ical_js(ics)["events"][0]["start"] == "2026-07-14T21:00:00Z"
    timezone_part = Calendar.from_ical(ics).walk("VTIMEZONE")[0]
    for observance in timezone_part.subcomponents:
        assert "RDATE" not in observance, "one part per change of offset, no RDATE lists"


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        (at(2026, 3, 6, 9), "2026-03-06T17:00:00Z"),  # Friday before spring forward: PST
        (at(2026, 3, 9, 9), "2026-03-09T16:00:00Z"),  # Monday after: PDT
        (at(2026, 3, 8, 3, 30), "2026-03-08T10:30:00Z"),  # the morning clocks go forward
        (at(2026, 10, 30, 9), "2026-10-30T16:00:00Z"),  # Friday before fall back: PDT
        (at(2026, 11, 1, 0, 30), "2026-11-01T07:30:00Z"),  # the night clocks go back
        (at(2026, 11, 2, 9), "2026-11-02T17:00:00Z"),  # Monday after: PST
    ],
)
def test_daylight_saving_changes_read_the_same_in_both_parsers(clinic, location, local, utc):
    appointment_request = AppointmentRequestFactory(
        status=Status.SCHEDULED, appointment_at=local, location=location
    )
    ics = appointment_ics(appointment_request, clinic)
    assert f"DTSTART;TZID=America/Los_Angeles:{local:%Y%m%dT%H%M}00" in ics.decode()
    start = Calendar.from_ical(ics).walk("VEVENT")[0].decoded("dtstart")
    assert start.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") == utc
    assert read_with_ical_js(ics)["events"][0]["start"] == utc


def test_a_patient_who_cancels_gets_the_calendar_cancel_and_the_front_desk_a_notice(
    patient, location, clinic, front_desk_user, send, settings
):
    scheduled, _ = send(
        lambda: workflow.schedule(patient, at=in_days(5), location=location, by=front_desk_user)
    )
    cancelled, messages = send(lambda: workflow.cancel(scheduled, by_patient=True))

    to_patient = next(m for m in messages if m.to == ["olivia@example.com"])
    notice = next(m for m in messages if m.to == [settings.CLINIC_NOTIFY_EMAIL])
    assert "As you asked, this appointment is cancelled." in to_patient.body
    assert calendar_of(to_patient)[1]["method"] == "CANCEL"
    assert_minimum_necessary(to_patient, cancelled)
    assert notice.subject == f"Patient answered: cancelled ({patient.reference})"
    assert f"/admin/appointment-requests/inspect/{patient.pk}/" in notice.body
    for private in ("Olivia", "Martin", "olivia@example.com", "555-0187", "sciatica", "Knee"):
        assert private not in notice.body


@pytest.mark.parametrize("answer", ["confirm", "another_time"])
def test_the_front_desk_hears_a_patients_answer_without_health_data(
    patient, location, clinic, front_desk_user, send, settings, answer
):
    scheduled, _ = send(
        lambda: workflow.schedule(patient, at=in_days(5), location=location, by=front_desk_user)
    )
    if answer == "confirm":
        _, messages = send(lambda: workflow.confirm_by_patient(scheduled))
        assert [m.to for m in messages] == [[settings.CLINIC_NOTIFY_EMAIL]], (
            "nothing to the patient"
        )
    else:
        _, messages = send(
            lambda: workflow.ask_for_another_time(
                scheduled, note=PATIENT_NOTE, windows=[(in_days(8).date(), "afternoon")]
            )
        )
        released = next(m for m in messages if m.to == ["olivia@example.com"])
        assert "the front desk will contact you to find another time" in released.body
        assert calendar_of(released)[1]["method"] == "CANCEL"
    notice = next(m for m in messages if m.to == [settings.CLINIC_NOTIFY_EMAIL])
    assert patient.reference in notice.subject
    for text in (notice.body, notice.subject):
        assert "sciatica" not in text.lower() and "Olivia" not in text


def test_only_the_latest_email_goes_when_changes_come_before_the_worker(
    patient, location, clinic, front_desk_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        scheduled = workflow.schedule(patient, at=in_days(5), location=location, by=front_desk_user)
        workflow.reschedule(scheduled, at=in_days(6), by=front_desk_user)
    for notification in Notification.objects.order_by("pk"):
        deliver_notification.call(notification.pk)

    assert [m.subject.split(" at ")[0] for m in mail.outbox] == ["Your appointment"]
    assert "has a new time" in mail.outbox[0].body
    statuses = dict(Notification.objects.values_list("kind", "status"))
    assert statuses == {
        Kind.APPOINTMENT_SCHEDULED: "superseded",
        Kind.APPOINTMENT_RESCHEDULED: "sent",
    }


def test_the_request_received_email_carries_the_patients_link(client, clinic, location, send):
    from tests.booking.conftest import submit

    _, messages = send(lambda: submit(client))
    to_patient = next(m for m in messages if m.to == ["olivia@example.com"])
    assert patient_link.read(link_token(to_patient)) == AppointmentRequest.objects.get()
    assert REASON not in to_patient.body


# Reminders ------------------------------------------------------------------------------


def reminders_sent():
    return [m for m in mail.outbox if m.subject.startswith("Reminder:")]


def sweep(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.send_due_reminders(now=now)
    for notification in Notification.objects.filter(status="pending"):
        deliver_notification.call(notification.pk)


def test_the_reminder_goes_the_set_hours_before_and_only_once(
    patient, location, clinic, front_desk_user, settings, django_capture_on_commit_callbacks
):
    settings.BOOKING_REMINDER_HOURS = 48
    visit = in_days(6)
    scheduled = workflow.schedule(patient, at=visit, location=location, by=front_desk_user)
    assert scheduled.reminder_due_at == visit - datetime.timedelta(hours=48)

    sweep(visit - datetime.timedelta(hours=49), django_capture_on_commit_callbacks)
    assert reminders_sent() == []
    sweep(visit - datetime.timedelta(hours=47), django_capture_on_commit_callbacks)
    sweep(visit - datetime.timedelta(hours=46), django_capture_on_commit_callbacks)

    [reminder] = reminders_sent()
    assert reminder.to == ["olivia@example.com"]
    assert calendar_of(reminder)[1]["method"] == "REQUEST"
    assert_minimum_necessary(reminder, AppointmentRequest.objects.get(pk=patient.pk))


def test_no_reminder_after_a_cancel(
    patient, location, clinic, front_desk_user, django_capture_on_commit_callbacks
):
    visit = in_days(6)
    scheduled = workflow.schedule(patient, at=visit, location=location, by=front_desk_user)
    cancelled = workflow.cancel(scheduled, by=front_desk_user)
    assert cancelled.reminder_due_at is None
    sweep(visit - datetime.timedelta(hours=1), django_capture_on_commit_callbacks)
    assert reminders_sent() == []


def test_a_moved_appointment_is_reminded_of_its_new_time_only(
    patient, location, clinic, front_desk_user, django_capture_on_commit_callbacks
):
    first, second = in_days(5), in_days(8)
    scheduled = workflow.schedule(patient, at=first, location=location, by=front_desk_user)
    moved = workflow.reschedule(scheduled, at=second, by=front_desk_user)
    assert moved.reminder_due_at == second - datetime.timedelta(hours=24)

    sweep(first - datetime.timedelta(hours=2), django_capture_on_commit_callbacks)
    assert reminders_sent() == [], "nothing at the old time"
    sweep(second - datetime.timedelta(hours=2), django_capture_on_commit_callbacks)
    [reminder] = reminders_sent()
    assert second.strftime("%B %-d") in reminder.subject


def test_a_reminder_queued_before_a_cancel_is_not_sent(
    patient, location, clinic, front_desk_user, django_capture_on_commit_callbacks
):
    visit = in_days(5)
    scheduled = workflow.schedule(patient, at=visit, location=location, by=front_desk_user)
    workflow.send_due_reminders(now=visit - datetime.timedelta(hours=2))  # queued, not sent
    workflow.cancel(scheduled, by=front_desk_user)
    reminder = Notification.objects.get(kind=Kind.REMINDER)

    deliver_notification.call(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == "superseded"
    assert reminders_sent() == []


def test_the_worker_sweeps_for_reminders_and_books_its_next_sweep():
    call_command("send_reminders", "--schedule", stdout=io.StringIO())
    call_command("send_reminders", "--schedule", stdout=io.StringIO())
    waiting = DBTaskResult.objects.filter(task_path=send_reminders.module_path, status="READY")
    assert waiting.count() == 1, "queued once, however often the worker starts"
    send_reminders.call()
    assert waiting.count() == 2, "the sweep books the next one"
    assert max(waiting.values_list("run_after", flat=True)) > timezone.now()


# The patient's link ---------------------------------------------------------------------


def test_the_patients_link_holds_until_the_visit_ends_and_refuses_tampering(location):
    appointment_request = AppointmentRequestFactory(
        status=Status.SCHEDULED, appointment_at=in_days(3), location=location
    )
    token = patient_link.token_for(appointment_request)
    assert patient_link.read(token) == appointment_request
    ends = appointment_request.appointment_ends_at
    assert patient_link.read(token, now=ends - datetime.timedelta(minutes=1))
    with pytest.raises(patient_link.LinkExpired):
        patient_link.read(token, now=ends)
    for forged in (token[:-3] + "abc", "not-a-link", token.replace(token[:8], "eyJyIjo5")):
        with pytest.raises(patient_link.LinkInvalid):
            patient_link.read(forged)
