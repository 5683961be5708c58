"""Retention: old closed requests lose their personal data, spam goes after 30 days."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking.models import AppointmentRequest, PreferredTime
from booking.tasks import purge_expired_requests
from tests.factories import AppointmentRequestFactory

pytestmark = pytest.mark.django_db

Status = AppointmentRequest.Status


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def history():
    requests = {
        "old_closed": AppointmentRequestFactory(
            status=Status.CLOSED, status_changed_at=days_ago(400), patient_note="Hip still sore"
        ),
        "recent_closed": AppointmentRequestFactory(
            status=Status.CLOSED, status_changed_at=days_ago(100)
        ),
        "old_spam": AppointmentRequestFactory(status=Status.SPAM, status_changed_at=days_ago(31)),
        "recent_spam": AppointmentRequestFactory(status=Status.SPAM, status_changed_at=days_ago(5)),
        "old_but_open": AppointmentRequestFactory(
            status=Status.CONTACTED, status_changed_at=days_ago(500)
        ),
    }
    requests["old_closed"].preferred_times.create(date=datetime.date(2025, 9, 1), window="morning")
    return requests


def test_the_command_anonymises_old_closed_requests_and_deletes_old_spam(history):
    output = io.StringIO()
    call_command("purge_requests", stdout=output)

    assert "Anonymised 1 request(s) closed for more than 365 days" in output.getvalue()
    assert "deleted 1 spam record(s) older than 30 days" in output.getvalue()
    assert not AppointmentRequest.objects.filter(pk=history["old_spam"].pk).exists()
    old = AppointmentRequest.objects.get(pk=history["old_closed"].pk)
    assert (old.first_name, old.last_name, str(old.phone), old.email) == ("Removed", "", "", "")
    assert old.reason is None and old.staff_notes is None and old.patient_note is None
    assert old.anonymised_at is not None
    assert old.reference == history["old_closed"].reference, "statistics keep the reference"
    assert not PreferredTime.objects.exists()
    for kept in ("recent_closed", "recent_spam", "old_but_open"):
        assert AppointmentRequest.objects.get(pk=history[kept].pk).first_name == "Olivia"


def test_the_retention_periods_are_settings(history, settings):
    settings.BOOKING_RETENTION_DAYS = 90
    settings.BOOKING_SPAM_RETENTION_DAYS = 3
    call_command("purge_requests", stdout=io.StringIO())
    assert AppointmentRequest.objects.filter(anonymised_at__isnull=False).count() == 2
    assert not AppointmentRequest.objects.filter(status=Status.SPAM).exists()


def test_the_scheduled_task_purges_and_books_its_next_run(history):
    result = purge_expired_requests.call()
    assert result == {"spam_deleted": 1, "closed_anonymised": 1}
    next_run = DBTaskResult.objects.get(task_path="booking.tasks.purge_expired_requests")
    assert next_run.run_after > timezone.now() + datetime.timedelta(hours=23)


def test_scheduling_the_daily_purge_twice_queues_it_once(db):
    output = io.StringIO()
    call_command("purge_requests", "--schedule", stdout=output)
    call_command("purge_requests", "--schedule", stdout=output)
    assert (
        DBTaskResult.objects.filter(task_path="booking.tasks.purge_expired_requests").count() == 1
    )
    assert "already queued" in output.getvalue()
