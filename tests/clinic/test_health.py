"""/readyz tells the truth: database, cache, the worker's heartbeat, the email queue."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clinic.tasks import email_admins, heartbeat

CLOSED_REDIS = "redis://127.0.0.1:6390/0"


def beat():
    """What the worker records when it has run the heartbeat."""
    heartbeat.call()  # books the next beat, a minute later
    done = DBTaskResult.objects.get(pk=heartbeat.enqueue().id)
    done.claim("test-worker")
    done.set_successful(timezone.now().isoformat())


@pytest.fixture
def worker_beating(db):
    beat()


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_beats_and_books_the_next_beat(client):
    heartbeat.enqueue()
    call_command("db_worker", "--batch", "--queue-name", "*", "--backend", "outbox", verbosity=0)
    beats = DBTaskResult.objects.filter(task_path=heartbeat.module_path)
    assert beats.filter(status="SUCCESSFUL").count() == 1
    assert beats.filter(status="READY", run_after__gt=timezone.now()).count() == 1
    status, body = readiness(client)
    assert status == 200, body


def readiness(client):
    response = client.get("/readyz")
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_ready_when_database_cache_worker_and_queue_are_fine(client, worker_beating):
    status, body = readiness(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert {body[part] for part in ("database", "cache", "worker", "queue")} == {"ok"}
    assert body["worker_seconds"] < 60


def test_not_ready_with_the_database_down(client, database_down):
    status, body = readiness(client)
    assert status == 503
    assert body["database"] == "unreachable"
    assert body["worker"] == body["queue"] == "unknown"
    assert "database" in body["failed"]


def test_not_ready_with_redis_down(client, worker_beating, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_REDIS,
        },
    }
    status, body = readiness(client)
    assert status == 503
    assert body["cache"] == "unreachable"
    assert body["failed"] == ["cache"]


def test_not_ready_when_the_worker_never_beat(client, db):
    status, body = readiness(client)
    assert status == 503
    assert body["worker"] == "no heartbeat"


def test_not_ready_when_the_worker_stopped(client, worker_beating, settings):
    DBTaskResult.objects.filter(task_path=heartbeat.module_path).update(
        finished_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    status, body = readiness(client)
    assert status == 503
    assert body["worker"] == "stopped"
    assert body["worker_seconds"] >= 600 > settings.READYZ_HEARTBEAT_MAX_AGE


def test_not_ready_when_an_email_has_waited_too_long(client, worker_beating, settings):
    email_admins.enqueue("Subject", "Body")
    DBTaskResult.objects.filter(task_path=email_admins.module_path).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    status, body = readiness(client)
    assert status == 503
    assert body["queue"] == "backlog" and body["failed"] == ["queue"]
    assert body["queue_seconds"] >= 1200


def test_an_email_waiting_less_than_the_limit_is_fine(client, worker_beating):
    email_admins.enqueue("Subject", "Body")
    status, body = readiness(client)
    assert status == 200, body
