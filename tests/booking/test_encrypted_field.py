"""The encrypted field of our own reads everything the library it replaced wrote."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from booking.fields import UnreadableEncryptedValue, fernet
from booking.models import AppointmentRequest
from tests.factories import AppointmentRequestFactory

pytestmark = pytest.mark.django_db

# Written by booking.fields.EncryptedTextField on django-fernet-encrypted-fields 0.4.0,
# before that package was removed; with test-only keys.
LEGACY = json.loads((Path(__file__).parent / "fixtures" / "legacy_ciphertext.json").read_text())
OLD_KEY, NEW_KEY = LEGACY["keys"]["old"], LEGACY["keys"]["new"]


def store_raw(appointment_request, column, ciphertext):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE booking_appointmentrequest SET {column} = %s WHERE id = %s",  # noqa: S608
            [ciphertext, appointment_request.pk],
        )


def raw(appointment_request, column):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM booking_appointmentrequest WHERE id = %s",  # noqa: S608
            [appointment_request.pk],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("row", LEGACY["rows"], ids=lambda row: row["plaintext"][:12] or "empty")
def test_every_value_the_old_field_wrote_reads_back(settings, row):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    appointment_request = AppointmentRequestFactory(reason=None)
    store_raw(appointment_request, "reason", row["ciphertext"])

    reason = AppointmentRequest.objects.get(pk=appointment_request.pk).reason
    assert reason == (row["plaintext"] or None)


def test_old_rows_move_to_the_new_key_with_reencrypt_requests(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    legacy = [
        row for row in LEGACY["rows"] if row["encrypted_with"] == OLD_KEY and row["plaintext"]
    ]
    requests = []
    for row in legacy:
        appointment_request = AppointmentRequestFactory(reason=None)
        store_raw(appointment_request, "reason", row["ciphertext"])
        store_raw(appointment_request, "staff_notes", row["ciphertext"])
        store_raw(appointment_request, "patient_note", row["ciphertext"])
        requests.append(appointment_request)

    call_command("reencrypt_requests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone
    for appointment_request, row in zip(requests, legacy, strict=True):
        fresh = AppointmentRequest.objects.get(pk=appointment_request.pk)
        assert fresh.reason == fresh.staff_notes == fresh.patient_note == row["plaintext"]
        assert raw(appointment_request, "reason") != row["ciphertext"]


def test_without_the_key_that_wrote_a_value_it_raises(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    row = next(row for row in LEGACY["rows"] if row["encrypted_with"] == OLD_KEY)
    appointment_request = AppointmentRequestFactory(reason=None)
    store_raw(appointment_request, "reason", row["ciphertext"])
    with pytest.raises(UnreadableEncryptedValue):
        AppointmentRequest.objects.get(pk=appointment_request.pk)


def test_an_empty_reason_is_stored_as_null_as_before(settings):
    appointment_request = AppointmentRequestFactory(reason="")
    assert raw(appointment_request, "reason") is None


def test_the_keys_are_prepared_once_per_key_set_not_per_value(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert fernet() is fernet()
    first = fernet()
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    assert fernet() is not first
