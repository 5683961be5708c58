"""Retention: closed requests are anonymised after a while, spam is deleted sooner."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from booking.models import AppointmentRequest

Status = AppointmentRequest.Status


@transaction.atomic
def purge(now=None):
    now = now or timezone.now()
    closed_before = now - datetime.timedelta(days=settings.BOOKING_RETENTION_DAYS)
    spam_before = now - datetime.timedelta(days=settings.BOOKING_SPAM_RETENTION_DAYS)
    spam = AppointmentRequest.objects.filter(status=Status.SPAM, status_changed_at__lt=spam_before)
    _, per_model = spam.delete()
    deleted = per_model.get(AppointmentRequest._meta.label, 0)
    closed = AppointmentRequest.objects.filter(
        status=Status.CLOSED, status_changed_at__lt=closed_before, anonymised_at__isnull=True
    )
    anonymised = 0
    for appointment_request in closed:
        appointment_request.anonymise()
        anonymised += 1
    return {"spam_deleted": deleted, "closed_anonymised": anonymised}


def ensure_scheduled():
    """Queue the daily purge unless one is already waiting; True when one was queued."""
    from booking.tasks import ensure_queued, purge_expired_requests

    return ensure_queued(purge_expired_requests)
