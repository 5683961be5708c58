"""Fifty patients press "Send" at the same moment: fifty requests, fifty references."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django_tasks_db.models import DBTaskResult

from booking.models import AppointmentRequest, CallToActionEvent
from booking.protection import new_form_token
from tests.booking.conftest import valid_answers
from tests.factories import LocationFactory

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
            AppointmentRequest.objects.filter(location=location).delete()
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
