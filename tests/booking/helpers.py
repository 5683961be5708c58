"""Running the outbox worker in tests, as `manage.py db_worker` does in production."""

from django.core.management import call_command


def run_outbox_worker():
    call_command(
        "db_worker",
        "--batch",
        "--queue-name",
        "*",
        "--backend",
        "outbox",
        "--interval",
        "0",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )
