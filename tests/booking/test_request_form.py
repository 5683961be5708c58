"""The patient's side: asking for an appointment at /book/."""

import datetime
import json
import re
import time
from urllib.robotparser import RobotFileParser

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from booking.forms import validate_window
from booking.models import AppointmentRequest, CallToActionEvent, PreferredTime
from booking.protection import TOKEN_SALT, new_form_token, read_token
from clinic.models import HolidayClosure
from tests.booking.conftest import form_token, next_weekday, submit, valid_answers
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def main_html(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_patient_requests_an_appointment_and_gets_a_reference(client, clinic, location):
    response = submit(client, time_2_date=next_weekday(2).isoformat(), time_2_window="afternoon")

    appointment_request = AppointmentRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/book/received/{appointment_request.reference}/"
    assert re.fullmatch(r"[2-9A-Z]{8}", appointment_request.reference)
    assert appointment_request.status == "new"
    assert str(appointment_request.phone) == "+13605550187"  # normalised to E.164
    assert appointment_request.location == location
    assert appointment_request.reason == "Lower back pain when sitting"
    assert appointment_request.consent_at is not None
    assert set(PreferredTime.objects.values_list("date", "window")) == {
        (next_weekday(0), "morning"),
        (next_weekday(2), "afternoon"),
    }

    confirmation = client.get(response["Location"])
    html = main_html(confirmation)
    assert confirmation.status_code == 200
    assert appointment_request.reference in html
    assert "What happens next" in html
    assert 'href="tel:+13605550142"' in html
    assert "Lower back pain" not in html


def test_the_form_has_fieldsets_labels_and_native_inputs(client, clinic, location):
    html = main_html(client.get("/book/"))
    assert html.count("<h1") == 1
    assert "<legend><h2>How we reach you</h2></legend>" in html
    assert 'type="tel"' in html and 'type="email"' in html and 'type="date"' in html
    assert '<label class="booking-field__label" for="id_first_name">First name</label>' in html
    assert "<script" not in html


def test_the_consent_links_the_privacy_notice(client, location, home_page):
    from tests.factories import clinic_settings

    clinic_settings(privacy_page=home_page)
    assert 'Read our <a href="/">privacy notice</a>' in main_html(client.get("/book/"))


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"first_name": "  "}, "first_name", "Enter your first name."),
        ({"last_name": ""}, "last_name", "Enter your last name."),
        ({"phone": "", "email": ""}, "phone", "Give a phone number or an email address"),
        ({"phone": "12"}, "phone", "Enter a phone number we can call"),
        ({"phone": "555-0187"}, "phone", "Enter a phone number we can call"),
        ({"email": "olivia@"}, "email", "Enter an email address like name@example.com."),
        ({"preferred_contact": "email", "email": ""}, "email", "Give an email address"),
        ({"preferred_contact": "text", "phone": ""}, "phone", "Give a phone number"),
        ({"preferred_contact": "pigeon"}, "preferred_contact", "Select a valid choice."),
        ({"patient_type": ""}, "patient_type", "Tell us whether you have been to the clinic"),
        ({"reason": "x" * 501}, "reason", "at most 500 characters"),
        ({"payment": "cash-in-envelope"}, "payment", "Select a valid choice."),
        ({"consent": None}, "consent", "Tick this box so we can contact you"),
        ({"time_1_window": ""}, "time_1_window", "Choose morning or afternoon."),
        ({"time_1_date": "", "time_1_window": "evening"}, "time_1_date", "Choose a date"),
        ({"time_1_date": "next tuesday"}, "time_1_date", "Enter a date like"),
    ],
)
def test_each_field_rule_is_explained_next_to_the_field_and_in_the_summary(
    client, location, answers, field, message
):
    response = submit(client, **answers)

    assert response.status_code == 400
    assert not AppointmentRequest.objects.exists()
    html = main_html(response)
    assert message in html
    summary = html[html.index("booking-error-summary") : html.index("</ul>")]
    anchor = (
        f"#id_{field}_0"
        if field in {"preferred_contact", "patient_type", "payment"}
        else f"#id_{field}"
    )
    assert f'href="{anchor}"' in summary
    assert f'id="id_{field}_error"' in html


def test_a_phone_alone_or_an_email_alone_is_enough(client, location):
    assert submit(client, email="").status_code == 302
    assert submit(client, phone="", preferred_contact="email").status_code == 302
    assert AppointmentRequest.objects.count() == 2


def test_phone_numbers_are_normalised_whatever_the_patient_types(client, location):
    submit(client, phone="360.555.0199")
    assert str(AppointmentRequest.objects.get().phone) == "+13605550199"


def test_preferred_times_are_optional(client, location):
    assert submit(client, time_1_date="", time_1_window="").status_code == 302
    assert not PreferredTime.objects.exists()


def test_invalid_fields_are_marked_for_assistive_technology(client, location):
    html = main_html(submit(client, first_name=""))
    assert re.search(r'<input[^>]*name="first_name"[^>]*aria-invalid="true"', html)
    assert 'aria-describedby="id_first_name_error"' in html
    assert "<title>Error: Request an appointment" in submit(client, first_name="").content.decode()


# Time windows ---------------------------------------------------------------------------


def test_a_closed_weekday_is_refused(client, location):
    saturday = next_weekday(5)
    response = submit(client, time_1_date=saturday.isoformat())
    assert response.status_code == 400
    assert f"Downtown is closed on {saturday:%A, %B} {saturday.day}" in main_html(response)


def test_a_holiday_closure_is_refused(client, location):
    monday = next_weekday(0)
    HolidayClosure.objects.create(location=location, starts_on=monday, reason="Staff training")
    response = submit(client, time_1_date=monday.isoformat())
    assert response.status_code == 400
    assert "Downtown is closed on" in main_html(response)


def test_a_window_outside_the_opening_hours_is_refused(client, location):
    response = submit(client, time_1_window="evening")  # open 8am-5pm; evening is 5-8pm
    assert response.status_code == 400
    assert "Downtown is open 8am to 5pm that day. Choose another time of day." in main_html(
        response
    )


def test_a_window_partly_inside_the_opening_hours_is_accepted(location):
    location.opening_hours.filter(weekday=0).update(opens="07:00", closes="18:30")
    location.refresh_from_db()
    assert validate_window(next_weekday(0), "evening", location) is None


def test_past_dates_and_dates_beyond_the_horizon_are_refused(client, location, settings):
    settings.BOOKING_HORIZON_DAYS = 14
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    html = main_html(submit(client, time_1_date=yesterday.isoformat()))
    assert "This time has already passed" in html
    too_far = next_weekday(0, weeks_ahead=3)
    html = main_html(submit(client, time_1_date=too_far.isoformat()))
    assert "We book up to 14 days ahead" in html
    assert not AppointmentRequest.objects.exists()


def test_today_morning_is_past_at_lunchtime_but_the_afternoon_is_not(location):
    monday = next_weekday(0)
    lunchtime = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(12, 30)))
    assert "already passed" in validate_window(monday, "morning", location, now=lunchtime)
    assert validate_window(monday, "afternoon", location, now=lunchtime) is None


def window_options(html):
    soup = BeautifulSoup(html, "html.parser").find("select", attrs={"name": "time_1_window"})
    return [option.text for option in soup.find_all("option") if option["value"]]


def test_the_times_offered_come_from_the_locations_opening_hours(client, location):
    assert window_options(main_html(client.get("/book/"))) == [
        "Morning (8am-12pm)",
        "Afternoon (12pm-5pm)",
    ], "no evening at a clinic that closes at 5"

    location.opening_hours.filter(weekday=1).update(opens="07:30", closes="18:00")
    assert window_options(main_html(client.get("/book/"))) == [
        "Morning (7:30am-12pm)",
        "Afternoon (12pm-5pm)",
        "Evening (5pm-6pm)",
    ]


def test_the_hours_and_next_closures_stand_beside_when_suits_you(client, location):
    monday = next_weekday(0)
    HolidayClosure.objects.create(location=location, starts_on=monday, reason="Staff training")
    soup = BeautifulSoup(client.get("/book/").content, "html.parser")
    when = soup.find(lambda tag: tag.name == "h2" and "When suits you" in tag.text)
    when = when.find_parent("fieldset")
    hours = when.find("aside", class_="booking-hours")
    rows = [" ".join(row.stripped_strings) for row in hours.find("dl").find_all("div")]
    assert rows[:2] == ["Monday to Friday 8am to 5pm", "Saturday and Sunday Closed"]
    assert f"{monday:%A, %B} {monday.day} (Staff training)" in hours.text

    response = submit(client, time_1_date=monday.isoformat())
    assert f"Downtown is closed on {monday:%A, %B} {monday.day} (Staff training)." in (
        main_html(response)
    )


def test_the_browser_gets_the_hours_to_explain_choices_before_send(client, location):
    form = BeautifulSoup(client.get("/book/").content, "html.parser").find(
        "form", class_="booking-form"
    )
    hours = json.loads(form["data-opening-hours"])
    week = hours["locations"][str(location.pk)]["week"]
    assert week[0] == ["08:00", "17:00"] and week[5] is None
    assert hours["today"] == timezone.localdate().isoformat()
    assert hours["parts"]["morning"] == [None, "12:00"]


def test_the_same_time_twice_is_pointed_out(client, location):
    monday = next_weekday(0).isoformat()
    response = submit(client, time_2_date=monday, time_2_window="morning")
    assert "You chose this time already." in main_html(response)


def test_with_several_locations_the_patient_chooses_one_and_its_hours_count(client, location):
    weekend_clinic = LocationFactory(name="Westside")
    weekend_clinic.opening_hours.filter(weekday=5).update(
        closed=False, opens="09:00", closes="13:00"
    )
    html = main_html(client.get("/book/"))
    assert "Which clinic suits you?" in html

    missing = submit(client)
    assert "Choose the clinic that suits you." in main_html(missing)

    saturday = next_weekday(5).isoformat()
    assert submit(client, location=location.pk, time_1_date=saturday).status_code == 400
    response = submit(client, location=weekend_clinic.pk, time_1_date=saturday)
    assert response.status_code == 302
    assert AppointmentRequest.objects.get().location == weekend_clinic


def test_with_one_location_the_question_is_not_asked(client, location):
    assert "Which clinic suits you?" not in main_html(client.get("/book/"))


# Abuse ----------------------------------------------------------------------------------


def old_token(seconds_ago):
    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - seconds_ago)

    return PastSigner(salt=TOKEN_SALT).sign("a-nonce-from-the-past")


def fresh_token_in(response):
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


SEND_AGAIN = "Please check your answers and press Send again."


@pytest.mark.parametrize("token", ["fresh", "old", "forged", "missing"])
def test_bots_caught_by_the_honeypot_all_get_the_same_refusal_and_save_nothing(
    client, clinic, location, settings, token
):
    settings.BOOKING_FORM_MIN_SECONDS = 3
    tokens = {
        "fresh": form_token(client),
        "old": old_token(60),
        "forged": old_token(60)[:-3] + "abc",
        "missing": "",
    }
    response = submit(client, token=tokens[token], website="http://spam.example")

    assert response.status_code == 400
    assert not AppointmentRequest.objects.exists()
    html = main_html(response)
    assert "We couldn't send your request" in html
    assert 'href="tel:+13605550142"' in html
    assert "Olivia" not in html, "a bot gets nothing of what it sent back"
    reference_answer = main_html(submit(client, token="", website="x"))
    assert html == reference_answer, "every honeypot catch gives the identical answer"


def test_the_refusals_retry_link_keeps_the_page_the_patient_came_from(client, location, home_page):
    page = child_page(home_page)
    response = submit(client, token="", website="x", source=str(page.pk))
    retry = BeautifulSoup(response.content, "html.parser").find(
        "a", string="Fill in the form again"
    )
    assert retry["href"] == f"/book/?from={page.pk}"


def typed_answers_are_all_in(html):
    """Everything valid_answers() typed is in the form again, as the person left it."""
    soup = BeautifulSoup(html, "html.parser").find("form", class_="booking-form")
    values = {
        tag["name"]: tag.get("value")
        for tag in soup.find_all("input", type=["text", "tel", "email", "date", "hidden"])
    }
    assert values["first_name"] == "Olivia" and values["last_name"] == "Martin"
    assert values["phone"] == "(360) 555-0187" and values["email"] == "olivia@example.com"
    assert values["time_1_date"] == next_weekday(0).isoformat()
    checked = {tag["name"]: tag.get("value", "on") for tag in soup.find_all("input", checked=True)}
    assert checked == {
        "preferred_contact": "phone",
        "patient_type": "new",
        "payment": "insurance",
        "consent": "on",
    }
    assert soup.find("textarea", attrs={"name": "reason"}).text.strip() == (
        "Lower back pain when sitting"
    )
    selected = {
        tag.find_parent("select")["name"]: tag["value"]
        for tag in soup.find_all("option", selected=True)
    }
    assert selected["time_1_window"] == "morning" and selected["heard_about"] == "article"
    return values


@pytest.mark.parametrize("trap", ["too_fast", "too_old", "forged", "missing"])
def test_a_form_refused_by_the_time_trap_or_its_token_comes_back_with_every_answer(
    client, clinic, location, home_page, settings, trap
):
    settings.BOOKING_FORM_MIN_SECONDS = 3
    page = child_page(home_page)
    tokens = {
        "too_fast": form_token(client),
        "too_old": old_token(settings.BOOKING_FORM_MAX_AGE + 60),
        "forged": old_token(60)[:-3] + "abc",
        "missing": "",
    }
    response = submit(
        client, token=tokens[trap], source=str(page.pk), utm_source="newsletter", utm_term="back"
    )

    assert response.status_code == 400
    assert not AppointmentRequest.objects.exists()
    html = main_html(response)
    assert SEND_AGAIN in html
    assert "<title>Not sent yet: Request an appointment" in response.content.decode()
    values = typed_answers_are_all_in(html)
    assert values["source"] == str(page.pk), "the page the patient came from is kept"
    assert (values["utm_source"], values["utm_term"]) == ("newsletter", "back")
    fresh = values["form_token"]
    assert fresh != tokens[trap] and read_token(fresh) is not None

    settings.BOOKING_FORM_MIN_SECONDS = 0
    again = submit(client, token=fresh, source=str(page.pk), utm_source="newsletter")
    assert again.status_code == 302
    appointment_request = AppointmentRequest.objects.get()
    assert (appointment_request.source_page_id, appointment_request.utm_source) == (
        page.pk,
        "newsletter",
    )


def test_the_fresh_token_counts_from_the_first_view_so_sending_again_at_once_works(
    client, location, settings
):
    settings.BOOKING_FORM_MIN_SECONDS = 3
    first = form_token(client)
    refused = submit(client, token=first)
    fresh = fresh_token_in(refused)
    assert read_token(fresh)[2] == read_token(first)[2], "first view kept"

    seen_ten_seconds_ago = new_form_token(started=time.time() - 10)
    assert submit(client, token=seen_ten_seconds_ago).status_code == 302


def test_a_refused_form_also_points_out_answers_to_correct(client, location, settings):
    settings.BOOKING_FORM_MIN_SECONDS = 3
    response = submit(client, phone="12")
    html = main_html(response)
    assert SEND_AGAIN in html
    assert "Enter a phone number we can call" in html
    assert 'value="12"' in html


def test_an_old_form_that_was_already_sent_finds_its_request(client, location, settings):
    token = form_token(client)
    first = submit(client, token=token)
    settings.BOOKING_FORM_MAX_AGE = -1  # the same form, sent again long after

    again = submit(client, token=token)

    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert AppointmentRequest.objects.count() == 1


def test_the_honeypot_is_hidden_from_people(client, location):
    html = main_html(client.get("/book/"))
    assert '<div class="booking-trap" aria-hidden="true">' in html
    assert 'tabindex="-1"' in html


def test_the_form_requires_csrf(location):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/book/", valid_answers(form_token=old_token(60)))
    assert response.status_code == 403
    assert not AppointmentRequest.objects.exists()


def test_too_many_posts_from_one_address_get_a_429_with_the_answers_kept(
    client, clinic, location, settings
):
    settings.BOOKING_RATE_LIMIT = 2
    assert submit(client).status_code == 302
    assert submit(client).status_code == 302
    response = submit(client)
    assert response.status_code == 429
    html = main_html(response)
    assert "this one was not sent yet" in html
    assert 'href="tel:+13605550142"' in html
    typed_answers_are_all_in(html)
    assert AppointmentRequest.objects.count() == 2
    other_address = client.post("/book/", REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 400, "another address still has its allowance"


def test_the_form_still_works_when_the_cache_is_down(client, clinic, location, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",  # the backend REDIS_URL selects
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }
    token = form_token(client)
    assert submit(client, token=token).status_code == 302
    assert AppointmentRequest.objects.count() == 1


def test_the_rate_limit_lives_in_redis_when_configured(client, location, settings):
    from django.core.cache import cache

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("REDIS_URL is not set for this run")
    settings.BOOKING_RATE_LIMIT = 1
    submit(client)
    assert cache.get("ratelimit:booking:127.0.0.1") == 1
    assert submit(client).status_code == 429


# Double submission ----------------------------------------------------------------------


def test_submitting_the_same_form_twice_creates_one_request(client, location):
    token = form_token(client)
    first = submit(client, token=token)
    second = submit(client, token=token, first_name="Olivia (again)")

    assert AppointmentRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_corrected_form_is_one_request(client, location):
    token = form_token(client)
    assert submit(client, token=token, first_name="").status_code == 400
    assert submit(client, token=token).status_code == 302
    assert submit(client, token=token).status_code == 302
    assert AppointmentRequest.objects.count() == 1


def test_an_unknown_reference_is_a_404(client, location):
    assert client.get("/book/received/NOPE2345/").status_code == 404


# Attribution ----------------------------------------------------------------------------


def child_page(home_page, title="Sciatica: what helps", live=True):
    from wagtail.models import Page

    page = Page(title=title, slug=title.lower().split(":")[0], live=live)
    home_page.add_child(instance=page)
    return page


def test_the_request_remembers_the_page_and_campaign_it_came_from(client, home_page, location):
    page = child_page(home_page)
    html = client.get(f"/book/?from={page.pk}&utm_source=newsletter&utm_campaign=spring").content
    token = re.search(rb'name="form_token" value="([^"]+)"', html).group(1).decode()
    assert b'name="utm_source" value="newsletter"' in html

    submit(client, token=token, source=str(page.pk), utm_source="newsletter", utm_campaign="spring")

    appointment_request = AppointmentRequest.objects.get()
    assert appointment_request.source_page_id == page.pk
    assert (appointment_request.utm_source, appointment_request.utm_campaign) == (
        "newsletter",
        "spring",
    )
    opened = CallToActionEvent.objects.get(kind="form_opened")
    assert opened.page_id == page.pk


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "0", "99999999999999999999", "1 OR 1=1", "\uff11\uff12", "None"]
)
def test_an_invalid_source_page_is_ignored(client, location, value):
    response = client.get("/book/", {"from": value})
    assert response.status_code == 200
    submit(client, source=value)
    assert AppointmentRequest.objects.get().source_page is None


def test_a_draft_or_foreign_page_is_not_a_source(client, home_page, location):
    draft = child_page(home_page, "Draft: unpublished", live=False)
    submit(client, source=str(draft.pk))
    root = home_page.get_parent()  # Wagtail's root: not a page of this site
    submit(client, source=str(root.pk))
    assert list(AppointmentRequest.objects.values_list("source_page", flat=True)) == [None, None]


def robots_txt(client):
    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").content.decode().splitlines())
    return robots


def test_patients_searching_for_physio_find_the_booking_form_under_one_address(
    client, home_page, location
):
    page = child_page(home_page)
    response = client.get(f"/book/?from={page.pk}&utm_source=google&utm_medium=cpc")

    head = BeautifulSoup(response.content, "html.parser").head
    assert head.find("meta", attrs={"name": "robots"}) is None
    assert "X-Robots-Tag" not in response
    assert head.find("link", rel="canonical")["href"] == "http://localhost/book/"
    assert robots_txt(client).can_fetch("*", f"http://testserver/book/?from={page.pk}")


def test_what_follows_the_booking_form_stays_out_of_search_results(
    client, clinic, location, home_page
):
    received = submit(client)["Location"]
    confirmation = client.get(received)
    beacon = client.post(reverse("booking:cta_beacon"), {"path": "/"})
    download = reverse("booking:guide_download", args=["a-signed-token"])

    head = BeautifulSoup(confirmation.content, "html.parser").head
    assert head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert confirmation["X-Robots-Tag"] == beacon["X-Robots-Tag"] == "noindex"
    robots = robots_txt(client)
    for path in [received, reverse("booking:cta_beacon"), download]:
        assert not robots.can_fetch("*", f"http://testserver{path}"), path


def test_phone_clicks_are_counted_without_cookies_or_personal_data(client, home_page):
    page = child_page(home_page)
    response = client.post(
        "/book/cta/",
        {"path": page.url},
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148",
    )
    assert response.status_code == 204
    assert not response.cookies
    event = CallToActionEvent.objects.get()
    assert (event.kind, event.page_id, event.device) == ("phone_click", page.pk, "phone")
    assert event.occurred_at is not None

    client.post("/book/cta/", {"path": "/"}, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64)")
    assert CallToActionEvent.objects.filter(device="desktop", page=home_page).count() == 1


@pytest.mark.parametrize("path", ["", "nope", "/no-such-page/", "/" + "a" * 600])
def test_a_beacon_for_an_unknown_page_is_refused(client, home_page, path):
    assert client.post("/book/cta/", {"path": path}).status_code == 400
    assert not CallToActionEvent.objects.exists()


def test_the_beacon_only_accepts_posts(client, db):
    assert client.get("/book/cta/").status_code == 405


def test_every_page_loads_the_beacon_script(client, home_page):
    html = client.get("/").content.decode()
    assert re.search(r'<script src="/static/booking/js/cta-beacon\.[0-9a-f]+\.js" defer>', html)


# No input gives a 500 -------------------------------------------------------------------

FIELDS = list(valid_answers()) + ["form_token", "source", "location", "time_2_date", "utm_source"]


@hypothesis_settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.dictionaries(
        st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)),
        st.one_of(st.text(max_size=60), st.sampled_from(["", "0", "-1", "2026-02-30", "on"])),
        max_size=12,
    ),
    keep_valid=st.booleans(),
)
def test_random_posts_never_cause_a_server_error(client, location, data, keep_valid):
    if keep_valid:
        data = {**valid_answers(form_token=old_token(10)), **data}
    response = client.post("/book/", data)
    assert response.status_code in {302, 400}
    if response.status_code == 400 and not data.get("website"):
        assert "<form" in main_html(response), "the answers come back to be sent again"
