"""Locations: opening hours checked in the admin, and described to search engines."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail_factories import ImageFactory

from clinic.models import HolidayClosure, Location, OpeningHours
from tests.factories import LocationFactory, clinic_settings

ADD_LOCATION = reverse("wagtailsnippets_clinic_location:add")


def location_form(hours, closures=()):
    return nested_form_data(
        {
            "name": "Westside",
            "street_address": "22 Harrison Avenue",
            "city": "Olympia",
            "region": "WA",
            "postal_code": "98502",
            "country": "US",
            "sort_order": "0",
            "opening_hours": inline_formset(hours),
            "closures": inline_formset(list(closures)),
        }
    )


def day(weekday, opens="", closes="", closed=False):
    row = {"weekday": str(weekday), "opens": opens, "closes": closes}
    if closed:
        row["closed"] = "on"
    return row


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def errors_on_page(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(error.get_text(" ", strip=True) for error in soup.select(".error-message"))


def test_admin_refuses_closing_time_before_opening_time(staff_client):
    response = staff_client.post(ADD_LOCATION, location_form([day(0, "18:00", "08:00")]))
    assert response.status_code == 200
    assert "Closing time must be after opening time." in errors_on_page(response)
    assert not Location.objects.exists()


def test_admin_asks_for_both_times_unless_the_day_is_closed(staff_client):
    response = staff_client.post(ADD_LOCATION, location_form([day(1, "08:00", "")]))
    assert response.status_code == 200
    assert "Give both opening and closing times, or tick" in response.content.decode()
    assert not Location.objects.exists()


def test_admin_refuses_two_rows_for_the_same_weekday(staff_client):
    response = staff_client.post(
        ADD_LOCATION, location_form([day(2, "08:00", "12:00"), day(2, "13:00", "17:00")])
    )
    assert response.status_code == 200
    assert "duplicate data for location and weekday" in errors_on_page(response)
    assert not Location.objects.exists()


def test_admin_refuses_a_closure_ending_before_it_starts(staff_client):
    closure = {"starts_on": "2026-12-26", "ends_on": "2026-12-24", "reason": "Holidays"}
    response = staff_client.post(ADD_LOCATION, location_form([], [closure]))
    assert response.status_code == 200
    assert "The last day closed cannot be before the first." in errors_on_page(response)
    assert not Location.objects.exists()


def test_admin_saves_valid_hours_and_forgets_times_of_closed_days(staff_client):
    response = staff_client.post(
        ADD_LOCATION,
        location_form([day(0, "07:30", "18:00"), day(6, "09:00", "12:00", closed=True)]),
    )
    assert response.status_code == 302
    location = Location.objects.get(name="Westside")
    monday = location.opening_hours.get(weekday=0)
    assert (monday.opens, monday.closes) == (datetime.time(7, 30), datetime.time(18))
    sunday = location.opening_hours.get(weekday=6)
    assert sunday.closed and sunday.opens is None and sunday.closes is None


def test_hours_on_a_date_respect_closed_days_and_holidays(db):
    location = LocationFactory()
    HolidayClosure.objects.create(
        location=location,
        starts_on=datetime.date(2026, 12, 24),
        ends_on=datetime.date(2026, 12, 25),
    )
    monday = datetime.date(2026, 12, 21)
    assert location.hours_on(monday) == (datetime.time(8), datetime.time(17))
    assert location.hours_on(datetime.date(2026, 12, 24)) is None  # holiday
    assert location.hours_on(datetime.date(2026, 12, 26)) is None  # Saturday


def test_week_lists_every_day_even_without_a_row(db):
    location = LocationFactory()
    OpeningHours.objects.filter(location=location, weekday=2).delete()
    week = Location.objects.get(pk=location.pk).week()
    assert [label for label, _hours in week][:3] == ["Monday", "Tuesday", "Wednesday"]
    assert week[2][1] is None
    assert week[0][1].opens == datetime.time(8)


def structured_data(client, url="/"):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    scripts = soup.select('script[type="application/ld+json"]')
    return [json.loads(script.string) for script in scripts]


def test_home_and_contact_pages_describe_the_clinic_to_search_engines(client, clinic):
    clinic_settings(logo=ImageFactory(), facebook_url="https://facebook.example/harbor")
    HolidayClosure.objects.create(
        location=Location.objects.get(),
        reason="Next year",
        starts_on=datetime.date(datetime.date.today().year + 1, 1, 1),
    )
    HolidayClosure.objects.create(
        location=Location.objects.get(), starts_on=datetime.date(2020, 1, 1)
    )

    [data] = structured_data(client, "/")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Physiotherapy"
    assert data["name"] == "Harbor Physical Therapy"
    assert data["telephone"] == "+13605550142"
    assert data["email"] == "frontdesk@harborpt.example"
    assert data["url"] == "http://localhost/"
    # One origin: the Site record's (SITE_URL on deploy), never the request's host.
    assert data["logo"].startswith("http://localhost/media/original_images/")
    assert data["sameAs"] == ["https://facebook.example/harbor"]
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "1 Main Street",
        "addressLocality": "Olympia",
        "addressRegion": "WA",
        "postalCode": "98501",
        "addressCountry": "US",
    }
    # Five decimals (about a metre), from the location's six.
    assert data["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 47.04512,
        "longitude": -122.90163,
    }
    assert data["priceRange"] == "$$"
    assert [spec["dayOfWeek"] for spec in data["openingHoursSpecification"]] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    ]
    assert data["openingHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "Monday",
        "opens": "08:00",
        "closes": "17:00",
    }
    [closure] = data["specialOpeningHoursSpecification"]
    assert (closure["opens"], closure["closes"]) == ("00:00", "00:00")
    assert closure["validFrom"].endswith("-01-01")

    # Beside the clinic, pages under the home page say where they are (BreadcrumbList).
    assert [item["@type"] for item in structured_data(client, clinic["contact"].url)] == [
        "Physiotherapy",
        "BreadcrumbList",
    ]
    assert structured_data(client, clinic["contact"].url)[0] == data
    assert [item["@type"] for item in structured_data(client, clinic["sciatica"].url)] == [
        "BreadcrumbList"
    ]


def test_a_second_location_is_described_as_a_department(client, clinic):
    LocationFactory(name="Westside", sort_order=5, phone="+13605550199")
    [data] = structured_data(client, "/")
    [department] = data["department"]
    assert department["name"] == "Harbor Physical Therapy - Westside"
    assert department["telephone"] == "+13605550199"
    assert department["address"]["streetAddress"] == "1 Main Street"
    assert data["telephone"] == "+13605550142"


def test_structured_data_cannot_break_out_of_its_script_element(client, clinic):
    clinic_settings(name="Harbor </script><script>alert(1)</script> PT")
    html = client.get("/").content.decode()
    assert "</script><script>alert(1)" not in html
    [data] = structured_data(client, "/")
    assert data["name"] == "Harbor </script><script>alert(1)</script> PT"
