"""The patient's own page, reached from the signed link in every patient email.

Mail scanners and link previews open links, so opening the page (GET or HEAD) never
changes anything; only a POST from the page's own forms acts (CSRF token, rate limit),
through the workflow's patient moves. The address is the key to the appointment: no
cache keeps the page, search engines leave it out, and no other site gets it as a Referer.
"""

import logging
from functools import wraps

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from booking import patient_link, workflow
from booking.forms import AnotherTimeForm, EarlierTimeForm
from booking.models import AppointmentRequest, StatusMoveError
from booking.protection import over_rate_limit
from booking.views import noindex
from clinic.models import ClinicSettings

logger = logging.getLogger(__name__)

Status = AppointmentRequest.Status

# Requests still waiting for (or holding) a time: the waitlist can still help them.
OPEN_STATUSES = {Status.NEW, Status.CONTACTED, Status.NO_ANSWER, Status.SCHEDULED}
ACTIONS = {"confirm", "cancel", "another_time", "wants_earlier"}


def private(view):
    """Never cached, never indexed, and the address never sent to another site.

    "same-origin" rather than "no-referrer": under no-referrer, browsers send the page's
    own form posts with `Origin: null`, which Django's CSRF check rightly refuses.
    """

    @wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "same-origin"
        return response

    return noindex(answer)


def phone_to_call(request, appointment_request=None):
    """The location's own number when it has one, else the clinic's (may be empty)."""
    location = appointment_request and appointment_request.location
    if location and location.phone:
        return location.phone
    return ClinicSettings.for_request(request).phone


def render_page(request, appointment_request, *, data=None, action=None, status=200, **extra):
    """The page, its forms filled in with what was sent for the action that was refused."""
    another_time = AnotherTimeForm(
        data if action == "another_time" else None,
        location=appointment_request.location,
        initial={"wants_earlier": appointment_request.wants_earlier},
    )
    earlier = EarlierTimeForm(
        data if action == "wants_earlier" else None,
        prefix="earlier",
        initial={"wants_earlier": appointment_request.wants_earlier},
    )
    context = {
        "appointment_request": appointment_request,
        "phone": phone_to_call(request, appointment_request),
        "scheduled": appointment_request.status == Status.SCHEDULED,
        "can_wait": appointment_request.status in OPEN_STATUSES,
        "another_time_form": another_time,
        "earlier_form": earlier,
        "on_booking_path": True,
        **extra,
    }
    return render(request, "booking/patient_appointment.html", context, status=status)


def link_problem(request, expired):
    """An expired or damaged link: what to do instead, and the number to call."""
    context = {"expired": expired, "phone": phone_to_call(request)}
    template = "booking/patient_link_invalid.html"
    return render(request, template, context, status=410 if expired else 404)


@private
@require_http_methods(["GET", "HEAD", "POST"])
def patient_appointment(request, token):
    try:
        appointment_request = patient_link.read(token)
    except patient_link.LinkExpired:
        return link_problem(request, expired=True)
    except patient_link.LinkInvalid:
        return link_problem(request, expired=False)
    if request.method != "POST":
        return render_page(request, appointment_request)

    action = request.POST.get("action")
    if over_rate_limit(request, "patient-link"):
        logger.info("Patient page %s: rate limited", appointment_request.reference)
        return render_page(
            request,
            appointment_request,
            data=request.POST,
            action=action,
            refusal="rate_limited",
            status=429,
        )
    if action not in ACTIONS:
        return render_page(request, appointment_request, refusal="unknown_action", status=400)
    try:
        return act(request, appointment_request, action)
    except StatusMoveError as error:
        # Someone (the front desk, another tab) moved the appointment in the meantime.
        appointment_request.refresh_from_db()
        return render_page(
            request, appointment_request, not_possible=" ".join(error.messages), status=409
        )


def act(request, appointment_request, action):
    """Carry out the patient's answer and show the page with what happens next.

    The page is answered directly rather than through a redirect: cancelling or asking for
    another time raises the calendar sequence, which retires the link in the address bar
    (the email about the change brings the new one).
    """
    if action == "confirm":
        appointment_request = workflow.confirm_by_patient(appointment_request)
    elif action == "cancel":
        appointment_request = workflow.cancel(appointment_request, by_patient=True)
    elif action == "another_time":
        form = AnotherTimeForm(request.POST, location=appointment_request.location)
        if not form.is_valid():
            return render_page(
                request, appointment_request, data=request.POST, action=action, status=400
            )
        appointment_request = workflow.ask_for_another_time(
            appointment_request,
            note=form.cleaned_data["note"],
            windows=form.cleaned_data["preferred_times"],
            wants_earlier=form.cleaned_data["wants_earlier"],
        )
    elif appointment_request.status not in OPEN_STATUSES:
        raise StatusMoveError(
            "This request is closed, so it can no longer join the list for an earlier time."
        )
    else:
        form = EarlierTimeForm(request.POST, prefix="earlier")
        form.is_valid()  # a checkbox: absent means no
        appointment_request = workflow.set_wants_earlier(
            appointment_request, form.cleaned_data["wants_earlier"]
        )
    logger.info("Patient page %s: %s", appointment_request.reference, action)
    return render_page(request, appointment_request, done=action)
