"""Fifty patients press "Send" at the same moment: fifty requests, fifty references."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from booking import workflow
from booking.models import AppointmentRequest, CallToActionEvent, StatusMoveError
from booking.protection import new_form_token
from tests.booking.conftest import valid_answers
from tests.factories import AppointmentRequestFactory, LocationFactory

CLIENTS = 50


@pytest.fixture
def committed_db(django_db_blocker):
    """Real commits that other connections see, cleaned up afterwards.

    Not `transactional_db`: its flush would also wipe the rows the migrations created
    (the default site, groups) for the transactional tests that run after this one.
    """
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them)")
        location = LocationFactory()
        try:
            yield location
        finally:
            requests = AppointmentRequest.objects.filter(location=location)
            ModelLogEntry.objects.filter(
                object_id__in=[str(pk) for pk in requests.values_list("pk", flat=True)]
            ).delete()
            requests.delete()
            DBTaskResult.objects.filter(task_path="booking.tasks.deliver_notification").delete()
            CallToActionEvent.objects.all().delete()
            location.delete()


@pytest.fixture
def pool_for_every_client():
    """One process serving CLIENTS requests at once gets a connection pool that large, as a
    server with that many threads sets DATABASE_POOL_SIZE (each thread holds one)."""
    pool = connection.settings_dict["OPTIONS"]["pool"]
    original = dict(pool)
    connection.close_pool()
    pool.update(max_size=CLIENTS, timeout=30)
    yield
    connection.close_pool()
    pool.clear()
    pool.update(original)


@pytest.mark.usefixtures("pool_for_every_client")
def test_fifty_simultaneous_requests_are_all_saved_with_distinct_references(committed_db):
    start = threading.Barrier(CLIENTS)
    statuses = []

    def patient(number):
        try:
            data = valid_answers(
                first_name=f"Patient {number}",
                form_token=new_form_token(),
                location=committed_db.pk,
            )
            start.wait()
            statuses.append(Client().post("/book/", data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=patient, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [302] * CLIENTS
    saved = AppointmentRequest.objects.filter(location=committed_db)
    assert saved.count() == CLIENTS
    assert len(set(saved.values_list("reference", flat=True))) == CLIENTS


def test_two_front_desk_clicks_at_once_make_one_move(committed_db):
    """The row lock: the second click waits for the first, then finds the request cancelled."""
    appointment_request = AppointmentRequestFactory(
        status=AppointmentRequest.Status.SCHEDULED,
        appointment_at=timezone.now() + datetime.timedelta(days=3),
        location=committed_db,
    )
    start = threading.Barrier(2)
    results = []

    def click():
        try:
            stale = AppointmentRequest.objects.get(pk=appointment_request.pk)
            start.wait()
            workflow.cancel(stale)
            results.append("cancelled")
        except StatusMoveError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == ["cancelled", "refused"]
    assert ModelLogEntry.objects.for_instance(appointment_request).count() == 1
