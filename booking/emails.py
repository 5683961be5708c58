"""The emails themselves. None of them carries health details (reason, notes, condition,
the therapist's specialty): a patient's email has their first name, the time with its
zone, the place, the number to call and their own link; the front desk's, a reference
and the admin link."""

from email.mime.text import MIMEText

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Site

from booking import patient_link
from booking.calendar import appointment_ics, appointment_phone
from booking.models import Notification
from clinic.models import ClinicSettings

GUIDE_LINK_SALT = "booking.guide-download"
Kind = Notification.Kind

TEMPLATES = {
    Kind.NEW_REQUEST: "booking/emails/new_request",
    Kind.REQUEST_RECEIVED: "booking/emails/request_received",
    Kind.APPOINTMENT_SCHEDULED: "booking/emails/appointment_scheduled",
    Kind.APPOINTMENT_RESCHEDULED: "booking/emails/appointment_rescheduled",
    Kind.APPOINTMENT_CANCELLED: "booking/emails/appointment_cancelled",
    Kind.REMINDER: "booking/emails/reminder",
    Kind.PATIENT_ANSWER: "booking/emails/patient_answer",
    Kind.GUIDE: "booking/emails/guide",
}

# The patient's emails about a booked time, each with the calendar event.
WITH_CALENDAR = {
    Kind.APPOINTMENT_SCHEDULED,
    Kind.APPOINTMENT_RESCHEDULED,
    Kind.APPOINTMENT_CANCELLED,
    Kind.REMINDER,
}
WITH_PATIENT_LINK = WITH_CALENDAR | {Kind.REQUEST_RECEIVED}


def absolute_url(path):
    """A link in an email, on the site's public address (no request to ask)."""
    return (settings.SITE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/") + path


def guide_download_url(lead):
    token = signing.TimestampSigner(salt=GUIDE_LINK_SALT).sign(str(lead.pk))
    return absolute_url(reverse("booking:guide_download", args=[token]))


def admin_request_url(appointment_request):
    path = reverse("booking_requests:inspect", args=[appointment_request.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def calendar_part(ics, method):
    """The .ics as its own part: text/calendar with the iTIP method and one charset
    (EmailMessage.attach would add a second charset to a text/* type given one)."""
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="appointment.ics")
    return part


def build_message(notification):
    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    appointment_request = notification.request
    context = {"clinic": clinic, "request": appointment_request, "lead": notification.lead}
    if notification.kind in (Kind.NEW_REQUEST, Kind.PATIENT_ANSWER):
        context["admin_url"] = admin_request_url(appointment_request)
    if notification.kind == Kind.GUIDE:
        context["download_url"] = guide_download_url(notification.lead)
        context["link_days"] = settings.GUIDE_LINK_DAYS
    if notification.kind in WITH_PATIENT_LINK:
        context["patient_url"] = patient_link.link_for(appointment_request)
        context["phone"] = appointment_phone(appointment_request, clinic)
    template = TEMPLATES[notification.kind]
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    message = EmailMessage(subject, body, to=[notification.recipient])
    if notification.kind in WITH_CALENDAR:
        cancelled = notification.kind == Kind.APPOINTMENT_CANCELLED
        ics = appointment_ics(appointment_request, clinic, cancelled=cancelled)
        message.attach(calendar_part(ics, "CANCEL" if cancelled else "REQUEST"))
    return message
