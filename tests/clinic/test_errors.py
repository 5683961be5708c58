"""Errors reach someone (ADMINS by email through the worker, optionally Sentry) and never
carry a patient's health data; one log line per event, as text or JSON."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sentry_sdk
from django.conf import settings
from django.core import mail
from django_tasks_db.models import DBTaskResult

from clinic import contact_card
from clinic.errors import QueuedAdminEmailHandler, sentry_options
from clinic.tasks import email_admins

ROOT = Path(__file__).resolve().parents[2]
REASON = "Numbness in the left foot since my chemotherapy"
ADMINS = [("Front desk lead", "lead@harborpt.example")]


@pytest.fixture(autouse=True)
def errors_reach_the_admins(settings):
    settings.ROOT_URLCONF = "tests.clinic.failing_urls"
    settings.ADMINS = ADMINS
    QueuedAdminEmailHandler.last_sent.clear()
    yield
    QueuedAdminEmailHandler.last_sent.clear()


def post_a_form_that_breaks(client):
    client.raise_request_exception = False
    response = client.post("/boom/form/", {"reason": REASON, "first_name": "Ana"})
    assert response.status_code == 500
    return response


def test_a_server_error_is_emailed_to_the_admins_by_the_worker_not_inline(client, db):
    post_a_form_that_breaks(client)
    assert mail.outbox == [], "nothing is sent while the patient waits"

    queued = DBTaskResult.objects.get(task_path=email_admins.module_path)
    email_admins.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    [email] = mail.outbox
    assert email.to == ["lead@harborpt.example"]
    assert "Internal Server Error: /boom/form/" in email.subject
    assert "RuntimeError" in email.body and "first_name" in email.body
    assert REASON not in email.body and "Ana" not in email.body


def test_one_email_per_error_however_many_patients_meet_it(client, db):
    for _ in range(3):
        post_a_form_that_breaks(client)
    assert DBTaskResult.objects.filter(task_path=email_admins.module_path).count() == 1


def test_with_the_database_down_the_email_is_still_sent_without_blocking(client, database_down):
    client.raise_request_exception = False
    contact_card.remember({"name": "Harbor Physical Therapy", "phone": "(360) 555-0142"})
    started = time.monotonic()
    assert client.get("/boom/database/").status_code == 500
    # The request waited for the database (the pool's timeout), not for the email too.
    assert time.monotonic() - started < 2 * settings.DATABASE_CONNECT_TIMEOUT
    deadline = time.monotonic() + 10
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [email.to for email in mail.outbox] == [["lead@harborpt.example"]]


class RecordingTransport(sentry_sdk.transport.Transport):
    """Keeps what Sentry would send, instead of sending it anywhere."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def sentry_events():
    sentry_sdk.init(
        dsn="https://key@sentry.invalid/1", transport=RecordingTransport, **sentry_options()
    )
    yield
    sentry_sdk.get_client().flush()
    sentry_sdk.init()  # no DSN: Sentry is off again for the other tests


def sent_events():
    client = sentry_sdk.get_client()
    client.flush()
    return [
        item.payload.json
        for envelope in client.transport.envelopes
        for item in envelope.items
        if item.type == "event"
    ]


@pytest.mark.usefixtures("sentry_events")
def test_sentry_gets_the_error_but_never_the_reason_for_visit(client, db):
    post_a_form_that_breaks(client)
    events = sent_events()
    assert events, "the error reached Sentry"
    assert any(
        value["type"] == "RuntimeError"
        for event in events
        for value in event.get("exception", {}).get("values", [])
    )
    sent = json.dumps(events)
    assert REASON not in sent and "chemotherapy" not in sent and "Ana" not in sent
    assert all(
        event["request"].get("data") in (None, "[Filtered]")
        for event in events
        if "request" in event
    )


def run_logging(code, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "LOG_FORMAT"}}
    return subprocess.run(
        [sys.executable, "-c", f"import django, logging; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "clinic.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("debug", ["0", "1"])
def test_each_log_event_is_one_line(debug):
    result = run_logging(
        "logging.getLogger('django.request').warning('a django line'); "
        "logging.getLogger('booking.tasks').warning('an app line')",
        DEBUG=debug,
    )
    lines = result.stderr.splitlines()
    assert len([line for line in lines if "a django line" in line]) == 1, result.stderr
    assert len([line for line in lines if "an app line" in line]) == 1, result.stderr


def test_logs_can_be_json_one_object_per_line():
    result = run_logging(
        "logging.getLogger('booking.tasks').warning('queued %s', 3)", LOG_FORMAT="json"
    )
    [line] = [line for line in result.stderr.splitlines() if "queued" in line]
    record = json.loads(line)
    assert record["message"] == "queued 3"
    assert record["level"] == "WARNING" and record["logger"] == "booking.tasks"
    assert "time" in record
