"""Factories for the clinic's models, shared by every test package."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
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


# --- Articles (blog) -------------------------------------------------------------------

from blog.models import BlogCategory, BlogIndexPage, BlogPostAuthor, BlogPostPage  # noqa: E402


class BlogCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlogCategory
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Topic {n}")


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BlogIndexPage

    title = "Articles"
    slug = "blog"


def article_body(*extra):
    """A short article body: a section, a paragraph and its advice, then any extra blocks."""
    return [
        {"type": "heading", "value": {"text": "1. Muscle strain", "level": "h2", "anchor": ""}},
        {"type": "paragraph", "value": "<p>Tight muscles pull on their neighbours.</p>"},
        {
            "type": "advice",
            "value": {"label": "What to do", "text": "<p>Stretch gently and rest.</p>"},
        },
        *extra,
    ]


class BlogPostPageFactory(wagtail_factories.PageFactory):
    """A published article by a new therapist (or `authors=[...]`), in `categories=[...]`."""

    class Meta:
        model = BlogPostPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    intro = "What helps when your back hurts."
    body = factory.LazyFunction(article_body)
    date_published = factory.Sequence(
        lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n)
    )

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):
        if create:
            for order, therapist in enumerate(extracted or [TherapistFactory()]):
                BlogPostAuthor.objects.create(page=obj, therapist=therapist, sort_order=order)

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.set(extracted)
            obj.save()

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)
            obj.save()

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        """Published through a revision, as in the admin; `publish=False` leaves a draft and
        `publish="quickly"` a live page without revisions, for tests that need many posts."""
        if not create or extracted == "quickly":
            return
        if extracted is False:
            obj.live = False
            obj.save()
            obj.save_revision()
        else:
            obj.save_revision().publish()
            obj.refresh_from_db()


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
