"""Re-encrypt health data with the first key of FIELD_ENCRYPTION_KEYS (key rotation)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from booking.models import AppointmentRequest


class Command(BaseCommand):
    help = (
        "After putting a new key first in FIELD_ENCRYPTION_KEYS, re-encrypt every request's "
        "reason for visit, staff notes and patient's note with it; then the old key can be "
        "removed."
    )

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for appointment_request in AppointmentRequest.objects.select_for_update().iterator():
                appointment_request.save(update_fields=["reason", "staff_notes", "patient_note"])
                count += 1
        self.stdout.write(f"Re-encrypted {count} appointment request(s) with the current key.")
