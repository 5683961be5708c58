"""Email the reminders now due (see README, "Front desk")."""

from django.conf import settings
from django.core.management.base import BaseCommand

from booking.tasks import ensure_queued, send_reminders
from booking.workflow import send_due_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminder email of each appointment starting within "
        "BOOKING_REMINDER_HOURS. With --schedule, queue the worker's sweep (every 10 "
        "minutes) instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the reminder sweep task (once; it books its own next run).",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            queued = ensure_queued(send_reminders)
            self.stdout.write(
                "Reminder sweep queued." if queued else "The reminder sweep is already queued."
            )
            return
        count = send_due_reminders()
        self.stdout.write(
            f"Queued {count} reminder(s) for appointments within "
            f"{settings.BOOKING_REMINDER_HOURS} hours."
        )
