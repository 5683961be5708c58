"""The emails themselves. None of them carries health details (reason, notes, condition)."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Site

from booking.calendar import appointment_ics
from booking.models import Notification
from clinic.models import ClinicSettings

GUIDE_LINK_SALT = "booking.guide-download"

TEMPLATES = {
    Notification.Kind.NEW_REQUEST: "booking/emails/new_request",
    Notification.Kind.REQUEST_RECEIVED: "booking/emails/request_received",
    Notification.Kind.APPOINTMENT_SCHEDULED: "booking/emails/appointment_scheduled",
    Notification.Kind.GUIDE: "booking/emails/guide",
}


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def guide_download_url(lead):
    token = signing.TimestampSigner(salt=GUIDE_LINK_SALT).sign(str(lead.pk))
    return absolute_url(reverse("booking:guide_download", args=[token]))


def admin_request_url(appointment_request):
    return absolute_url(reverse("booking_requests:inspect", args=[appointment_request.pk]))


def build_message(notification):
    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    context = {"clinic": clinic, "request": notification.request, "lead": notification.lead}
    if notification.kind == Notification.Kind.NEW_REQUEST:
        context["admin_url"] = admin_request_url(notification.request)
    if notification.kind == Notification.Kind.GUIDE:
        context["download_url"] = guide_download_url(notification.lead)
        context["link_days"] = settings.GUIDE_LINK_DAYS
    template = TEMPLATES[notification.kind]
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    message = EmailMessage(subject, body, to=[notification.recipient])
    if notification.kind == Notification.Kind.APPOINTMENT_SCHEDULED:
        message.attach(
            "appointment.ics",
            appointment_ics(notification.request, clinic),
            "text/calendar; method=PUBLISH; charset=utf-8",
        )
    return message
