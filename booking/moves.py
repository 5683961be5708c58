"""The one list of an appointment request's moves. The workflow checks it, the admin's
buttons and the history's labels come from it, the tests walk it."""

from dataclasses import dataclass

from booking.models import AppointmentRequest

Status = AppointmentRequest.Status


@dataclass(frozen=True)
class Move:
    name: str  # booking.workflow's function, the admin URL's last part, log action booking.<name>
    label: str  # the button
    sources: frozenset
    target: str
    by_patient: bool = False
    needs_time: bool = False  # asks for a date, time and location
    tone: str = "secondary"  # the button's look: "primary", "secondary" or "warning"
    logged_as: str = ""  # the history's words

    def allowed_from(self, status):
        return status in self.sources


def _move(name, label, sources, target, logged_as, **options):
    return Move(name, label, frozenset(sources), target, logged_as=logged_as, **options)


# A new request can be scheduled directly: the call that books it is the contact.
MOVES = (
    _move(
        "schedule",
        "Schedule",
        {Status.NEW, Status.CONTACTED, Status.NO_ANSWER, Status.CANCELLED, Status.NO_SHOW},
        Status.SCHEDULED,
        "Scheduled",
        needs_time=True,
        tone="primary",
    ),
    _move(
        "reschedule",
        "Reschedule",
        {Status.SCHEDULED},
        Status.SCHEDULED,
        "Rescheduled",
        needs_time=True,
    ),
    _move(
        "mark_contacted",
        "Mark contacted",
        {Status.NEW, Status.NO_ANSWER},
        Status.CONTACTED,
        "Marked contacted",
        tone="primary",
    ),
    _move(
        "mark_no_answer",
        "No answer",
        {Status.NEW, Status.CONTACTED},
        Status.NO_ANSWER,
        "Marked no answer",
    ),
    _move(
        "mark_attended",
        "Attended",
        {Status.SCHEDULED},
        Status.ATTENDED,
        "Marked attended",
        tone="primary",
    ),
    _move("mark_no_show", "No-show", {Status.SCHEDULED}, Status.NO_SHOW, "Marked no-show"),
    _move(
        "cancel",
        "Cancel appointment",
        {Status.SCHEDULED},
        Status.CANCELLED,
        "Cancelled by the clinic",
        tone="warning",
    ),
    _move(
        "decline",
        "Declined",
        {Status.CONTACTED, Status.NO_ANSWER},
        Status.DECLINED,
        "Marked declined",
    ),
    _move("mark_spam", "Spam", {Status.NEW}, Status.SPAM, "Marked spam", tone="warning"),
    _move(
        "close",
        "Close",
        {
            Status.NO_ANSWER,
            Status.DECLINED,
            Status.SPAM,
            Status.ATTENDED,
            Status.NO_SHOW,
            Status.CANCELLED,
        },
        Status.CLOSED,
        "Closed",
    ),
    # The patient's own moves, from the page their emails link to.
    _move(
        "confirm",
        "Confirm",
        {Status.SCHEDULED},
        Status.SCHEDULED,
        "Confirmed by patient",
        by_patient=True,
    ),
    _move(
        "cancel_by_patient",
        "Cancel",
        {Status.SCHEDULED},
        Status.CANCELLED,
        "Cancelled by patient",
        by_patient=True,
    ),
    _move(
        "ask_for_another_time",
        "Ask for another time",
        {Status.SCHEDULED},
        Status.CONTACTED,
        "Patient asked for another time",
        by_patient=True,
    ),
)

BY_NAME = {move.name: move for move in MOVES}


def get(name):
    """The move called name; KeyError for a name that is not a move."""
    return BY_NAME[name]


def possible(status):
    return [move for move in MOVES if move.allowed_from(status)]


def for_staff(status):
    """The front desk's moves from status, in the list's order."""
    return [move for move in possible(status) if not move.by_patient]
