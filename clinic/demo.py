"""Demo content of the clinic itself: settings, locations, therapists, home page.

Like every app's demo.py, it creates what is missing and never overwrites what the
clinic's staff have edited, so `load_demo` can run on every start.
"""

import datetime

from wagtail.models import Site

from clinic.models import (
    ClinicSettings,
    HolidayClosure,
    HomePage,
    Location,
    OpeningHours,
    Therapist,
)

THERAPISTS = [
    {
        "name": "Maya Okafor",
        "credentials": "PT, DPT, OCS",
        "job_title": "Clinic director, physical therapist",
        "bio": "Maya has helped people get back to work, sport and sleep for fifteen years. "
        "She specialises in low back pain, sciatica and returning to running.",
    },
    {
        "name": "Daniel Reyes",
        "credentials": "PT, DPT",
        "job_title": "Physical therapist",
        "bio": "Daniel treats hip and knee problems and loves helping people stay active as "
        "they age. Outside the clinic he coaches youth soccer.",
    },
    {
        "name": "Hannah Lindqvist",
        "credentials": "PT, MPT, CSCS",
        "job_title": "Physical therapist, strength coach",
        "bio": "Hannah blends hands-on care with strength training. She works with desk "
        "workers, new parents and weekend athletes on neck, shoulder and back pain.",
    },
]

# Monday is 0. None: closed all day.
WEEKLY_HOURS = {
    0: ("07:00", "18:00"),
    1: ("07:00", "18:00"),
    2: ("07:00", "18:00"),
    3: ("07:00", "18:00"),
    4: ("07:00", "16:00"),
    5: None,
    6: None,
}


def load(stdout):
    site = Site.objects.get(is_default_site=True)
    home = HomePage.objects.get(pk=site.root_page_id)
    if not home.hero_text:
        home.hero_heading = "Move without pain again"
        home.hero_text = (
            "Hands-on physical therapy for back, hip and joint pain, with a plan built around "
            "your life. Most patients are seen within three days."
        )
        home.save_revision().publish()

    clinic_settings = ClinicSettings.for_site(site)
    if not clinic_settings.phone:
        clinic_settings.name = "Harbor Physical Therapy"
        clinic_settings.phone = "+13605550142"
        clinic_settings.email = "frontdesk@harborpt.example"
        clinic_settings.save()

    location, created = Location.objects.get_or_create(
        name="Harbor PT - Downtown",
        defaults={
            "street_address": "410 Water Street, Suite 200",
            "city": "Olympia",
            "region": "WA",
            "postal_code": "98501",
            "latitude": "47.045100",
            "longitude": "-122.901600",
            "map_url": "https://www.openstreetmap.org/?mlat=47.0451&mlon=-122.9016#map=17/47.0451/-122.9016",
        },
    )
    if created:
        for weekday, hours in WEEKLY_HOURS.items():
            OpeningHours.objects.create(
                location=location,
                weekday=weekday,
                closed=hours is None,
                opens=datetime.time.fromisoformat(hours[0]) if hours else None,
                closes=datetime.time.fromisoformat(hours[1]) if hours else None,
                sort_order=weekday,
            )
        year = datetime.date.today().year
        HolidayClosure.objects.create(
            location=location, reason="Christmas Day", starts_on=datetime.date(year, 12, 25)
        )

    for order, person in enumerate(THERAPISTS):
        Therapist.objects.get_or_create(
            name=person["name"], defaults={**person, "sort_order": order}
        )
    stdout.write("Clinic: settings, 1 location, 3 therapists, home page.")
