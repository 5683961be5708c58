"""Apply the retention rules to appointment requests (see README, "Front desk")."""

from django.conf import settings
from django.core.management.base import BaseCommand

from booking.retention import ensure_scheduled, purge


class Command(BaseCommand):
    help = (
        "Anonymise requests closed for more than BOOKING_RETENTION_DAYS and delete spam "
        "older than BOOKING_SPAM_RETENTION_DAYS. With --schedule, queue the daily run on "
        "the outbox worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily purge task (once; it books its own next run).",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            queued = ensure_scheduled()
            self.stdout.write(
                "Daily purge queued." if queued else "The daily purge is already queued."
            )
            return
        result = purge()
        self.stdout.write(
            f"Anonymised {result['closed_anonymised']} request(s) closed for more than "
            f"{settings.BOOKING_RETENTION_DAYS} days; deleted {result['spam_deleted']} spam "
            f"record(s) older than {settings.BOOKING_SPAM_RETENTION_DAYS} days."
        )
