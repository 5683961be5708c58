"""The request page's buttons, from booking.moves, through booking.workflow; the waitlist's
one-click offer of a freed time, on the request page and the dashboard."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from booking import moves, workflow
from booking.models import AppointmentRequest, Notification
from tests.factories import AppointmentRequestFactory

pytestmark = pytest.mark.django_db

Status = AppointmentRequest.Status


def weekday_at(hour, minute=0, days_ahead=3):
    """A time on a weekday in the coming week, in the clinic's time zone."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def page_of(client, appointment_request):
    return client.get(f"/admin/appointment-requests/inspect/{appointment_request.pk}/")


def move_url(appointment_request, name):
    return f"/admin/appointment-requests/move/{appointment_request.pk}/{name}/"


@pytest.mark.parametrize("status", Status.values)
def test_the_request_page_offers_exactly_the_staff_moves_of_the_one_list(
    front_desk, location, status
):
    appointment_request = AppointmentRequestFactory(
        status=status,
        location=location,
        appointment_at=weekday_at(10) if status == Status.SCHEDULED else None,
    )
    html = page_of(front_desk, appointment_request).content.decode()
    for move in moves.MOVES:
        shown = f'action="{move_url(appointment_request, move.name)}"' in html
        assert shown == (move in moves.for_staff(status)), move.name


def test_the_front_desk_reschedules_then_cancels_and_the_history_says_who(
    front_desk, location, clinic
):
    appointment_request = AppointmentRequestFactory(
        status=Status.SCHEDULED, location=location, appointment_at=weekday_at(10)
    )
    new_time = weekday_at(14, 30, days_ahead=5)
    response = front_desk.post(
        move_url(appointment_request, "reschedule"),
        {
            "reschedule-appointment_at": timezone.localtime(new_time).strftime("%m/%d/%Y %I:%M %p"),
            "reschedule-location": location.pk,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "is scheduled for" in html
    appointment_request.refresh_from_db()
    assert appointment_request.appointment_at == new_time
    assert appointment_request.notifications.get().kind == Notification.Kind.APPOINTMENT_RESCHEDULED

    response = front_desk.post(move_url(appointment_request, "cancel"), follow=True)
    cancelled = f"Olivia Martin ({appointment_request.reference}) is now cancelled."
    assert cancelled in response.content.decode()
    appointment_request.refresh_from_db()
    assert appointment_request.status == Status.CANCELLED

    workflow.set_wants_earlier(appointment_request, True)
    html = page_of(front_desk, appointment_request).content.decode()
    assert "Cancelled by the clinic" in html and "Rescheduled (" in html
    assert html.count("by Jamie Lee") == 2


def test_a_patients_move_shows_in_the_history_as_by_patient(front_desk, location):
    appointment_request = AppointmentRequestFactory(
        status=Status.SCHEDULED, location=location, appointment_at=weekday_at(10)
    )
    workflow.cancel(appointment_request, by_patient=True)
    html = page_of(front_desk, appointment_request).content.decode()
    assert "Cancelled by patient" in html
    assert '<span class="fd-status fd-status--cancelled">Cancelled</span>' in html


def test_a_refused_reschedule_keeps_what_was_typed(front_desk, location):
    booked_at = weekday_at(10)
    appointment_request = AppointmentRequestFactory(
        status=Status.SCHEDULED, location=location, appointment_at=booked_at
    )
    typed = timezone.localtime(booked_at).strftime("%b %d, %Y %I:%M %p")
    response = front_desk.post(
        move_url(appointment_request, "reschedule"),
        {"reschedule-appointment_at": typed, "reschedule-location": location.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "That is the time already booked." in html
    assert f'value="{typed}"' in html


def test_a_patients_move_cannot_be_posted_by_staff(front_desk, location):
    appointment_request = AppointmentRequestFactory(
        status=Status.SCHEDULED, location=location, appointment_at=weekday_at(10)
    )
    assert front_desk.post(move_url(appointment_request, "confirm")).status_code == 404
    appointment_request.refresh_from_db()
    assert appointment_request.patient_answer == ""


def waitlisted(location, at, **fields):
    appointment_request = AppointmentRequestFactory(
        location=location, wants_earlier=True, first_name="Noah", **fields
    )
    appointment_request.preferred_times.create(date=timezone.localtime(at).date(), window="morning")
    return appointment_request


def test_a_freed_time_is_offered_to_the_waitlist_in_one_click(
    front_desk, front_desk_user, location, clinic
):
    freed_at = weekday_at(9)
    waiting = waitlisted(location, freed_at)
    cancelled = AppointmentRequestFactory(
        status=Status.SCHEDULED, location=location, appointment_at=freed_at
    )
    workflow.cancel(cancelled, by=front_desk_user)

    for page in (page_of(front_desk, cancelled), front_desk.get("/admin/")):
        html = page.content.decode()
        assert f"Noah Martin ({waiting.reference})" in html
        assert f'action="/admin/appointment-requests/offer/{waiting.pk}/"' in html

    response = front_desk.post(
        f"/admin/appointment-requests/offer/{waiting.pk}/",
        {
            "at": freed_at.isoformat(),
            "location": location.pk,
            "minutes": 60,
            "next": "/admin/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    waiting.refresh_from_db()
    assert (waiting.status, waiting.appointment_at) == (Status.SCHEDULED, freed_at)
    assert waiting.notifications.get().kind == Notification.Kind.APPOINTMENT_SCHEDULED
    entry = ModelLogEntry.objects.for_instance(waiting).get()
    assert (entry.action, entry.user) == ("booking.schedule", front_desk_user)
    dashboard = front_desk.get("/admin/").content.decode()
    assert f'action="/admin/appointment-requests/offer/{waiting.pk}/"' not in dashboard


def test_an_offer_with_a_foreign_next_address_returns_to_the_request(front_desk, location):
    waiting = waitlisted(location, weekday_at(9))
    response = front_desk.post(
        f"/admin/appointment-requests/offer/{waiting.pk}/",
        {
            "at": "not a time",
            "location": location.pk,
            "minutes": 60,
            "next": "https://evil.example/",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/admin/appointment-requests/inspect/{waiting.pk}/"
    assert "That time could not be read" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.NEW
