"""Background work for the outbox worker: emails with retry and backoff, appointment
reminders, the retention purge."""

import datetime
import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from booking.emails import build_message
from booking.models import Notification

logger = logging.getLogger(__name__)

MAX_BACKOFF = datetime.timedelta(hours=1)


def retry_delay(attempts):
    """One minute after the first failure, doubling up to an hour."""
    return min(datetime.timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)


@task(backend="outbox")
def deliver_notification(notification_id):
    notification = (
        Notification.objects.select_related("request__location", "lead")
        .filter(pk=notification_id, status=Notification.Status.PENDING)
        .first()
    )
    if notification is None:
        return "nothing to send"
    if superseded(notification):
        notification.status = Notification.Status.SUPERSEDED
        notification.save(update_fields=["status"])
        return "superseded"
    try:
        build_message(notification).send()
    except (smtplib.SMTPException, OSError) as error:
        return _failed(notification, error)
    notification.attempts += 1
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.save()
    return "sent"


def superseded(notification):
    """An email about an appointment that has changed since (moved, cancelled, answered):
    the later change sends its own, so this one - above all a reminder - must not go."""
    appointment_request = notification.request
    if notification.calendar_sequence is None or appointment_request is None:
        return False
    if notification.calendar_sequence != appointment_request.calendar_sequence:
        return True
    return (
        notification.kind == Notification.Kind.REMINDER
        and appointment_request.status != appointment_request.Status.SCHEDULED
    )


def _failed(notification, error):
    notification.attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:300]
    if notification.attempts >= settings.BOOKING_EMAIL_MAX_ATTEMPTS:
        notification.status = Notification.Status.FAILED
        notification.save()
        logger.error(
            "Email %s (%s) gave up after %s attempts",
            notification.pk,
            notification.kind,
            notification.attempts,
        )
        return "failed"
    notification.save()
    run_after = timezone.now() + retry_delay(notification.attempts)
    logger.warning(
        "Email %s (%s) not sent, attempt %s; retrying at %s",
        notification.pk,
        notification.kind,
        notification.attempts,
        run_after.isoformat(),
    )
    transaction.on_commit(
        lambda: deliver_notification.using(run_after=run_after).enqueue(notification.pk)
    )
    return "retry"


@task(backend="outbox")
def purge_expired_requests(reschedule=True):
    """Apply the retention rules, then book the next run for tomorrow."""
    from booking.retention import purge

    result = purge()
    if reschedule:
        purge_expired_requests.using(
            run_after=timezone.now() + datetime.timedelta(days=1)
        ).enqueue()
    return result


REMINDER_SWEEP_EVERY = datetime.timedelta(minutes=10)


@task(backend="outbox")
def send_reminders(reschedule=True):
    """Queue the reminders now due (BOOKING_REMINDER_HOURS ahead), then book the next sweep."""
    from booking.workflow import send_due_reminders

    try:
        return send_due_reminders()
    finally:
        if reschedule:
            send_reminders.using(run_after=timezone.now() + REMINDER_SWEEP_EVERY).enqueue()


def ensure_queued(periodic):
    """Queue a task that books its own next run unless one is already waiting (after an
    outage, or on a first deploy); True when one was queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=periodic.module_path, status__in=["READY", "RUNNING"]
    ).exists()
    if waiting:
        return False
    periodic.enqueue()
    return True
