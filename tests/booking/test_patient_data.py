"""Health data is encrypted at rest and never reaches logs, URLs or emails."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.db import connection

from booking.fields import UnreadableEncryptedValue
from booking.models import AppointmentRequest, Notification
from booking.tasks import deliver_notification
from tests.booking.conftest import submit
from tests.factories import AppointmentRequestFactory

pytestmark = pytest.mark.django_db

OLD_KEY, NEW_KEY, WRONG_KEY = (Fernet.generate_key().decode() for _ in range(3))
REASON = "Sciatica after a fall, numbness in the left foot"
NOTES = "Diabetic, check with GP before manual therapy"


def stored(appointment_request, column):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM booking_appointmentrequest WHERE id = %s",  # noqa: S608
            [appointment_request.pk],
        )
        return cursor.fetchone()[0]


def test_reason_and_staff_notes_are_encrypted_at_rest(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    appointment_request = AppointmentRequestFactory(reason=REASON, staff_notes=NOTES)

    for column, plain in [("reason", REASON), ("staff_notes", NOTES)]:
        raw = stored(appointment_request, column)
        assert plain not in raw and "Sciatica" not in raw
        assert Fernet(OLD_KEY).decrypt(raw.encode()).decode() == plain
    fresh = AppointmentRequest.objects.get()
    assert (fresh.reason, fresh.staff_notes) == (REASON, NOTES)


def test_a_rotated_key_still_reads_old_rows_and_reencrypts_them(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    appointment_request = AppointmentRequestFactory(reason=REASON, staff_notes=NOTES)

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert AppointmentRequest.objects.get().reason == REASON
    newer = AppointmentRequestFactory(reason="Neck pain")
    assert Fernet(NEW_KEY).decrypt(stored(newer, "reason").encode()) == b"Neck pain"

    call_command("reencrypt_requests", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    fresh = AppointmentRequest.objects.get(pk=appointment_request.pk)
    assert (fresh.reason, fresh.staff_notes) == (REASON, NOTES)


def test_a_wrong_key_fails_loudly_and_never_shows_ciphertext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    appointment_request = AppointmentRequestFactory(reason=REASON)
    ciphertext = stored(appointment_request, "reason")

    settings.FIELD_ENCRYPTION_KEYS = [WRONG_KEY]
    with pytest.raises(UnreadableEncryptedValue) as error:
        AppointmentRequest.objects.get()
    assert "FIELD_ENCRYPTION_KEYS" in str(error.value)
    assert ciphertext not in str(error.value)


def test_the_admin_refuses_to_show_a_request_it_cannot_decrypt(admin_client, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    appointment_request = AppointmentRequestFactory(reason=REASON)
    ciphertext = stored(appointment_request, "reason")
    settings.FIELD_ENCRYPTION_KEYS = [WRONG_KEY]
    admin_client.raise_request_exception = False

    response = admin_client.get(f"/admin/appointment-requests/inspect/{appointment_request.pk}/")
    assert response.status_code == 500
    assert ciphertext.encode() not in response.content


def test_settings_refuse_a_malformed_key():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "clinic.settings",
            "FIELD_ENCRYPTION_KEYS": "not-a-fernet-key",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must hold Fernet keys" in result.stderr


def test_no_health_data_in_logs_urls_or_emails(
    client, admin_client, clinic, location, caplog, django_capture_on_commit_callbacks
):
    """Submit a request and work it through the admin, watching every trace it leaves."""
    caplog.set_level(logging.DEBUG)
    urls = []

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, reason=REASON)
        urls.append(response["Location"])
        client.get(response["Location"])
        appointment_request = AppointmentRequest.objects.get()
        base = f"/admin/appointment-requests/{{}}/{appointment_request.pk}/"
        admin_client.get(base.format("inspect"))
        for step in ("move", "notes"):
            target = (
                f"/admin/appointment-requests/move/{appointment_request.pk}/mark_contacted/"
                if step == "move"
                else f"/admin/appointment-requests/notes/{appointment_request.pk}/"
            )
            urls.append(admin_client.post(target, {"staff_notes": NOTES})["Location"])
        urls.append(
            admin_client.post(
                f"/admin/appointment-requests/schedule/{appointment_request.pk}/",
                {
                    "schedule-appointment_at": "2026-03-09 09:30",
                    "schedule-location": location.pk,
                    "schedule-minutes": 60,
                },
            )["Location"]
        )
    for notification in Notification.objects.all():
        deliver_notification.call(notification.pk)

    appointment_request.refresh_from_db()
    assert appointment_request.status == "scheduled"
    assert appointment_request.staff_notes == NOTES
    assert len(mail.outbox) == 3
    traces = {
        "logs": caplog.text,
        "urls": " ".join(urls),
        "emails": " ".join(
            m.subject
            + "".join(
                part.get_payload(decode=True).decode()
                for part in m.message().walk()
                if not part.is_multipart()
            )
            for m in mail.outbox
        ),
    }
    for where, text in traces.items():
        for secret in ("Sciatica", "numbness", "Diabetic", "manual therapy"):
            assert secret not in text, f"{secret!r} leaked into {where}"
    assert appointment_request.reference in caplog.text, "the logs did capture the flow"
