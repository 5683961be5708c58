"""Queue the worker's periodic tasks (heartbeat, daily backup) once; safe on every deploy."""

from django.core.management.base import BaseCommand

from clinic.tasks import PERIODIC, ensure_scheduled


class Command(BaseCommand):
    help = "Queue the worker's heartbeat and daily backup unless they are already queued."

    def handle(self, *args, **options):
        queued = ensure_scheduled()
        waiting = [name for name in PERIODIC if name not in queued]
        for name in queued:
            self.stdout.write(f"Queued: {name}.")
        for name in waiting:
            self.stdout.write(f"Already queued: {name}.")
