"""Running the outbox worker in tests, as `manage.py db_worker` does in production."""

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker


@pytest.fixture
def run_outbox_worker(monkeypatch, django_capture_on_commit_callbacks):
    """Run the real worker once over the queue, inside the test's transaction.

    Between tasks the worker drops database connections that are not in autocommit
    mode; the test's wrapping transaction would look like one, so that housekeeping
    is switched off. Retries the tasks queue on commit are enqueued for real.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        with django_capture_on_commit_callbacks(execute=True):
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

    return run
