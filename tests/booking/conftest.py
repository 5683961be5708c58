import datetime
import re

import pytest
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from tests.conftest import run_worker_once
from tests.factories import LocationFactory, clinic_settings


@pytest.fixture(autouse=True)
def booking_settings(settings):
    """Humans in tests type instantly; the time trap's minimum is tested on its own."""
    settings.BOOKING_FORM_MIN_SECONDS = 0
    settings.BOOKING_RATE_LIMIT = 1000
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CLINIC_NOTIFY_EMAIL = "frontdesk@harborpt.example"
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = "https://www.harborpt.example"
    return settings


@pytest.fixture
def front_desk_user(django_user_model):
    """Jamie of the front desk, in the group the migrations set up."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "frontdesk", "fd@harborpt.example", "x" * 16, first_name="Jamie", last_name="Lee"
    )
    user.groups.add(Group.objects.get(name="Front desk"))
    return user


@pytest.fixture
def front_desk(client, front_desk_user):
    """A test client signed in as the front desk."""
    client.force_login(front_desk_user)
    return client


@pytest.fixture
def clinic(db):
    return clinic_settings(phone="+13605550142")


@pytest.fixture
def location(db):
    """Open Monday to Friday 08:00-17:00 (see LocationFactory)."""
    return LocationFactory(name="Downtown")


def next_weekday(weekday, weeks_ahead=1):
    """A date in the coming weeks that falls on the given weekday (Monday is 0)."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def form_token(client, url="/book/"):
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def valid_answers(**overrides):
    answers = {
        "first_name": "Olivia",
        "last_name": "Martin",
        "phone": "(360) 555-0187",
        "email": "olivia@example.com",
        "preferred_contact": "phone",
        "patient_type": "new",
        "reason": "Lower back pain when sitting",
        "time_1_date": next_weekday(0).isoformat(),
        "time_1_window": "morning",
        "payment": "insurance",
        "heard_about": "article",
        "consent": "on",
        "website": "",
    }
    answers.update(overrides)
    return {key: value for key, value in answers.items() if value is not None}


def submit(client, token=None, **overrides):
    """Fill in the form as a patient would: open it, then send it."""
    data = valid_answers(**overrides)
    data.setdefault("form_token", token or form_token(client))
    return client.post("/book/", data)


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
            run_worker_once()

    return run
