"""Queue the emails a request or a lead implies; the outbox worker sends them."""

from django.db import transaction

from booking.models import Notification


def queue_notification(kind, recipient, request=None, lead=None, calendar_sequence=None):
    """Record the email now; hand it to the worker only once the data is committed.
    calendar_sequence: the appointment's version the email is about (see tasks)."""
    from booking.tasks import deliver_notification

    notification = Notification.objects.create(
        kind=kind,
        recipient=recipient,
        request=request,
        lead=lead,
        calendar_sequence=calendar_sequence,
    )
    transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification
