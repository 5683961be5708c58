import contextlib
import copy
import os

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Pages link hashed static files (WhiteNoise manifest), as in production."""
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def clear_cache():
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def contact_card_file(settings, tmp_path):
    """Each test's own error-page contact card, as a process that just started holds none."""
    from clinic import contact_card

    settings.CONTACT_CARD_FILE = tmp_path / "contact-card.json"
    contact_card.forget()
    yield settings.CONTACT_CARD_FILE
    contact_card.forget()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 costs about a second per hash by design; tests that are not about hashing
    hash with MD5 (tests/clinic/test_security_accounts.py restores the real hashers)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_worker_once():
    """The real worker over the database queue until it is empty, then back to the test."""
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


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what an editor's save does when its transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def home_page(db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


@contextlib.contextmanager
def database_outage(port="9"):
    """Point the app's connection at a database that does not answer, then restore it.

    A real failed connection, not a mock: PostgreSQL on a closed port (by default the
    discard port, where nothing listens).
    """
    if connection.vendor != "postgresql":
        # SQLite's in-memory test database lives only as long as its one connection.
        pytest.skip("a database outage is simulated on PostgreSQL only")
    original = copy.deepcopy(connection.settings_dict)
    connection.close()
    # The connection pool was made with the real address: the next one is made with this.
    connection.close_pool()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = str(port)
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)


@pytest.fixture
def scratch_database(django_db_blocker):
    """The URL of a new, empty PostgreSQL database beside the test one, dropped afterwards
    (restores and first starts need a database of their own)."""
    import uuid

    import psycopg

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL")
        db = connection.settings_dict
    name = f"{os.environ['DATABASE_URL'].rsplit('/', 1)[1]}_scratch_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        dbname="postgres",
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def database_down(django_db_blocker):
    with django_db_blocker.unblock(), database_outage():
        yield
