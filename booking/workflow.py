"""Every move of an appointment request, as the front desk or the patient makes it.

Each move locks the row, checks booking.moves, saves only the fields it changes (a notes
edit saved meanwhile survives), writes Wagtail's audit log with who did it, and queues the
emails, which the worker sends once the transaction is committed. Each returns the fresh
request; the instance passed in is not changed.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from booking import moves
from booking.hours import DAY_PARTS
from booking.models import AppointmentRequest, Notification, PreferredTime, StatusMoveError
from booking.notifications import queue_notification

Status = AppointmentRequest.Status
Kind = Notification.Kind

# The moves that free a booked time for someone on the waitlist.
FREEING_MOVES = ("reschedule", "cancel", "cancel_by_patient", "ask_for_another_time")


def _locked(appointment_request, move_name):
    move = moves.get(move_name)
    locked = (
        AppointmentRequest.objects.select_for_update(of=("self",))
        .select_related("location")
        .get(pk=appointment_request.pk)
    )
    if not move.allowed_from(locked.status):
        raise StatusMoveError(_refusal(locked, move))
    return move, locked


def _refusal(appointment_request, move):
    status = appointment_request.get_status_display().lower()
    if move.by_patient:
        return (
            f"This appointment is {status} now, so it can no longer be changed here. "
            "Please call the clinic."
        )
    article = "An" if status[0] in "aeiou" else "A"
    return f"{article} {status} request cannot be {move.logged_as.lower()}."


def _record(locked, move, by, data=None, **changes):
    """Apply the move's changes, save only the fields that differ, write the audit log."""
    previous = locked.status
    now = timezone.now()
    changes["status"] = move.target
    if move.target != previous:
        changes["status_changed_at"] = now
    if move.target != Status.SCHEDULED:
        changes["reminder_due_at"] = None
    if move.by_patient:
        changes["patient_answered_at"] = now
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    for field in changed:
        setattr(locked, field, changes[field])
    if changed:
        locked.save(update_fields=changed)
    log(
        locked,
        f"booking.{move.name}",
        user=by,
        data={"from": previous, "to": move.target, **(data or {})},
    )
    return locked


def _email_patient(appointment_request, kind):
    if appointment_request.email:
        queue_notification(
            kind,
            appointment_request.email,
            request=appointment_request,
            calendar_sequence=appointment_request.calendar_sequence,
        )


def _notify_front_desk(appointment_request):
    queue_notification(
        Kind.PATIENT_ANSWER, settings.CLINIC_NOTIFY_EMAIL, request=appointment_request
    )


def _check_time(at, location):
    errors = {}
    if at is None:
        errors["appointment_at"] = "Give the appointment's date and time."
    elif timezone.is_naive(at):
        raise ValueError("Appointment times must be timezone-aware.")
    if location is None:
        errors["location"] = "Choose where the appointment takes place."
    if errors:
        raise ValidationError(errors)


def reminder_due(at, now=None):
    """When the reminder goes: BOOKING_REMINDER_HOURS before; None when that has passed
    (the confirmation just sent is reminder enough)."""
    due = at - datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS)
    return due if due > (now or timezone.now()) else None


def _booked(at, location, sequence):
    """The fields a newly booked time sets: a new calendar version, a fresh reminder."""
    return {
        "appointment_at": at,
        "location": location,
        "calendar_sequence": sequence + 1,
        "reminder_due_at": reminder_due(at),
        "reminder_sent_at": None,
        "cancelled_by": "",
        "patient_answer": "",
        "patient_answered_at": None,
    }


def _freed(locked):
    """The audit data of a time given up, for the waitlist (freed_times)."""
    if locked.appointment_at is None or locked.status != Status.SCHEDULED:
        return {}
    return {
        "freed_at": locked.appointment_at.isoformat(),
        "freed_location": locked.location_id,
        "freed_minutes": locked.appointment_minutes,
    }


# The front desk's moves -----------------------------------------------------------------


@transaction.atomic
def schedule(appointment_request, *, at, location, by, minutes=60):
    """Book the appointment; the patient gets a confirmation with an .ics file."""
    move, locked = _locked(appointment_request, "schedule")
    _check_time(at, location)
    _record(
        locked,
        move,
        by,
        data={"appointment_at": at.isoformat(), "location": location.pk},
        appointment_minutes=minutes,
        **_booked(at, location, locked.calendar_sequence),
    )
    _email_patient(locked, Kind.APPOINTMENT_SCHEDULED)
    return locked


@transaction.atomic
def reschedule(appointment_request, *, at, location=None, by):
    """Move the appointment; the patient's calendar event moves with the update email."""
    move, locked = _locked(appointment_request, "reschedule")
    location = location or locked.location
    _check_time(at, location)
    if at == locked.appointment_at and location == locked.location:
        raise ValidationError({"appointment_at": "That is the time already booked."})
    freed = _freed(locked)
    _record(
        locked,
        move,
        by,
        data={"appointment_at": at.isoformat(), "location": location.pk, **freed},
        **_booked(at, location, locked.calendar_sequence),
    )
    _email_patient(locked, Kind.APPOINTMENT_RESCHEDULED)
    return locked


@transaction.atomic
def cancel(appointment_request, *, by=None, by_patient=False):
    """Cancel the appointment (by the clinic, or by the patient from their page)."""
    move, locked = _locked(appointment_request, "cancel_by_patient" if by_patient else "cancel")
    answer = {"patient_answer": AppointmentRequest.PatientAnswer.CANCELLED} if by_patient else {}
    _record(
        locked,
        move,
        by,
        data=_freed(locked),
        cancelled_by=AppointmentRequest.CancelledBy.PATIENT
        if by_patient
        else AppointmentRequest.CancelledBy.CLINIC,
        calendar_sequence=locked.calendar_sequence + 1,
        **answer,
    )
    _email_patient(locked, Kind.APPOINTMENT_CANCELLED)
    if by_patient:
        _notify_front_desk(locked)
    return locked


def _simple_move(name):
    @transaction.atomic
    def make(appointment_request, *, by):
        move, locked = _locked(appointment_request, name)
        return _record(locked, move, by)

    make.__name__ = name
    make.__doc__ = f"{moves.get(name).logged_as}: a status move without emails."
    return make


mark_contacted = _simple_move("mark_contacted")
mark_no_answer = _simple_move("mark_no_answer")
decline = _simple_move("decline")
mark_spam = _simple_move("mark_spam")
mark_attended = _simple_move("mark_attended")
mark_no_show = _simple_move("mark_no_show")
close = _simple_move("close")


def move(appointment_request, name, *, by, **kwargs):
    """The staff move called name (an admin button); LookupError for any other name."""
    function = STAFF_MOVES.get(name)
    if function is None:
        raise LookupError(f"No staff move called {name!r}.")
    return function(appointment_request, by=by, **kwargs)


@transaction.atomic
def offer(appointment_request, *, at, location, by, minutes=60):
    """Give a waitlisted patient a freed time: schedule them, or move their later booking."""
    if appointment_request.status == Status.SCHEDULED:
        return reschedule(appointment_request, at=at, location=location, by=by)
    return schedule(appointment_request, at=at, location=location, by=by, minutes=minutes)


# The patient's moves, from their page --------------------------------------------------


@transaction.atomic
def confirm_by_patient(appointment_request):
    move, locked = _locked(appointment_request, "confirm")
    _record(locked, move, None, patient_answer=AppointmentRequest.PatientAnswer.CONFIRMED)
    _notify_front_desk(locked)
    return locked


@transaction.atomic
def ask_for_another_time(appointment_request, *, note, windows, wants_earlier=False):
    """The patient cannot come: the time is released, their new windows replace the old,
    and the front desk calls back. windows: [(date, TimeWindow)]."""
    move, locked = _locked(appointment_request, "ask_for_another_time")
    _record(
        locked,
        move,
        None,
        data=_freed(locked),
        patient_answer=AppointmentRequest.PatientAnswer.ANOTHER_TIME,
        patient_note=note or None,
        wants_earlier=wants_earlier,
        calendar_sequence=locked.calendar_sequence + 1,
    )
    locked.preferred_times.all().delete()
    PreferredTime.objects.bulk_create(
        PreferredTime(request=locked, date=date, window=window) for date, window in windows
    )
    _email_patient(locked, Kind.APPOINTMENT_CANCELLED)
    _notify_front_desk(locked)
    return locked


@transaction.atomic
def set_wants_earlier(appointment_request, wants_earlier, *, by=None):
    """Put the request on the waitlist for an earlier time, or take it off."""
    locked = AppointmentRequest.objects.select_for_update(of=("self",)).get(
        pk=appointment_request.pk
    )
    if locked.wants_earlier != wants_earlier:
        locked.wants_earlier = wants_earlier
        locked.save(update_fields=["wants_earlier"])
        log(locked, "booking.wants_earlier", user=by, data={"wants_earlier": wants_earlier})
    return locked


STAFF_MOVES = {
    "schedule": schedule,
    "reschedule": reschedule,
    "cancel": cancel,
    "mark_contacted": mark_contacted,
    "mark_no_answer": mark_no_answer,
    "decline": decline,
    "mark_spam": mark_spam,
    "mark_attended": mark_attended,
    "mark_no_show": mark_no_show,
    "close": close,
}


# Reminders ------------------------------------------------------------------------------


def send_due_reminders(now=None):
    """Queue the reminder of every appointment whose time for one has come; the count."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = AppointmentRequest.objects.select_for_update(skip_locked=True).filter(
            status=Status.SCHEDULED,
            reminder_due_at__lte=now,
            reminder_sent_at__isnull=True,
            appointment_at__gt=now,
        )
        for appointment_request in due:
            appointment_request.reminder_sent_at = now
            appointment_request.save(update_fields=["reminder_sent_at"])
            _email_patient(appointment_request, Kind.REMINDER)
            sent += 1
    return sent


# The waitlist ---------------------------------------------------------------------------


def day_part(moment):
    """The part of the day (TimeWindow value) a moment falls in, in the clinic's time."""
    time = timezone.localtime(moment).time()
    for part, (starts, ends) in DAY_PARTS.items():
        if (starts is None or time >= starts) and (ends is None or time < ends):
            return part
    raise ValueError(f"No part of the day holds {time}.")


def waitlist_for(at, location, *, exclude=None):
    """Waitlisted requests at location whose preferred windows hold the freed time at,
    oldest first (fair): not yet booked, or booked later than at."""
    waiting = (
        AppointmentRequest.objects.filter(
            wants_earlier=True,
            location=location,
            anonymised_at__isnull=True,
            preferred_times__date=timezone.localtime(at).date(),
            preferred_times__window=day_part(at),
        )
        .filter(
            Q(status__in=[Status.NEW, Status.CONTACTED, Status.NO_ANSWER])
            | Q(status=Status.SCHEDULED, appointment_at__gt=at)
        )
        .distinct()
        .order_by("created_at")
    )
    if exclude is not None:
        waiting = waiting.exclude(pk=exclude.pk)
    return waiting


@dataclass(frozen=True)
class FreedTime:
    at: datetime.datetime
    minutes: int
    location: object
    freed_by: AppointmentRequest  # the request that gave the time up

    @property
    def waitlist(self):
        return waitlist_for(self.at, self.location, exclude=self.freed_by)


def freed_times(location=None, now=None):
    """Times given up by a cancel or a move that are still to come and nobody has taken,
    soonest first."""
    from clinic.models import Location

    now = now or timezone.now()
    entries = ModelLogEntry.objects.filter(
        action__in=[f"booking.{name}" for name in FREEING_MOVES],
        timestamp__gte=now - datetime.timedelta(days=settings.BOOKING_HORIZON_DAYS),
        data__freed_at__isnull=False,
    )
    if location is not None:
        entries = entries.filter(data__freed_location=location.pk)
    found = {}
    for entry in entries.order_by("timestamp"):
        at = datetime.datetime.fromisoformat(entry.data["freed_at"])
        if at > now:
            found.setdefault(
                (at, entry.data["freed_location"]),
                (entry.data["freed_minutes"], int(entry.object_id)),
            )
    if not found:
        return []
    taken = set(
        AppointmentRequest.objects.filter(
            status=Status.SCHEDULED, appointment_at__in=[at for at, _ in found]
        ).values_list("appointment_at", "location_id")
    )
    locations = Location.objects.in_bulk([pk for _, pk in found])
    requests = AppointmentRequest.objects.in_bulk([pk for _, pk in found.values()])
    return [
        FreedTime(at, minutes, locations[location_pk], requests[request_pk])
        for (at, location_pk), (minutes, request_pk) in sorted(found.items(), key=lambda x: x[0][0])
        if (at, location_pk) not in taken and location_pk in locations and request_pk in requests
    ]
