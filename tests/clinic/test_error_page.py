"""The error page always has the phone: with PostgreSQL and Redis both down and the cache
emptied, in a process that has just started."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from clinic import contact_card
from tests.conftest import database_outage
from tests.factories import clinic_settings

ROOT = Path(__file__).resolve().parents[2]
CLOSED_REDIS = "redis://127.0.0.1:6390/0"


def test_with_the_database_and_redis_down_and_the_cache_emptied_the_500_page_has_the_phone(
    client, db, django_db_blocker, settings
):
    clinic_settings(name="Harbor Physical Therapy", phone="+13605558888")
    cache.clear()  # Redis restarted: whatever it held is gone
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_REDIS,
        },
    }
    contact_card.forget()
    contact_card.load()  # a process starting now (clinic/wsgi.py)
    client.raise_request_exception = False
    with django_db_blocker.unblock(), database_outage():
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Harbor Physical Therapy" in html and "(360) 555-8888" in html
    assert 'href="tel:+13605558888"' in html


@pytest.fixture
def card_next_to_the_static_files():
    """The card where a deployed process reads it (CONTACT_CARD_FILE's default)."""
    path = Path(django_settings.STATIC_ROOT) / "contact-card.json"
    earlier = path.read_bytes() if path.exists() else None
    path.write_text(
        json.dumps({"name": "Harbor PT", "phone": "(360) 555-0199", "tel": "+13605550199"})
    )
    yield path
    if earlier is None:
        path.unlink()
    else:
        path.write_bytes(earlier)


def test_a_process_started_while_everything_is_down_shows_the_phone(card_next_to_the_static_files):
    code = (
        "from clinic.wsgi import application; from django.test import Client; "
        "response = Client(raise_request_exception=False).get('/'); "
        "print(response.status_code); print(response.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/clinic",
        "REDIS_URL": CLOSED_REDIS,
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    status, _, html = result.stdout.partition("\n")
    assert status == "500", result.stderr
    assert "Harbor PT" in html and "(360) 555-0199" in html
