"""Errors that reach someone, without patient data: the admins' emails go through the task
queue, and the reports (email or Sentry) carry no form field, local variable or health
field.

Settings import this module (Sentry starts with them), so nothing here needs the app
registry at import time.
"""

import logging
import threading
import time

from django.db import DatabaseError
from django.utils.log import AdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

logger = logging.getLogger(__name__)

FILTERED = "[Filtered]"
# Field names that may hold health data wherever they appear (form posts, task arguments).
HEALTH_FIELDS = {"reason", "staff_notes", "notes", "message", "note", "patient_note"}
# A failing page may log the same error for every visitor: one email per subject at most
# this often from each process.
REPEAT_SECONDS = 300


class QueuedAdminEmailHandler(AdminEmailHandler):
    """Django's error email, sent by the worker instead of inside the failing request.

    When the queue cannot take it (the error is the database failing, the usual cause of
    a wave of errors, or the enqueue fails), the email is sent from a background thread:
    never blocking the request.
    """

    last_sent = {}
    lock = threading.Lock()
    current = threading.local()

    def emit(self, record):
        error = record.exc_info[1] if record.exc_info else None
        self.current.database_failed = isinstance(error, DatabaseError)
        super().emit(record)

    def send_mail(self, subject, message, *args, **kwargs):
        now = time.monotonic()
        with self.lock:
            if now - self.last_sent.get(subject, -REPEAT_SECONDS) < REPEAT_SECONDS:
                return
            self.last_sent[subject] = now
        from clinic.tasks import email_admins

        email = (subject, message, kwargs.get("html_message"))
        if not getattr(self.current, "database_failed", False):
            try:
                email_admins.enqueue(*email)
                return
            except Exception:  # the queue is in the database, which may be what failed
                logger.warning("Error email not queued; sending it from a thread instead")
        threading.Thread(target=email_admins.call, args=email, daemon=True).start()


class OncePerInterval(logging.Filter):
    """Lets one record through per `seconds`, saying how many it held back: a cache that is
    down fails on every call, and one line a minute says so as well as thousands."""

    def __init__(self, seconds=60):
        super().__init__()
        self.seconds = seconds
        self.next_allowed = 0.0
        self.held_back = 0
        self.lock = threading.Lock()

    def filter(self, record):
        now = time.monotonic()
        with self.lock:
            if now < self.next_allowed:
                self.held_back += 1
                return False
            held_back, self.held_back = self.held_back, 0
            self.next_allowed = now + self.seconds
        if held_back:
            record.msg = f"{record.msg} ({held_back} more since the last report)"
        return True


class PatientDataFilter(SafeExceptionReporterFilter):
    """In production, error reports show which fields a form had, never their values, and
    no local variables: any of them may be a patient's reason for visit."""

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed.setlist(key, [FILTERED])
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, FILTERED) for name in tb_frame.f_locals]


def scrub_event(event, hint=None):
    """Sentry's before_send: no request body, cookies or health fields leave the process."""
    request = event.get("request") or {}
    if "data" in request:
        request["data"] = FILTERED
    request.pop("cookies", None)
    for header in ("Cookie", "Authorization", "X-Csrftoken"):
        request.get("headers", {}).pop(header, None)
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    extra = event.get("extra") or {}
    for name in list(extra):
        if name in HEALTH_FIELDS:
            extra[name] = FILTERED
    return event


def sentry_options():
    """How Sentry is set up (settings.py, and the test that proves what it sends)."""
    from sentry_sdk.integrations.django import DjangoIntegration

    return {
        "integrations": [DjangoIntegration()],
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
        "before_send": scrub_event,
        "traces_sample_rate": 0,
    }
