"""The front desk's inbox in the Wagtail admin: listing, request page, status moves, .ics."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from booking import moves, workflow
from booking.calendar import appointment_ics
from booking.hours import business_hours_between
from booking.models import AppointmentRequest, Notification, SpreadsheetExport
from booking.tasks import deliver_notification
from tests.factories import AppointmentRequestFactory, LocationFactory

pytestmark = pytest.mark.django_db

Status = AppointmentRequest.Status
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture
def front_desk_user(django_user_model):
    user = django_user_model.objects.create_user("frontdesk", "fd@harborpt.example", "x" * 16)
    user.groups.add(Group.objects.get(name="Front desk"))
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("therapist", "pt@harborpt.example", "x" * 16)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def front_desk(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LA)


# Scheduling ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "where", "field"), [(None, True, "appointment_at"), (True, None, "location")]
)
def test_scheduling_requires_a_date_time_and_location(
    front_desk_user, location, when, where, field
):
    appointment_request = AppointmentRequestFactory(status=Status.CONTACTED)
    with pytest.raises(ValidationError) as error:
        workflow.schedule(
            appointment_request,
            at=at(2026, 3, 9, 9) if when else None,
            location=location if where else None,
            by=front_desk_user,
        )
    assert field in error.value.message_dict
    appointment_request.refresh_from_db()
    assert appointment_request.status == Status.CONTACTED


def test_scheduling_emails_the_patient_a_confirmation_with_a_calendar_file(
    front_desk_user, clinic, location, django_capture_on_commit_callbacks
):
    appointment_request = AppointmentRequestFactory(status=Status.CONTACTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule(
            appointment_request,
            at=at(2026, 3, 9, 9, 30),
            location=location,
            by=front_desk_user,
            minutes=45,
        )

    notification = Notification.objects.get(kind="scheduled")
    deliver_notification.call(notification.pk)
    message = mail.outbox[0]
    assert message.to == ["olivia@example.com"]
    assert "Monday, March 9, 2026 at 9:30 a.m. PDT (45 minutes)" in message.body
    assert "Downtown" in message.body and "(360) 555-0142" in message.body
    assert "back pain" not in message.body.lower()
    [part] = message.attachments
    assert part.get_filename() == "appointment.ics"
    assert part.get_content_type() == "text/calendar"
    event = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    assert event.decoded("dtstart") == at(2026, 3, 9, 9, 30)
    assert event.decoded("dtend") == at(2026, 3, 9, 10, 15)
    assert ModelLogEntry.objects.for_instance(appointment_request).get().action == (
        "booking.schedule"
    )


def test_an_appointment_across_the_fall_back_night_lasts_its_real_length(clinic, location):
    appointment_request = AppointmentRequestFactory(
        status=Status.SCHEDULED,
        appointment_at=datetime.datetime(2026, 11, 1, 8, 30, tzinfo=datetime.UTC),  # 1:30 PDT
        appointment_minutes=60,
        location=location,
    )
    event = Calendar.from_ical(appointment_ics(appointment_request, clinic)).walk("VEVENT")[0]
    duration = event.decoded("dtend").astimezone(datetime.UTC) - event.decoded(
        "dtstart"
    ).astimezone(datetime.UTC)
    assert duration == datetime.timedelta(hours=1)


# The admin ------------------------------------------------------------------------------


def test_the_front_desk_sees_the_menu_count_and_dashboard(front_desk, settings):
    settings.BOOKING_OVERDUE_BUSINESS_HOURS = 4
    AppointmentRequestFactory(reference="FRESH234")
    AppointmentRequestFactory(
        reference="WAITING2", created_at=timezone.now() - datetime.timedelta(days=10)
    )
    AppointmentRequestFactory(status=Status.CONTACTED)

    html = front_desk.get("/admin/").content.decode()
    assert "(2) Appointment requests" in html
    assert "2</strong> new appointment requests" in html
    assert "1 overdue" in html and "WAITING2" in html and "FRESH234" not in html


def test_editors_cannot_see_requests_by_menu_or_by_url(client, editor):
    appointment_request = AppointmentRequestFactory()
    client.force_login(editor)
    home = client.get("/admin/")
    assert home.status_code == 200
    assert "Appointment requests" not in home.content.decode()
    assert "Front desk" not in home.content.decode()
    for url in [
        "/admin/appointment-requests/",
        f"/admin/appointment-requests/inspect/{appointment_request.pk}/",
        f"/admin/appointment-requests/edit/{appointment_request.pk}/",
        "/admin/appointment-requests/?export=csv",
        "/admin/guide-leads/",
        "/admin/emails/",
        "/admin/reports/articles-that-bring-patients/",
    ]:
        response = client.get(url)
        assert response.status_code in {302, 403}, url
        assert b"Olivia" not in response.content
    moved = client.post(
        f"/admin/appointment-requests/move/{appointment_request.pk}/mark_contacted/"
    )
    assert moved.status_code in {302, 403}
    appointment_request.refresh_from_db()
    assert appointment_request.status == Status.NEW


def test_a_view_only_user_cannot_move_a_request(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", "v@harborpt.example", "x" * 16)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_appointmentrequest"),
    )
    client.force_login(user)
    appointment_request = AppointmentRequestFactory()
    assert (
        client.get(f"/admin/appointment-requests/inspect/{appointment_request.pk}/").status_code
        == 200
    )
    response = client.post(
        f"/admin/appointment-requests/move/{appointment_request.pk}/mark_contacted/"
    )
    assert response.status_code in {302, 403}  # Wagtail sends the refused back to the dashboard
    appointment_request.refresh_from_db()
    assert appointment_request.status == Status.NEW


def test_the_request_page_shows_everything_with_click_to_call(front_desk, home_page):
    appointment_request = AppointmentRequestFactory(
        staff_notes="Prefers mornings", source_page=home_page, utm_source="newsletter"
    )
    appointment_request.preferred_times.create(date=datetime.date(2026, 3, 9), window="morning")
    workflow.mark_contacted(appointment_request, by=None)

    html = front_desk.get(
        f"/admin/appointment-requests/inspect/{appointment_request.pk}/"
    ).content.decode()
    assert 'href="tel:+13605550187"' in html
    assert "Olivia Martin" in html and "olivia@example.com" in html
    assert "Lower back pain when sitting" in html
    assert "Mon Mar 9 - Morning (before 12pm)" in html
    assert "Prefers mornings" in html
    assert "newsletter" in html
    assert "Marked contacted" in html  # status history
    for move in moves.for_staff(Status.CONTACTED):
        if not move.needs_time:
            assert f">{move.label}</button>" in html


def test_the_front_desk_moves_a_request_through_the_admin(front_desk, front_desk_user):
    appointment_request = AppointmentRequestFactory()
    url = f"/admin/appointment-requests/move/{appointment_request.pk}/mark_contacted/"
    response = front_desk.post(url)
    assert response.status_code == 302
    appointment_request.refresh_from_db()
    assert appointment_request.status == Status.CONTACTED
    entry = ModelLogEntry.objects.for_instance(appointment_request).get()
    assert entry.user == front_desk_user

    refused = front_desk.post(url, follow=True)
    assert "A contacted request cannot be marked contacted." in refused.content.decode()
    assert (
        front_desk.post(
            f"/admin/appointment-requests/move/{appointment_request.pk}/nope/"
        ).status_code
        == 404
    )
    assert front_desk.get(url).status_code == 405


def test_the_front_desk_schedules_through_the_admin(front_desk, location, clinic):
    appointment_request = AppointmentRequestFactory(status=Status.CONTACTED)
    url = f"/admin/appointment-requests/schedule/{appointment_request.pk}/"

    missing = front_desk.post(
        url, {"schedule-location": location.pk, "schedule-minutes": 60}, follow=True
    )
    assert "To schedule, give a date, a time and a location." in missing.content.decode()
    front_desk.post(
        url,
        {
            "schedule-appointment_at": "2026-03-09 09:30",
            "schedule-location": location.pk,
            "schedule-minutes": 60,
        },
    )
    appointment_request.refresh_from_db()
    assert appointment_request.status == Status.SCHEDULED
    assert appointment_request.appointment_at == at(2026, 3, 9, 9, 30)


def test_staff_notes_are_saved_and_logged(front_desk, front_desk_user):
    appointment_request = AppointmentRequestFactory()
    front_desk.post(
        f"/admin/appointment-requests/notes/{appointment_request.pk}/",
        {"staff_notes": "Left a voicemail"},
    )
    appointment_request.refresh_from_db()
    assert appointment_request.staff_notes == "Left a voicemail"
    entry = ModelLogEntry.objects.for_instance(appointment_request).get()
    assert (entry.action, entry.user) == ("booking.notes", front_desk_user)
    assert "voicemail" not in str(entry.data)


def test_the_listing_filters_and_searches(front_desk, location):
    other = LocationFactory(name="Westside")
    AppointmentRequestFactory(reference="ALPHA234", last_name="Nguyen", location=location)
    AppointmentRequestFactory(
        reference="BRAVO234", status=Status.CONTACTED, phone="+13605559999", location=other
    )
    AppointmentRequestFactory(
        reference="CHARL234",
        patient_type="returning",
        created_at=timezone.now() - datetime.timedelta(days=40),
    )

    def listed(query):
        html = front_desk.get(f"/admin/appointment-requests/?{query}").content.decode()
        return {ref for ref in ("ALPHA234", "BRAVO234", "CHARL234") if ref in html}

    assert listed("") == {"ALPHA234", "BRAVO234", "CHARL234"}
    assert listed("status=contacted") == {"BRAVO234"}
    assert listed(f"location={other.pk}") == {"BRAVO234"}
    assert listed("patient_type=returning") == {"CHARL234"}
    week_ago = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert listed(f"created_at_from={week_ago}") == {"ALPHA234", "BRAVO234"}
    assert listed("q=nguyen") == {"ALPHA234"}
    assert listed("q=5559999") == {"BRAVO234"}
    assert listed("q=CHARL234") == {"CHARL234"}
    assert listed("ordering=reference").issuperset({"ALPHA234"})


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_carry_no_health_data_and_are_logged(front_desk, front_desk_user, file_format):
    AppointmentRequestFactory(reference="ALPHA234", staff_notes="Has a bad knee")
    response = front_desk.get(f"/admin/appointment-requests/?export={file_format}&status=new")
    assert response.status_code == 200
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(body.decode())))
    else:
        rows = [
            [str(cell) if cell is not None else "" for cell in row]
            for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)
        ]
    assert rows[0][:3] == ["Reference", "Created at", "Status"]
    assert rows[1][0] == "ALPHA234"
    text = " ".join(" ".join(row) for row in rows)
    assert "Lower back pain" not in text and "bad knee" not in text

    export = SpreadsheetExport.objects.get()
    assert (export.user, export.file_format, export.row_count) == (front_desk_user, file_format, 1)
    assert "status=new" in export.filters
    assert ModelLogEntry.objects.get(action="booking.export").user == front_desk_user


# Overdue --------------------------------------------------------------------------------


def test_business_hours_skip_nights_and_weekends(location):
    friday_4pm = at(2026, 3, 6, 16)
    assert business_hours_between(friday_4pm, at(2026, 3, 9, 10), location) == 3
    assert business_hours_between(friday_4pm, at(2026, 3, 7, 23), location) == 1
    assert business_hours_between(at(2026, 3, 9, 18), at(2026, 3, 9, 20), location) == 0


def test_a_request_is_overdue_after_the_allowed_business_hours(location, settings):
    settings.BOOKING_OVERDUE_BUSINESS_HOURS = 4
    appointment_request = AppointmentRequestFactory(
        location=location, created_at=at(2026, 3, 6, 16)
    )
    assert not appointment_request.is_overdue(now=at(2026, 3, 9, 10))
    assert appointment_request.is_overdue(now=at(2026, 3, 9, 11, 30))
    assert AppointmentRequest.objects.overdue(now=at(2026, 3, 9, 11, 30)) == [appointment_request]
    contacted = workflow.mark_contacted(appointment_request, by=None)
    assert not contacted.is_overdue(now=at(2026, 3, 9, 11, 30))
