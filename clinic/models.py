"""The clinic itself: its settings, people, places and the pages that present them."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import StrIndex
from django.templatetags.static import static
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator, slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from phonenumber_field.modelfields import PhoneNumberField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from clinic import contact_card, content_version


class CallablePhone:
    """A `phone` shown to people in the national format and dialled by `tel:` links."""

    @property
    def phone_display(self):
        return self.phone.as_national if self.phone else ""

    @property
    def phone_tel(self):
        return self.phone.as_e164 if self.phone else ""


@register_setting(icon="site")
class ClinicSettings(CallablePhone, BaseSiteSetting):
    """The single source of the clinic's name, phone and every call to action."""

    # Read with the settings (Wagtail's BaseSiteSetting.select_related): every page's
    # favicon is the logo, and the share image stands in for pages without a picture.
    select_related = ["logo", "share_image"]

    name = models.CharField(
        max_length=120,
        default="Harbor Physical Therapy",
        help_text="The clinic's name as patients know it.",
    )
    phone = PhoneNumberField(
        blank=True,
        help_text="Main phone number, e.g. (360) 555-0142. Shown on every page as a "
        "tap-to-call button and in every email.",
    )
    email = models.EmailField(blank=True, help_text="Public contact email address.")
    booking_url = models.CharField(
        "booking link",
        max_length=500,
        default="/book/",
        help_text="Where every 'Request an appointment' button goes. Keep /book/ for the "
        "built-in request form, or paste the address of an online booking system.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the header and given to search engines.",
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The picture shown when a page without its own photo is shared on social "
        "networks or in messages (landscape, at least 1200 x 630 px). Give the image a "
        "description: it is the picture's alt text.",
    )
    free_guide = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The PDF patients can request by email (e.g. a back pain tips guide).",
    )
    free_guide_title = models.CharField(
        max_length=120,
        blank=True,
        default="Free Back Pain Tips Guide",
        help_text="Name of the free guide as shown in calls to action.",
    )
    free_guide_blurb = models.CharField(
        max_length=300,
        blank=True,
        help_text="One or two sentences on what the guide gives the reader.",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The privacy notice linked from every form.",
    )
    accepting_new_patients = models.BooleanField(
        default=False,
        help_text="Tick while you take new patients: 'Accepting new patients' shows near the "
        "top of every page.",
    )
    insurers_accepted = models.CharField(
        max_length=300,
        blank=True,
        help_text="The insurers you bill, separated by commas, e.g. 'Aetna, Blue Cross, "
        "Medicare'. Shown on the home page; leave empty to show nothing.",
    )
    practising_since = models.PositiveSmallIntegerField(
        "in practice since",
        null=True,
        blank=True,
        validators=[MinValueValidator(1900)],
        help_text="The year the clinic opened, e.g. 2009: the home page shows the years in "
        "practice.",
    )
    review_rating = models.DecimalField(
        "average review rating",
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Your average star rating, e.g. 4.9, exactly as the review site shows it.",
    )
    review_count = models.PositiveIntegerField(
        "number of reviews", null=True, blank=True, help_text="How many reviews it averages."
    )
    review_source = models.CharField(
        "review site",
        max_length=60,
        blank=True,
        help_text="Where the reviews are, e.g. Google. The rating is shown only with its "
        "count and site.",
    )
    review_url = models.URLField(
        "link to the reviews", blank=True, help_text="Optional: the page patients can check."
    )
    facebook_url = models.URLField(blank=True, help_text="The clinic's Facebook page, if any.")
    instagram_url = models.URLField(blank=True, help_text="The clinic's Instagram profile.")
    youtube_url = models.URLField(blank=True, help_text="The clinic's YouTube channel.")
    linkedin_url = models.URLField(blank=True, help_text="The clinic's LinkedIn page.")

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("logo"), FieldPanel("share_image")], heading="Clinic"
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("booking_url")],
            heading="How patients reach you",
        ),
        MultiFieldPanel(
            [
                FieldPanel("free_guide"),
                FieldPanel("free_guide_title"),
                FieldPanel("free_guide_blurb"),
            ],
            heading="Free guide",
        ),
        MultiFieldPanel(
            [
                FieldPanel("accepting_new_patients"),
                FieldPanel("insurers_accepted"),
                FieldPanel("practising_since"),
                FieldRowPanel([FieldPanel("review_rating"), FieldPanel("review_count")]),
                FieldRowPanel([FieldPanel("review_source"), FieldPanel("review_url")]),
            ],
            heading="Why patients trust you",
            help_text="Shown near the top of the site, only as you enter it.",
        ),
        FieldPanel("privacy_page"),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("linkedin_url"),
            ],
            heading="Social links",
        ),
    ]

    class Meta:
        verbose_name = "clinic settings"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The error page shows this card while the database and the cache are down.
        contact_card.remember(self.contact_snapshot())

    @classmethod
    def for_request(cls, request):
        clinic_settings = super().for_request(request)
        # Another process may have saved the settings: hold (and write) what they say now.
        contact_card.remember(clinic_settings.contact_snapshot())
        return clinic_settings

    def clean(self):
        super().clean()
        review = [self.review_rating, self.review_count, self.review_source]
        if any(value not in (None, "") for value in review) and not all(
            value not in (None, "") for value in review
        ):
            message = "Give the rating, the number of reviews and the review site together."
            raise ValidationError(
                {
                    field: message
                    for field, value in zip(
                        ["review_rating", "review_count", "review_source"], review, strict=True
                    )
                    if value in (None, "")
                }
            )
        if self.practising_since and self.practising_since > timezone.localdate().year:
            raise ValidationError({"practising_since": "This year is still to come."})

    @property
    def insurers(self):
        return [name.strip() for name in self.insurers_accepted.split(",") if name.strip()]

    @property
    def years_in_practice(self):
        if not self.practising_since:
            return None
        return max(timezone.localdate().year - self.practising_since, 0)

    @property
    def shows_reviews(self):
        return bool(self.review_rating and self.review_count and self.review_source)

    @property
    def trust_signals(self):
        """Whether any trust signal was entered, for templates to skip an empty list."""
        return bool(
            self.accepting_new_patients
            or self.insurers
            or self.years_in_practice
            or self.shows_reviews
        )

    @property
    def favicon_url(self):
        """The browser tab's icon: the logo, else the site's own (clinic/static)."""
        if self.logo_id:
            return self.logo.get_rendition("fill-64x64|format-png").url
        return static("clinic/favicon.ico")

    def contact_snapshot(self):
        return {"name": self.name, "phone": self.phone_display, "tel": self.phone_tel}

    @property
    def social_links(self):
        """(label, url) of each social profile the clinic filled in, for the footer."""
        profiles = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [(label, url) for label, url in profiles if url]


class Therapist(index.Indexed, models.Model):
    """A member of the clinical team: author of articles, face on the team page."""

    name = models.CharField(max_length=120, help_text="Full name, e.g. Andrew Vertson.")
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    credentials = models.CharField(
        max_length=60,
        blank=True,
        help_text="Letters after the name, e.g. PT, DPT, OCS.",
    )
    job_title = models.CharField(
        max_length=120, blank=True, help_text="e.g. Physical therapist, clinic director."
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A real, friendly head-and-shoulders photo, square or portrait, at least "
        "640 px wide (the demo's drawings are placeholders). Shown on the team page, the "
        "home page and beside their articles.",
    )
    bio = models.TextField(
        blank=True, help_text="Two or three sentences patients read on articles and the team page."
    )
    team_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page that introduces this therapist, linked from their articles.",
    )
    is_active = models.BooleanField(
        "currently at the clinic",
        default=True,
        help_text="Untick when someone leaves; their articles keep their name.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("job_title"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("team_page"),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("sort_order")]),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name_with_credentials

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)

    @property
    def name_with_credentials(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def anchor(self):
        """The id of this therapist's section on the team page."""
        return f"therapist-{self.slug}"

    @property
    def profile_url(self):
        """Link to this therapist's introduction on the team page, or "" when there is none."""
        if self.team_page is None or not self.team_page.live:
            return ""
        return f"{self.team_page.url}#{self.anchor}"

    @property
    def initials(self):
        return "".join(word[0] for word in self.name.split()[:2]).upper()


def clock(moment):
    """9am, 5:30pm: times as patients read them."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}" if moment.minute else f"{hour}{suffix}"


def day_range(days):
    """Monday, Monday and Tuesday, Monday to Thursday: consecutive days as people say them."""
    if len(days) == 1:
        return days[0]
    joiner = " and " if len(days) == 2 else " to "
    return f"{days[0]}{joiner}{days[-1]}"


class Location(index.Indexed, ClusterableModel):
    """A place patients visit, with its opening hours and holiday closures."""

    name = models.CharField(max_length=120, help_text="e.g. Downtown clinic.")
    street_address = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField("state", max_length=100, blank=True)
    postal_code = models.CharField("ZIP code", max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="Two-letter code.")
    phone = PhoneNumberField(
        blank=True, help_text="Only if this location has its own number; else the main one."
    )
    map_url = models.URLField(
        "map link",
        blank=True,
        help_text="A plain link to this address on a map service (opens in a new tab).",
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="For search engines, e.g. 47.045100 (right-click the map to copy it).",
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, help_text="e.g. -122.901600"
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A real photo of the entrance or building, so first-time patients "
        "recognise it (at least 1200 px wide; the demo's drawing is a placeholder). Give the "
        "image a description: it is the photo's alt text.",
    )
    price_range = models.CharField(
        max_length=100,
        blank=True,
        help_text="For search engines: what a visit costs, e.g. '$$' or '$95-$160 per visit'.",
    )
    access_notes = models.TextField(
        "getting here",
        blank=True,
        help_text="Parking, public transport, step-free access: what a first-time patient "
        "needs to know.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("region")]),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("country")]),
                FieldPanel("map_url"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading="Address",
        ),
        FieldPanel("photo"),
        FieldPanel("access_notes"),
        FieldPanel("phone"),
        FieldPanel("price_range"),
        InlinePanel("opening_hours", heading="Opening hours", label="Day"),
        InlinePanel("closures", heading="Holiday closures", label="Closure"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("city")]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def address_lines(self):
        locality = " ".join(part for part in [self.region, self.postal_code] if part)
        return [self.street_address, ", ".join(p for p in [self.city, locality] if p)]

    @cached_property
    def hours_by_weekday(self):
        return {hours.weekday: hours for hours in self.opening_hours.all()}

    def week(self):
        """Every weekday from Monday, with its OpeningHours or None when closed."""
        hours = self.hours_by_weekday
        return [
            (label, hours.get(day) if day in hours and not hours[day].closed else None)
            for day, label in Weekday.choices
        ]

    def week_summary(self):
        """The week in a few lines: consecutive days with the same hours grouped, e.g.
        ("Monday to Thursday", "7am to 6pm"), ("Saturday and Sunday", "Closed")."""
        groups = []
        for day, hours in self.week():
            text = f"{clock(hours.opens)} to {clock(hours.closes)}" if hours else "Closed"
            if groups and groups[-1][1] == text:
                groups[-1][0].append(day)
            else:
                groups.append(([day], text))
        return [(day_range(days), text) for days, text in groups]

    def today(self, today=None):
        """Today at this location: {"open": True, "opens", "closes"}, or {"open": False,
        "closure": the holiday closure or None}."""
        today = today or timezone.localdate()
        closure = self.closure_on(today)
        hours = None if closure else self.hours_on(today)
        if hours:
            return {"open": True, "opens": hours[0], "closes": hours[1]}
        return {"open": False, "closure": closure}

    def closure_on(self, date):
        return next((closure for closure in self.closures.all() if closure.covers(date)), None)

    def upcoming_closures(self, today=None):
        today = today or timezone.localdate()
        return [
            closure
            for closure in self.closures.all()
            if (closure.ends_on or closure.starts_on) >= today
        ]

    def hours_on(self, date):
        """Opening and closing time on a date, or None when closed that day."""
        if any(closure.covers(date) for closure in self.closures.all()):
            return None
        hours = self.hours_by_weekday.get(date.weekday())
        if hours is None or hours.closed:
            return None
        return hours.opens, hours.closes


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(Orderable):
    location = ParentalKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    closed = models.BooleanField("closed all day", default=False)
    opens = models.TimeField(null=True, blank=True, help_text="e.g. 07:30")
    closes = models.TimeField(null=True, blank=True, help_text="e.g. 18:00")

    panels = [
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("closed")]),
        FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "opening hours"
        verbose_name_plural = "opening hours"
        constraints = [
            models.UniqueConstraint(fields=["location", "weekday"], name="one_row_per_weekday"),
        ]

    def __str__(self):
        if self.closed:
            return f"{self.get_weekday_display()}: closed"
        return f"{self.get_weekday_display()}: {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        if self.closed:
            self.opens = self.closes = None
            return
        if self.opens is None or self.closes is None:
            raise ValidationError("Give both opening and closing times, or tick 'closed'.")
        if self.opens >= self.closes:
            raise ValidationError({"closes": "Closing time must be after opening time."})


class HolidayClosure(Orderable):
    location = ParentalKey(Location, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(help_text="First day closed.")
    ends_on = models.DateField(null=True, blank=True, help_text="Last day closed, if several.")
    reason = models.CharField(max_length=120, blank=True, help_text="e.g. Thanksgiving.")

    panels = [
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("reason"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "holiday closure"

    def __str__(self):
        return self.reason or f"Closed {self.starts_on}"

    def clean(self):
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day closed cannot be before the first."})

    def covers(self, date: datetime.date):
        return self.starts_on <= date <= (self.ends_on or self.starts_on)


class TestimonialQuerySet(models.QuerySet):
    def published(self):
        return self.filter(has_consent=True)


class Testimonial(models.Model):
    """A patient's own words about their care, published only with their consent."""

    quote = models.TextField(help_text="The patient's words, lightly edited for length only.")
    patient_name = models.CharField(
        max_length=60,
        help_text="As the patient agreed to be named, e.g. 'Linda R.' or 'A teacher from Lacey'.",
    )
    treated_for = models.CharField(
        max_length=80, blank=True, help_text="Optional, e.g. 'Sciatica'. Shown under the name."
    )
    service = models.ForeignKey(
        "clinic.ServicePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
        help_text="Also show this testimonial on that condition's page.",
    )
    has_consent = models.BooleanField(
        "patient agreed to publication",
        default=False,
        help_text="Tick only when the patient's written consent is on file. Testimonials "
        "without it are never shown.",
    )
    show_on_home_page = models.BooleanField(
        default=True, help_text="Untick to keep it off the home page."
    )
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    panels = [
        FieldPanel("quote"),
        FieldRowPanel([FieldPanel("patient_name"), FieldPanel("treated_for")]),
        FieldPanel("service"),
        FieldPanel("has_consent"),
        FieldRowPanel([FieldPanel("show_on_home_page"), FieldPanel("sort_order")]),
    ]

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"{self.patient_name}: {Truncator(self.quote).words(8)}"


def visible(pages):
    """The live pages among `pages` that no view restriction hides: Wagtail's
    `.live().public()`, with the restrictions checked inside the same query (`.public()`
    first reads every restriction, a query of its own each time it is called)."""
    # A restriction hides its page and everything under it: the paths it begins.
    restricting = PageViewRestriction.objects.annotate(
        at=StrIndex(OuterRef("path"), F("page__path"))
    ).filter(at=1)
    return pages.live().filter(~Exists(restricting))


def live_pages_in_order(page_ids):
    """The live, public pages among `page_ids`, specific and in the given order."""
    pages = visible(Page.objects.filter(pk__in=page_ids)).specific().in_bulk()
    return [pages[pk] for pk in page_ids if pk in pages]


class HomePage(Page):
    """The site root: the clinic's front door."""

    hero_heading = models.CharField(
        max_length=120,
        default="Move without pain again",
        help_text="The first words patients read.",
    )
    hero_text = models.TextField(blank=True, help_text="One or two sentences under the heading.")
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A real photo of your clinic, team or a treatment, beside the heading "
        "(landscape or square, at least 1200 px wide; the demo's drawing is a placeholder). "
        "Give the image a description: it is the photo's alt text.",
    )
    services_intro = models.TextField(
        blank=True, help_text="A sentence above the list of conditions treated."
    )
    articles_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The blog (articles index). Its three newest articles appear on the home page.",
    )
    team_intro = models.TextField(blank=True, help_text="A sentence introducing the team.")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading="Hero",
        ),
        FieldPanel("services_intro"),
        PageChooserPanel("articles_page"),
        FieldPanel("team_intro"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        # Read first (clinic/content_version.py); the sections below are read only when
        # their fragment is not kept.
        version = content_version.version()
        context = super().get_context(request, *args, **kwargs)
        context["content_version"] = version
        context["services"] = visible(ServicePage.objects.descendant_of(self)).order_by("path")
        context["team_pages"] = visible(TeamPage.objects.descendant_of(self))
        context["therapists"] = Therapist.objects.filter(is_active=True).select_related(
            "photo", "team_page"
        )[:3]
        context["testimonials"] = Testimonial.objects.published().filter(show_on_home_page=True)[:3]
        return context


class SectionPage(Page):
    """A one-of-a-kind section right under the home page, with a short introduction."""

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["clinic.HomePage"]
    subpage_types = []
    max_count = 1
    show_in_menus_default = True

    class Meta:
        abstract = True


class ServiceIndexPage(SectionPage):
    """'Conditions we treat': the list of service pages."""

    intro = models.TextField(blank=True, help_text="One or two sentences above the list.")

    subpage_types = ["clinic.ServicePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = visible(ServicePage.objects.child_of(self))
        return context


class ServicePage(Page):
    """One condition or treatment, e.g. Sciatica, with the articles that explain it."""

    summary = models.CharField(
        max_length=240,
        help_text="One sentence for the list of conditions, e.g. 'Pain that travels from your "
        "lower back down one leg.'",
    )
    body = RichTextField(
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        help_text="What the condition is, how it feels, how we treat it, what to expect.",
    )
    # By name, so the clinic app imports nothing from the blog.
    article_topics = ParentalManyToManyField(
        "blog.BlogCategory",
        blank=True,
        related_name="conditions",
        help_text="The article topics about this condition: their newest articles are listed "
        "after the ones chosen below, so a new article appears here by itself.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("article_topics", widget=forms.CheckboxSelectMultiple),
        InlinePanel(
            "related_articles",
            heading="Articles shown first",
            label="Article",
            help_text="Articles that help patients with this condition, shown first in this "
            "order, before the newest of the topics above.",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["clinic.ServiceIndexPage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["testimonials"] = self.testimonials.published()[:2]
        return context

    @property
    def pinned_articles(self):
        """The articles the editors chose, in their order (the blog adds the newest)."""
        return live_pages_in_order([link.article_id for link in self.related_articles.all()])


class ServicePageArticle(Orderable):
    """An article linked from a service page ('Read more about sciatica')."""

    service = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="related_articles")
    article = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="An article about this condition.",
    )

    panels = [PageChooserPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = "related article"


class TeamPage(SectionPage):
    """The clinical team: every therapist currently at the clinic."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A short paragraph about how the team works together.",
    )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["therapists"] = Therapist.objects.filter(is_active=True).select_related("photo")
        return context


class ContactPage(SectionPage):
    """Where and when to find the clinic, and how to reach it."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A welcoming sentence, e.g. how fast the front desk answers.",
    )


class StandardPage(Page):
    """A plain page: about the clinic, insurance, cancellation policy, privacy notice."""

    intro = models.TextField(blank=True, help_text="A short summary shown under the title.")
    body = RichTextField(
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        help_text="The page's text. Use headings to make it easy to scan.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["clinic.HomePage", "clinic.StandardPage"]
    subpage_types = ["clinic.StandardPage"]
