"""Factories for the clinic's models, shared by every test package."""

import factory
import wagtail_factories
from wagtail.models import Site

from clinic.models import (
    ClinicSettings,
    ContactPage,
    HomePage,
    Location,
    OpeningHours,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
    TeamPage,
    Testimonial,
    Therapist,
)


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
        skip_postgeneration_save = True

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


# --- Clinic pages and testimonials -------------------------------------------------------


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ServiceIndexPage

    title = "Conditions we treat"
    show_in_menus = True


class ServicePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ServicePage

    title = factory.Sequence(lambda n: f"Condition {n}")
    summary = "Pain that travels from your lower back down one leg."
    body = "<p>How we help with this condition.</p>"


class TeamPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TeamPage

    title = "Our team"
    show_in_menus = True


class ContactPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContactPage

    title = "Contact"
    show_in_menus = True


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Page {n}")
    body = "<p>Plain words for patients.</p>"


class PatientTestimonialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Testimonial

    quote = "I can tie my shoes without pain again."
    patient_name = factory.Sequence(lambda n: f"Patient {n}.")
    has_consent = True
