"""The patient's own link in every email they get: signed, for one request, no login.

It names the request and the appointment's version (calendar_sequence), and holds until
the appointment ends (30 days for a request not yet scheduled). A later change to the
appointment sends a new email with a new link; the older links then stop working.
"""

import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from booking.models import AppointmentRequest

SALT = "booking.patient-link"
UNSCHEDULED_DAYS = 30


class LinkInvalid(Exception):
    """Not a link the clinic made (mistyped, cut short or tampered with)."""


class LinkExpired(Exception):
    """A real link whose time has passed, or one an appointment change replaced."""


def expires_at(appointment_request, now=None):
    if appointment_request.appointment_at is not None:
        return appointment_request.appointment_ends_at
    return (now or timezone.now()) + datetime.timedelta(days=UNSCHEDULED_DAYS)


def token_for(appointment_request, now=None):
    payload = {
        "r": appointment_request.pk,
        "s": appointment_request.calendar_sequence,
        "e": int(expires_at(appointment_request, now).timestamp()),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def link_for(appointment_request):
    from booking.emails import absolute_url

    return absolute_url(
        reverse("booking:patient_appointment", args=[token_for(appointment_request)])
    )


def read(token, now=None):
    """The request a token names; LinkInvalid or LinkExpired when it must not be used."""
    try:
        payload = signing.loads(token, salt=SALT)
        pk, sequence, expires = int(payload["r"]), int(payload["s"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise LinkInvalid from error
    if (now or timezone.now()).timestamp() >= expires:
        raise LinkExpired
    appointment_request = (
        AppointmentRequest.objects.select_related("location").filter(pk=pk).first()
    )
    if appointment_request is None or appointment_request.anonymised_at is not None:
        raise LinkInvalid
    if appointment_request.calendar_sequence != sequence:
        raise LinkExpired
    return appointment_request
