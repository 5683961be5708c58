"""Every public page type, and how a visitor arrives at it.

Each opener takes a Playwright page, brings it to that page type as a visitor would see
it (following links or submitting forms where that is how one gets there) and checks
the HTTP status. The accessibility and keyboard tests run on every entry, at phone and
desktop sizes; a new page type needs only a new entry here.
"""

import datetime
from urllib.parse import urlsplit

from django.test import override_settings
from django.utils import timezone


def arrive(page, path, status=200):
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}, not {status}"


def home(page):
    arrive(page, "/")


def not_found(page):
    arrive(page, "/no-such-page/", status=404)


def booking_form(page):
    arrive(page, "/book/")


def guide_request(page):
    arrive(page, "/guide/")


def article_index(page):
    from blog.models import BlogIndexPage

    arrive(page, BlogIndexPage.objects.live().first().url)


def article(page):
    from blog.models import BlogPostPage

    arrive(page, BlogPostPage.objects.live().order_by("-date_published").first().url)


def category(page):
    """An article topic, chosen from the index's topic list as a reader would."""
    article_index(page)
    topics = page.get_by_role("navigation", name="Article topics").get_by_role("link")
    topics.nth(1).click()
    page.wait_for_url("**/category/**")


def search_results(page):
    arrive(page, "/search/?q=back+pain")


def conditions(page):
    from clinic.models import ServiceIndexPage

    arrive(page, ServiceIndexPage.objects.live().first().url)


def standard_page(page):
    from clinic.models import StandardPage

    arrive(page, StandardPage.objects.live().first().url)


def service(page):
    from clinic.models import ServicePage

    arrive(page, ServicePage.objects.live().first().url)


def team(page):
    from clinic.models import TeamPage

    arrive(page, TeamPage.objects.live().first().url)


def contact(page):
    from clinic.models import ContactPage

    arrive(page, ContactPage.objects.live().first().url)


def booking_form_with_errors(page):
    booking_form(page)
    send_request(page)
    page.get_by_role("alert").wait_for()


def booking_form_sent_too_soon(page):
    """The form given back with its answers: sent before the time trap allows."""
    booking_form(page)
    page.get_by_label("First name").fill("Jordan")
    with override_settings(BOOKING_FORM_MIN_SECONDS=60):
        page.get_by_role("button", name="Send my request").click()
        page.wait_for_load_state()
    page.get_by_text("Please check your answers and press Send again.").wait_for()


def confirmation(page):
    booking_form(page)
    request_appointment(page, first_name="Jordan", phone="(360) 555-0123")
    page.wait_for_url("**/book/received/**")


def scheduled_appointment(days_ahead=8):
    """An appointment the front desk booked at 10:00 on a weekday about a week ahead."""
    from booking import workflow
    from clinic.models import Location
    from tests.factories import AppointmentRequestFactory

    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    location = Location.objects.first()
    appointment_request = AppointmentRequestFactory(location=location)
    return workflow.schedule(appointment_request, at=at, location=location, by=None)


def patient_appointment(page):
    """The patient's own page, from the link in their emails."""
    from booking import patient_link

    arrive(page, urlsplit(patient_link.link_for(scheduled_appointment())).path)


def patient_another_time_with_errors(page):
    """The patient asks for another time without choosing one: told at the field."""
    patient_appointment(page)
    page.get_by_role("button", name="Ask for another time").click()
    page.get_by_role("alert").wait_for()


def patient_link_expired(page):
    """The patient's link once the appointment it was sent for has changed."""
    from booking import patient_link, workflow

    appointment_request = scheduled_appointment()
    path = urlsplit(patient_link.link_for(appointment_request)).path
    workflow.cancel(appointment_request, by=None)
    arrive(page, path, status=410)


PAGE_TYPES = {
    "home": home,
    "article-index": article_index,
    "article": article,
    "category": category,
    "search-results": search_results,
    "conditions": conditions,
    "service": service,
    "standard-page": standard_page,
    "team": team,
    "contact": contact,
    "booking-form": booking_form,
    "booking-form-with-errors": booking_form_with_errors,
    "booking-form-sent-too-soon": booking_form_sent_too_soon,
    "confirmation": confirmation,
    "guide-request": guide_request,
    "patient-appointment": patient_appointment,
    "patient-another-time-with-errors": patient_another_time_with_errors,
    "patient-link-expired": patient_link_expired,
    "not-found": not_found,
}


def request_appointment(page, first_name, phone, last_name="Avery"):
    """Fill in the request form on the page as a new patient would, and send it."""
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("No, I'm a new patient").check()
    page.get_by_label("Phone number").fill(phone)
    page.get_by_label("I agree that the clinic may contact me").check()
    send_request(page)


def send_request(page):
    """Press Send. The form refuses posts sent within seconds of loading it (a bot
    check); the tests lift that wait rather than sleep."""
    with override_settings(BOOKING_FORM_MIN_SECONDS=0):
        page.get_by_role("button", name="Send my request").click()
        page.wait_for_load_state()


def sign_in(page, username, password):
    """Sign in to the admin through its login form, as staff do every morning."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
