"""The patient's own page, opened from the link in every patient email."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from booking import patient_link, workflow
from booking.models import AppointmentRequest, Notification, PreferredTime
from tests.booking.conftest import next_weekday, submit
from tests.factories import AppointmentRequestFactory

pytestmark = pytest.mark.django_db

Status = AppointmentRequest.Status


@pytest.fixture
def front_desk_user(django_user_model):
    user = django_user_model.objects.create_user("frontdesk", "fd@harborpt.example", "x" * 16)
    user.groups.add(Group.objects.get(name="Front desk"))
    return user


def ten_am(weekday=1):
    """10:00 on a weekday next week, clinic time (the location is open 08:00-17:00)."""
    day = next_weekday(weekday)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def scheduled(clinic, location, front_desk_user):
    appointment_request = AppointmentRequestFactory(first_name="Olivia", location=location)
    return workflow.schedule(
        appointment_request, at=ten_am(), location=location, by=front_desk_user
    )


@pytest.fixture
def link(scheduled):
    """The path of the link in the patient's emails."""
    return urlsplit(patient_link.link_for(scheduled)).path


def main_of(response):
    return BeautifulSoup(response.content, "html.parser").find("main")


def state(appointment_request):
    """Everything a patient's answer could change: the row, its history, its emails."""
    row = AppointmentRequest.objects.filter(pk=appointment_request.pk).values().get()
    return (
        row,
        ModelLogEntry.objects.filter(object_id=str(appointment_request.pk)).count(),
        Notification.objects.count(),
        list(PreferredTime.objects.filter(request=appointment_request).values()),
    )


def another_time(**overrides):
    answers = {
        "action": "another_time",
        "note": "Mornings are easier for me next week.",
        "time_1_date": next_weekday(3).isoformat(),
        "time_1_window": "morning",
        "wants_earlier": "on",
    }
    answers.update(overrides)
    return {key: value for key, value in answers.items() if value is not None}


# What the page shows ---------------------------------------------------------------------


def test_the_patient_sees_when_and_where_with_the_time_zone_and_the_phone(client, link, scheduled):
    main = main_of(client.get(link))

    assert main.h1.get_text() == "Your appointment, Olivia"
    when = timezone.localtime(scheduled.appointment_at)
    details = main.find("dl", class_="appointment-details").get_text(" ", strip=True)
    assert f"{when:%A, %B} {when.day}, {when.year} at 10:00 AM {when:%Z}" in details
    assert when.strftime("%Z") in {"PST", "PDT"}
    assert "Downtown" in details and "1 Main Street" in details and "Olympia, WA 98501" in details
    assert scheduled.reference in details
    assert main.find("a", href="tel:+13605550142").get_text() == "(360) 555-0142"
    assert "Lower back pain" not in main.get_text(), "never the reason for the visit"


def test_a_request_not_yet_scheduled_says_what_happens_next(client, clinic, location):
    appointment_request = AppointmentRequestFactory(location=location, preferred_contact="text")
    before = state(appointment_request)

    main = main_of(client.get(urlsplit(patient_link.link_for(appointment_request)).path))

    assert main.h1.get_text() == "Your appointment request"
    assert "We have your request. Our front desk contacts you by text message" in main.get_text()
    assert not main.find("button", value="confirm") and not main.find("button", value="cancel")
    assert main.find("button", value="wants_earlier"), "the waitlist is still offered"
    assert state(appointment_request) == before


def test_a_location_with_its_own_number_gives_that_number(client, link, location):
    location.phone = "+13605550111"
    location.save()

    assert main_of(client.get(link)).find("a", href="tel:+13605550111")


def test_the_page_is_never_cached_indexed_or_sent_on_as_a_referer(client, link):
    response = client.get(link)

    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "Disallow: /appointment/" in client.get("/robots.txt").content.decode()


def test_the_page_answers_in_a_fixed_number_of_queries(client, link, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(link).status_code == 200


# Opening the link changes nothing ----------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_the_link_changes_nothing(client, link, scheduled, method):
    before = state(scheduled)

    for _ in range(3):  # a mail scanner, a link preview, the patient
        assert getattr(client, method)(link).status_code == 200

    assert state(scheduled) == before


def test_other_methods_are_refused_and_change_nothing(client, link, scheduled):
    before = state(scheduled)

    assert client.put(link, "action=cancel").status_code == 405
    assert client.delete(link).status_code == 405
    assert state(scheduled) == before


# The patient's answers ---------------------------------------------------------------------


def test_the_patient_confirms_and_the_page_says_so(client, link, scheduled):
    response = client.post(link, {"action": "confirm"})

    assert response.status_code == 200
    assert "your appointment is confirmed" in main_of(response).get_text()
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED
    assert scheduled.patient_answer == "confirmed"
    assert scheduled.patient_answered_at is not None
    assert "You confirmed this appointment" in main_of(client.get(link)).get_text()


def test_the_patient_cancels_and_the_page_says_what_happens_next(client, link, scheduled):
    response = client.post(link, {"action": "cancel"})

    assert response.status_code == 200
    main = main_of(response)
    assert main.h1.get_text() == "Your appointment is cancelled"
    assert "To book another time, call us" in main.get_text()
    assert not main.find("button", value="confirm"), "nothing left to confirm"
    scheduled.refresh_from_db()
    assert scheduled.status == Status.CANCELLED
    assert scheduled.cancelled_by == "patient"


def test_the_patient_asks_for_another_time(client, link, scheduled):
    response = client.post(link, another_time())

    assert response.status_code == 200
    assert "we have your new times" in main_of(response).get_text()
    scheduled.refresh_from_db()
    assert scheduled.status == Status.CONTACTED
    assert scheduled.patient_answer == "another_time"
    assert scheduled.patient_note == "Mornings are easier for me next week."
    assert scheduled.wants_earlier is True
    assert (next_weekday(3), "morning") in {
        (time.date, time.window) for time in scheduled.preferred_times.all()
    }


def test_the_patient_joins_and_leaves_the_waitlist(client, link, scheduled):
    response = client.post(link, {"action": "wants_earlier", "earlier-wants_earlier": "on"})

    assert "We'll tell you if an earlier time opens." in main_of(response).get_text()
    scheduled.refresh_from_db()
    assert scheduled.wants_earlier is True
    assert (
        main_of(client.get(link)).find("input", id="id_earlier-wants_earlier").has_attr("checked")
    )

    response = client.post(link, {"action": "wants_earlier"})

    assert "We won't offer you earlier times." in main_of(response).get_text()
    scheduled.refresh_from_db()
    assert scheduled.wants_earlier is False
    assert scheduled.status == Status.SCHEDULED


def test_a_closed_request_cannot_join_the_waitlist(client, scheduled, front_desk_user):
    attended = workflow.mark_attended(scheduled, by=front_desk_user)
    path = urlsplit(patient_link.link_for(attended)).path
    before = state(attended)

    response = client.post(path, {"action": "wants_earlier", "earlier-wants_earlier": "on"})

    assert response.status_code == 409
    assert "can no longer join the list for an earlier time" in main_of(response).get_text()
    assert state(attended) == before


# Bad input keeps what was typed ------------------------------------------------------------


def test_a_closed_day_is_explained_at_the_field_and_the_note_is_kept(client, link, scheduled):
    before = state(scheduled)
    saturday = next_weekday(5).isoformat()

    response = client.post(link, another_time(time_1_date=saturday))

    assert response.status_code == 400
    main = main_of(response)
    field = main.find("input", id="id_time_1_date").find_parent(class_="booking-field")
    assert "Downtown is closed on Saturday" in field.get_text()
    assert main.find("input", id="id_time_1_date")["value"] == saturday
    assert main.find("textarea", id="id_note").get_text().strip() == (
        "Mornings are easier for me next week."
    )
    assert main.find("a", href="#id_time_1_date"), "the error summary links the field"
    assert state(scheduled) == before


def test_asking_for_another_time_needs_a_time(client, link, scheduled):
    before = state(scheduled)

    response = client.post(link, another_time(time_1_date="", time_1_window=""))

    assert response.status_code == 400
    assert "Choose at least one date and time of day" in main_of(response).get_text()
    assert state(scheduled) == before


def test_an_unknown_answer_is_explained_and_changes_nothing(client, link, scheduled):
    before = state(scheduled)

    response = client.post(link, {"action": "reschedule"})

    assert response.status_code == 400
    assert "nothing was changed" in main_of(response).get_text()
    assert state(scheduled) == before


@pytest.mark.parametrize("answer", ["confirm", "cancel"])
def test_an_answer_no_longer_possible_is_explained_not_a_server_error(
    client, link, scheduled, front_desk_user, answer
):
    workflow.mark_no_show(scheduled, by=front_desk_user)  # the page was open meanwhile
    before = state(scheduled)

    response = client.post(link, {"action": answer})

    assert response.status_code == 409
    notice = main_of(response).find(id="patient-notice").get_text(" ", strip=True)
    assert "That could not be done." in notice
    assert "can no longer be changed here" in notice
    assert "(360) 555-0142" in notice
    assert state(scheduled) == before


def test_a_second_cancel_from_the_same_page_finds_the_link_retired(client, link, scheduled):
    client.post(link, {"action": "cancel"})
    before = state(scheduled)

    response = client.post(link, {"action": "cancel"})  # a reload, a double tap

    assert response.status_code == 410
    assert main_of(response).h1.get_text() == "This link has expired"
    assert state(scheduled) == before


# Links that do not work --------------------------------------------------------------------


def tampered(path):
    """The same link with one character of its signature changed."""
    token = path.rstrip("/").rsplit("/", 1)[1]
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    return f"/appointment/{changed}/"


@pytest.mark.parametrize(
    "make_path",
    [tampered, lambda path: "/appointment/not-a-token/", lambda path: "/appointment/%20/"],
    ids=["tampered", "made-up", "blank"],
)
def test_a_forged_link_is_refused_with_the_phone_and_changes_nothing(
    client, link, scheduled, make_path
):
    before = state(scheduled)

    for response in (
        client.get(make_path(link)),
        client.post(make_path(link), {"action": "cancel"}),
    ):
        assert response.status_code == 404
        main = main_of(response)
        assert main.h1.get_text() == "This link doesn't work"
        assert main.find("a", href="tel:+13605550142")
        assert "no-store" in response["Cache-Control"]
    assert state(scheduled) == before


def test_a_link_signed_with_another_key_is_refused(client, link, scheduled, settings):
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY
    forged = urlsplit(patient_link.link_for(scheduled)).path
    settings.SECRET_KEY = settings.SECRET_KEY.removeprefix("another-")
    before = state(scheduled)

    assert client.post(forged, {"action": "cancel"}).status_code == 404
    assert state(scheduled) == before


def test_an_expired_link_says_so_with_the_phone_and_changes_nothing(client, scheduled):
    # The appointment was yesterday: its link worked until it ended.
    AppointmentRequest.objects.filter(pk=scheduled.pk).update(
        appointment_at=timezone.now() - datetime.timedelta(days=1)
    )
    scheduled.refresh_from_db()
    path = urlsplit(patient_link.link_for(scheduled)).path
    before = state(scheduled)

    for response in (client.get(path), client.post(path, {"action": "confirm"})):
        assert response.status_code == 410
        main = main_of(response)
        assert main.h1.get_text() == "This link has expired"
        assert main.find("a", href="tel:+13605550142")
    assert state(scheduled) == before


# Only a POST from the page acts: CSRF and the rate limit ----------------------------------


def test_a_post_without_the_pages_csrf_token_is_refused(link, scheduled):
    strict = Client(enforce_csrf_checks=True)
    before = state(scheduled)

    assert strict.post(link, {"action": "cancel"}).status_code == 403
    assert state(scheduled) == before

    html = strict.get(link).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = strict.post(link, {"action": "confirm", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    scheduled.refresh_from_db()
    assert scheduled.patient_answer == "confirmed"


def test_too_many_answers_get_a_429_with_a_message_and_the_typed_note_kept(
    client, link, scheduled, settings
):
    settings.BOOKING_RATE_LIMIT = 2
    client.post(link, {"action": "wants_earlier", "earlier-wants_earlier": "on"})
    client.post(link, {"action": "wants_earlier"})
    before = state(scheduled)

    response = client.post(link, another_time(note="Any Tuesday afternoon"))

    assert response.status_code == 429
    main = main_of(response)
    assert "this one was not taken yet and nothing was changed" in main.get_text()
    assert main.find("a", href="tel:+13605550142")
    assert main.find("textarea", id="id_note").get_text().strip() == "Any Tuesday afternoon"
    assert state(scheduled) == before


# The waitlist on the booking form ----------------------------------------------------------


def test_the_booking_form_asks_about_an_earlier_time(client, location):
    main = main_of(client.get("/book/"))
    box = main.find("input", attrs={"name": "wants_earlier"})

    assert box["type"] == "checkbox" and not box.has_attr("checked")
    assert main.find("label", attrs={"for": box["id"]}).get_text() == (
        "Tell me if an earlier time opens"
    )


@pytest.mark.parametrize("ticked", [True, False])
def test_the_booking_form_saves_whether_an_earlier_time_is_wanted(client, location, ticked):
    assert submit(client, wants_earlier="on" if ticked else None).status_code == 302

    assert AppointmentRequest.objects.get().wants_earlier is ticked


# No input gives a server error -------------------------------------------------------------

FIELDS = [*another_time(), "earlier-wants_earlier", "time_2_date", "time_2_window"]


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.dictionaries(
        st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)),
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(
                ["", "on", "2026-02-30", "morning", "night", "another_time", "wants_earlier"]
            ),
        ),
        max_size=8,
    ),
    keep_valid=st.booleans(),
)
def test_random_answers_never_cause_a_server_error_or_lose_the_form(
    client, link, scheduled, data, keep_valid
):
    if keep_valid:
        data = {**another_time(), **data}
    with transaction.atomic():  # each example starts from the same scheduled appointment
        response = client.post(link, data)
        transaction.set_rollback(True)

    assert response.status_code in {200, 400, 409}
    if response.status_code == 400 and data.get("action") == "another_time":
        assert main_of(response).find("textarea", id="id_note"), "the answers come back"
