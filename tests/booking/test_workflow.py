"""An appointment request's moves, read from the one list (booking.moves.MOVES)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from booking import moves, workflow
from booking.models import AppointmentRequest, Notification, StatusMoveError
from tests.factories import AppointmentRequestFactory

pytestmark = pytest.mark.django_db

Status = AppointmentRequest.Status
Kind = Notification.Kind


def soon(days=3, hour=10):
    """A weekday time in the coming days, in the clinic's time zone."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def front_desk_user(django_user_model):
    return django_user_model.objects.create_user("frontdesk", "fd@harborpt.example", "x" * 16)


def make(move, appointment_request, user, location):
    """Make a move as its caller would: staff through workflow.move, the patient directly."""
    if move.name == "confirm":
        return workflow.confirm_by_patient(appointment_request)
    if move.name == "cancel_by_patient":
        return workflow.cancel(appointment_request, by_patient=True)
    if move.name == "ask_for_another_time":
        return workflow.ask_for_another_time(appointment_request, note="", windows=[])
    times = {"at": soon(days=5), "location": location} if move.needs_time else {}
    return workflow.move(appointment_request, move.name, by=user, **times)


def booked(status, location):
    fields = {"status": status, "location": location}
    if status == Status.SCHEDULED:
        fields["appointment_at"] = soon()
    return AppointmentRequestFactory(**fields)


ALLOWED = [(move, source) for move in moves.MOVES for source in sorted(move.sources)]
REFUSED = [
    (move, source) for move in moves.MOVES for source in Status.values if source not in move.sources
]


@pytest.mark.parametrize(("move", "source"), ALLOWED, ids=lambda v: getattr(v, "name", v))
def test_every_allowed_move_is_made_and_logged_with_who(front_desk_user, location, move, source):
    appointment_request = booked(source, location)
    moved = make(move, appointment_request, front_desk_user, location)

    appointment_request.refresh_from_db()
    assert appointment_request.status == moved.status == move.target
    entry = ModelLogEntry.objects.for_instance(appointment_request).get()
    assert entry.action == f"booking.{move.name}"
    assert entry.message == move.logged_as, "the history reads the move's own words"
    assert entry.user == (None if move.by_patient else front_desk_user)
    assert (entry.data["from"], entry.data["to"]) == (source, move.target)
    assert "Olivia" not in entry.label, "the audit log names the reference, not the patient"


@pytest.mark.parametrize(("move", "source"), REFUSED, ids=lambda v: getattr(v, "name", v))
def test_every_other_move_is_refused_and_changes_nothing(front_desk_user, location, move, source):
    appointment_request = booked(source, location)
    with pytest.raises(StatusMoveError) as refusal:
        make(move, appointment_request, front_desk_user, location)

    assert refusal.value.messages[0].endswith(".")
    appointment_request.refresh_from_db()
    assert appointment_request.status == source
    assert not ModelLogEntry.objects.for_instance(appointment_request).exists()
    assert not appointment_request.notifications.exists()


def test_the_admin_buttons_and_can_move_to_read_the_one_list():
    for status in Status.values:
        request = AppointmentRequest(status=status)
        assert request.allowed_moves() == [
            move for move in moves.MOVES if status in move.sources and not move.by_patient
        ]
        for target in Status.values:
            assert request.can_move_to(target) == any(
                status in move.sources and move.target == target for move in moves.MOVES
            )


def test_a_new_request_can_be_scheduled_directly(front_desk_user, location):
    appointment_request = AppointmentRequestFactory(status=Status.NEW)
    scheduled = workflow.schedule(
        appointment_request, at=soon(), location=location, by=front_desk_user
    )
    assert scheduled.status == Status.SCHEDULED
    assert scheduled.appointment_at == soon()


def test_a_staff_move_by_an_unknown_name_or_a_patients_name_is_refused(front_desk_user):
    appointment_request = AppointmentRequestFactory(status=Status.SCHEDULED, appointment_at=soon())
    for name in ("nope", "confirm", "cancel_by_patient"):
        with pytest.raises(LookupError):
            workflow.move(appointment_request, name, by=front_desk_user)
    appointment_request.refresh_from_db()
    assert appointment_request.status == Status.SCHEDULED


def test_rescheduling_to_the_same_time_says_so(front_desk_user, location):
    appointment_request = booked(Status.SCHEDULED, location)
    with pytest.raises(ValidationError) as error:
        workflow.reschedule(
            appointment_request, at=appointment_request.appointment_at, by=front_desk_user
        )
    assert error.value.message_dict == {"appointment_at": ["That is the time already booked."]}


def test_a_status_move_keeps_a_notes_edit_saved_meanwhile(front_desk_user, location):
    """The front desk's page was loaded before a colleague saved notes; a move made from
    that stale page saves only its own fields."""
    appointment_request = booked(Status.SCHEDULED, location)
    stale = AppointmentRequest.objects.get(pk=appointment_request.pk)
    AppointmentRequest.objects.filter(pk=appointment_request.pk).update(
        staff_notes="Needs the ground-floor room"
    )
    workflow.cancel(stale, by=front_desk_user)
    appointment_request.refresh_from_db()
    assert appointment_request.status == Status.CANCELLED
    assert appointment_request.staff_notes == "Needs the ground-floor room"


def test_cancel_records_who_cancelled(front_desk_user, location):
    by_clinic = workflow.cancel(booked(Status.SCHEDULED, location), by=front_desk_user)
    by_patient = workflow.cancel(booked(Status.SCHEDULED, location), by_patient=True)
    assert by_clinic.cancelled_by == "clinic" and by_clinic.patient_answer == ""
    assert by_patient.cancelled_by == "patient" and by_patient.patient_answer == "cancelled"
    assert by_patient.patient_answered_at is not None


def test_asking_for_another_time_keeps_the_note_and_new_windows(location):
    appointment_request = booked(Status.SCHEDULED, location)
    day = soon(days=8).date()
    moved = workflow.ask_for_another_time(
        appointment_request,
        note="Mornings are hard this week",
        windows=[(day, "afternoon")],
        wants_earlier=True,
    )
    assert moved.status == Status.CONTACTED
    assert moved.patient_answer == "another_time" and moved.wants_earlier
    assert moved.patient_note == "Mornings are hard this week"
    assert [(t.date, t.window) for t in moved.preferred_times.all()] == [(day, "afternoon")]
    assert moved.reminder_due_at is None


def test_the_waitlist_toggle_is_logged_once_per_change(front_desk_user):
    appointment_request = AppointmentRequestFactory()
    workflow.set_wants_earlier(appointment_request, True, by=front_desk_user)
    workflow.set_wants_earlier(appointment_request, True, by=front_desk_user)
    appointment_request.refresh_from_db()
    assert appointment_request.wants_earlier
    entry = ModelLogEntry.objects.for_instance(appointment_request).get()
    assert (entry.action, entry.user) == ("booking.wants_earlier", front_desk_user)


# The waitlist ---------------------------------------------------------------------------


def waiting(location, day, window, **fields):
    appointment_request = AppointmentRequestFactory(location=location, wants_earlier=True, **fields)
    appointment_request.preferred_times.create(date=day, window=window)
    return appointment_request


def test_a_cancelled_time_lists_the_waitlisted_requests_it_fits(front_desk_user, location):
    freed_at = soon(days=4, hour=10)  # a morning
    day = freed_at.date()
    oldest = waiting(
        location, day, "morning", created_at=timezone.now() - datetime.timedelta(days=3)
    )
    newer = waiting(location, day, "morning")
    later_booking = waiting(
        location, day, "morning", status=Status.SCHEDULED, appointment_at=soon(days=9)
    )
    waiting(location, day, "afternoon")  # the wrong part of the day
    waiting(location, day + datetime.timedelta(days=1), "morning")  # the wrong day
    AppointmentRequestFactory(location=location).preferred_times.create(date=day, window="morning")
    freed = AppointmentRequestFactory(
        status=Status.SCHEDULED, appointment_at=freed_at, location=location
    )

    workflow.cancel(freed, by=front_desk_user)

    [time] = workflow.freed_times(location=location)
    assert (time.at, time.location, time.freed_by) == (freed_at, location, freed)
    assert list(time.waitlist) == [oldest, newer, later_booking]

    workflow.offer(oldest, at=time.at, location=location, by=front_desk_user)
    assert workflow.freed_times() == [], "a time given to someone is no longer free"
    oldest.refresh_from_db()
    assert (oldest.status, oldest.appointment_at) == (Status.SCHEDULED, freed_at)


def test_offering_a_freed_time_to_a_booked_patient_moves_their_booking(front_desk_user, location):
    freed_at = soon(days=4, hour=14)
    later = waiting(
        location, freed_at.date(), "afternoon", status=Status.SCHEDULED, appointment_at=soon(9)
    )
    moved = workflow.offer(later, at=freed_at, location=location, by=front_desk_user)
    assert moved.appointment_at == freed_at
    assert ModelLogEntry.objects.for_instance(later).get().action == "booking.reschedule"
    assert moved.notifications.get().kind == Kind.APPOINTMENT_RESCHEDULED


@pytest.mark.parametrize("move", moves.MOVES, ids=lambda move: move.name)
def test_opening_a_move_address_changes_nothing(client, front_desk_user, location, move):
    """Links are opened by mail scanners and previews: only a POST moves a request."""
    front_desk_user.groups.add(Group.objects.get(name="Front desk"))
    client.force_login(front_desk_user)
    source = sorted(move.sources)[0]
    appointment_request = booked(source, location)
    response = client.get(f"/admin/appointment-requests/move/{appointment_request.pk}/{move.name}/")
    assert response.status_code in {404, 405}
    appointment_request.refresh_from_db()
    assert appointment_request.status == source
    assert not ModelLogEntry.objects.for_instance(appointment_request).exists()
    assert not appointment_request.notifications.exists()
