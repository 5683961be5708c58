"""Emails: sent by the outbox worker, free of health details, retried while mail is down."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking.models import AppointmentRequest, Notification
from booking.tasks import deliver_notification, retry_delay
from tests.booking.conftest import submit
from tests.factories import AppointmentRequestFactory

REASON = "Lower back pain when sitting"


@pytest.fixture
def received(client, clinic, location, django_capture_on_commit_callbacks):
    """A patient with an email address has just sent the form."""
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, reason=REASON)
    assert response.status_code == 302
    return AppointmentRequest.objects.get()


def deliver_all():
    for notification in Notification.objects.filter(status="pending"):
        deliver_notification.call(notification.pk)


def test_emails_wait_in_the_outbox_queue_for_the_worker(received):
    assert mail.outbox == []
    queued = DBTaskResult.objects.filter(task_path="booking.tasks.deliver_notification")
    assert queued.count() == 2
    assert {n.kind for n in Notification.objects.all()} == {"new_request", "request_received"}


def test_the_front_desk_is_told_about_a_new_request_without_health_details(received):
    deliver_all()
    message = next(m for m in mail.outbox if m.to == ["frontdesk@harborpt.example"])
    assert message.subject == f"New appointment request {received.reference}"
    assert (
        f"https://www.harborpt.example/admin/appointment-requests/inspect/{received.pk}/"
        in message.body
    )
    assert REASON not in message.body
    assert "back pain" not in message.body.lower()


def test_the_patient_gets_the_reference_and_phone_without_health_details(received):
    deliver_all()
    message = next(m for m in mail.outbox if m.to == ["olivia@example.com"])
    assert received.reference in message.subject
    assert received.reference in message.body
    assert "(360) 555-0142" in message.body
    assert REASON not in message.body
    assert Notification.objects.filter(status="sent").count() == 2


def test_no_patient_email_without_an_address(client, location, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, email="")
    assert list(Notification.objects.values_list("kind", flat=True)) == ["new_request"]


def test_emails_are_queued_only_once_the_request_is_committed(client, location):
    # Without running on-commit callbacks (as if the transaction had rolled back)...
    submit(client)
    assert not DBTaskResult.objects.exists()


def test_backoff_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 12)] == [
        60,
        120,
        240,
        3600,
        3600,
        3600,
    ]


def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2


def test_mail_down_then_retried(
    client, clinic, location, settings, run_outbox_worker, django_capture_on_commit_callbacks
):
    """The request is saved and confirmed while SMTP refuses; the worker sends it later."""
    mail_server_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    appointment_request = AppointmentRequest.objects.get()

    run_outbox_worker()
    notifications = Notification.objects.filter(request=appointment_request)
    assert {(n.status, n.attempts) for n in notifications} == {("pending", 1)}
    assert all("Connection refused" in n.last_error for n in notifications)
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.count() == 2
    assert all(r.run_after > timezone.now() for r in retries), "retries wait (backoff)"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retries.update(run_after=timezone.now() - datetime.timedelta(seconds=1))  # a minute passes
    run_outbox_worker()

    assert {(n.status, n.attempts) for n in notifications.all()} == {("sent", 2)}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "frontdesk@harborpt.example",
        "olivia@example.com",
    ]


def test_a_mail_that_never_goes_is_marked_failed_for_staff(
    clinic, settings, admin_client, run_outbox_worker
):
    settings.BOOKING_EMAIL_MAX_ATTEMPTS = 2
    mail_server_down(settings)
    appointment_request = AppointmentRequestFactory()
    notification = Notification.objects.create(
        kind="new_request", recipient="frontdesk@harborpt.example", request=appointment_request
    )
    deliver_notification.enqueue(notification.pk)

    run_outbox_worker()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_outbox_worker()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 2)
    assert not DBTaskResult.objects.filter(status="READY").exists(), "no more retries"
    dashboard = admin_client.get("/admin/").content.decode()
    assert "1 email could not be sent" in dashboard
    listing = admin_client.get("/admin/emails/?status=failed").content.decode()
    assert "Connection refused" in listing
