"""Factories for the clinic's models, shared by every test package."""

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Site

from clinic.models import ClinicSettings, HomePage, Location, OpeningHours, Therapist


class TherapistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Therapist

    name = factory.Sequence(lambda n: f"Therapist {n}")
    credentials = "PT, DPT"
    job_title = "Physical therapist"
    bio = "Helps patients move without pain."


class LocationFactory(factory.django.DjangoModelFactory):
    """A location open Monday to Friday, 08:00-17:00."""

    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Clinic {n}")
    street_address = "1 Main Street"
    city = "Olympia"
    region = "WA"
    postal_code = "98501"

    @factory.post_generation
    def weekday_hours(obj, create, extracted, **kwargs):
        if not create:
            return
        for weekday in range(7):
            OpeningHours.objects.create(
                location=obj,
                weekday=weekday,
                closed=weekday >= 5,
                opens=None if weekday >= 5 else "08:00",
                closes=None if weekday >= 5 else "17:00",
            )


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Home"
    hero_heading = "Move without pain again"


def default_site():
    return Site.objects.get(is_default_site=True)


def clinic_settings(**values):
    """Set the default site's ClinicSettings, as an admin would once."""
    settings = ClinicSettings.for_site(default_site())
    for name, value in {
        "name": "Harbor Physical Therapy",
        "phone": "+13605550142",
        **values,
    }.items():
        setattr(settings, name, value)
    settings.save()
    return settings


# --- booking ------------------------------------------------------------------------------


class AppointmentRequestFactory(factory.django.DjangoModelFactory):
    """A request as the form saves it: new, reachable by phone, no preferred times."""

    class Meta:
        model = "booking.AppointmentRequest"

    reference = factory.Sequence(lambda n: f"TEST{n:04d}")
    first_name = "Olivia"
    last_name = "Martin"
    phone = "+13605550187"
    email = "olivia@example.com"
    preferred_contact = "phone"
    patient_type = "new"
    reason = "Lower back pain when sitting"
    consent_at = factory.LazyFunction(timezone.now)


class GuideLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "booking.GuideLead"

    name = "Sam"
    email = factory.Sequence(lambda n: f"reader{n}@example.com")
