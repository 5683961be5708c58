"""Demo content of the clinic itself: settings, locations, therapists, testimonials, pages.

Like every app's demo.py, it creates what is missing and never overwrites what the
clinic's staff have edited, so `load_demo` can run on every start.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from blog.models import BlogCategory, SearchSynonym
from clinic.models import (
    ClinicSettings,
    ContactPage,
    HolidayClosure,
    HomePage,
    Location,
    OpeningHours,
    ServiceIndexPage,
    ServicePage,
    ServicePageArticle,
    StandardPage,
    TeamPage,
    Testimonial,
    Therapist,
)
from demo import clinic_texts as texts
from demo.files import (
    entrance_jpeg,
    logo_png,
    portrait_jpeg,
    restore_missing_file,
    text_pdf,
    treatment_room_jpeg,
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

# The pages load_pages() creates under the home page (conditions get their own slugs).
PAGE_SLUGS = [
    "conditions",
    "team",
    "about",
    "cancellation-policy",
    "insurance",
    "privacy",
    "contact",
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
        home.services_intro = (
            "Whatever is holding you back, we start by listening. These are the problems we "
            "help with most often."
        )
        home.team_intro = (
            "Licensed physical therapists who take the time to explain, and who will see you "
            "at every visit."
        )
        home.save_revision().publish()

    clinic_settings = ClinicSettings.for_site(site)
    if not clinic_settings.phone:
        clinic_settings.name = "Harbor Physical Therapy"
        clinic_settings.phone = "+13605550142"
        clinic_settings.email = "frontdesk@harborpt.example"
        clinic_settings.accepting_new_patients = True
        clinic_settings.insurers_accepted = "Aetna, Blue Cross, Cigna, Medicare, Premera, Regence"
        clinic_settings.practising_since = 2009
        clinic_settings.save()

    location, created = Location.objects.get_or_create(
        name="Harbor PT - Downtown",
        defaults={
            "street_address": "410 Water Street, Suite 200",
            "city": "Olympia",
            "region": "WA",
            "postal_code": "98501",
            "latitude": "47.045120",
            "longitude": "-122.901630",
            "price_range": "$$",
            "map_url": "https://www.openstreetmap.org/?mlat=47.0451&mlon=-122.9016#map=17/47.0451/-122.9016",
            "access_notes": "Free patient parking behind the building (enter from 4th Avenue). "
            "Intercity Transit routes 12 and 13 stop across the street. Step-free entrance "
            "and a lift to the second floor.",
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

    pages = load_pages(home)
    load_pictures(home, location)
    load_testimonials()
    Therapist.objects.filter(team_page__isnull=True).update(team_page=pages["team"])
    fill_settings(clinic_settings, privacy_page=pages["privacy"], share_image=home.hero_image)
    load_search_help(pages["insurance"])
    stdout.write(
        f"Clinic: settings, 1 location, {len(THERAPISTS)} therapists, "
        f"{len(texts.TESTIMONIALS)} testimonials, {len(texts.SERVICES)} conditions, pages."
    )


def child_page(parent, model, slug, **fields):
    """The child of `parent` with this slug, created and published when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_pages(home):
    services = child_page(
        home,
        ServiceIndexPage,
        "conditions",
        title="Conditions we treat",
        intro="We help people of every age recover from pain and injury of the back, "
        "neck and joints. Choose a condition to learn how we can help.",
        show_in_menus=True,
    )
    for service in texts.SERVICES:
        child_page(
            services,
            ServicePage,
            service["slug"],
            title=service["title"],
            summary=service["summary"],
            body=service["body"],
        )
    team = child_page(
        home, TeamPage, "team", title="Our team", intro=texts.TEAM_INTRO, show_in_menus=True
    )
    child_page(
        home,
        StandardPage,
        "about",
        title="About us",
        intro="An independent clinic where every patient gets time, a clear explanation "
        "and a plan.",
        body=texts.ABOUT_BODY,
        show_in_menus=True,
    )
    cancellation = child_page(
        home,
        StandardPage,
        "cancellation-policy",
        title="Cancellation policy",
        intro="Plans change. Here is how to move an appointment, and what happens if you "
        "cannot come.",
        body=texts.CANCELLATION_BODY,
    )
    cancellation_link = f'<a linktype="page" id="{cancellation.pk}">cancellation policy</a>'
    insurance = child_page(
        home,
        StandardPage,
        "insurance",
        title="Insurance and costs",
        intro="What your visits cost, and how we help you use your insurance.",
        body=texts.INSURANCE_BODY.format(cancellation_link=cancellation_link),
        show_in_menus=True,
    )
    privacy = child_page(
        home,
        StandardPage,
        "privacy",
        title="Privacy notice",
        intro="What we collect through this website, why, and your rights.",
        body=texts.PRIVACY_BODY,
    )
    child_page(
        home,
        ContactPage,
        "contact",
        title="Contact and locations",
        intro=texts.CONTACT_INTRO,
        show_in_menus=True,
    )
    return {"services": services, "team": team, "privacy": privacy, "insurance": insurance}


def load_testimonials():
    for order, testimonial in enumerate(texts.TESTIMONIALS):
        if Testimonial.objects.filter(patient_name=testimonial["patient_name"]).exists():
            continue
        Testimonial.objects.create(
            quote=testimonial["quote"],
            patient_name=testimonial["patient_name"],
            treated_for=testimonial["treated_for"],
            service=ServicePage.objects.filter(slug=testimonial["service_slug"]).first(),
            has_consent=True,
            sort_order=order,
        )


# Placeholder pictures: (file name, title, description = alt text, drawing).
ROOM = (
    "demo-treatment-room.jpg",
    "Demo placeholder: treatment room",
    "A bright treatment room with a padded table by the window, wall bars and an exercise ball",
    treatment_room_jpeg,
)
ENTRANCE = (
    "demo-clinic-entrance.jpg",
    "Demo placeholder: clinic entrance",
    "The clinic's entrance: a brick building with a teal awning over a glass door",
    entrance_jpeg,
)


def demo_picture(name, title, description, draw):
    """The demo's drawing of this name: found again, drawn again if its file is gone, or
    made now."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        restore_missing_file(existing, name, draw)
        return existing
    image = image_model(
        title=title, description=description, file=ImageFile(io.BytesIO(draw()), name=name)
    )
    image.save()
    return image


def load_pictures(home, location):
    """Placeholder photos where the clinic has none yet: the home page's hero, the
    location's entrance and each therapist's portrait."""
    if home.hero_image_id is None:
        home.hero_image = demo_picture(*ROOM)
        home.save_revision().publish()
    else:
        demo_picture(*ROOM)
    if location.photo_id is None:
        location.photo = demo_picture(*ENTRANCE)
        location.save()
    for number, therapist in enumerate(
        Therapist.objects.filter(name__in=[t["name"] for t in THERAPISTS])
    ):
        picture = demo_picture(
            f"demo-portrait-{number + 1}.jpg",
            f"Demo placeholder: portrait of {therapist.name}",
            f"Portrait of {therapist.name}",
            lambda number=number: portrait_jpeg(number),
        )
        if therapist.photo_id is None:
            therapist.photo = picture
            therapist.save(update_fields=["photo"])


LOGO_NAME = "harbor-logo.png"
GUIDE_NAME = "back-pain-tips-guide.pdf"


def guide_pdf():
    return text_pdf(texts.GUIDE_TITLE, texts.GUIDE_SECTIONS)


def fill_settings(clinic_settings, privacy_page, share_image):
    """Give the settings a privacy page, a free guide, a logo and a share image where none
    is chosen yet; draw the demo's guide and logo again if their files are gone."""
    changed = False
    if clinic_settings.share_image_id is None:
        clinic_settings.share_image = share_image
        changed = True
    if clinic_settings.privacy_page_id is None:
        clinic_settings.privacy_page = privacy_page
        changed = True
    if clinic_settings.free_guide_id is None:
        guide = get_document_model()(title=texts.GUIDE_TITLE)
        guide.file.save(GUIDE_NAME, ContentFile(guide_pdf()), save=False)
        guide.save()
        clinic_settings.free_guide = guide
        clinic_settings.free_guide_title = clinic_settings.free_guide_title or texts.GUIDE_TITLE
        clinic_settings.free_guide_blurb = clinic_settings.free_guide_blurb or texts.GUIDE_BLURB
        changed = True
    else:
        restore_missing_file(clinic_settings.free_guide, GUIDE_NAME, guide_pdf)
    if clinic_settings.logo_id is None:
        logo = get_image_model()(
            title=f"{clinic_settings.name} logo",
            file=ImageFile(io.BytesIO(logo_png()), name=LOGO_NAME),
        )
        logo.save()
        clinic_settings.logo = logo
        changed = True
    else:
        restore_missing_file(clinic_settings.logo, LOGO_NAME, logo_png)
    if changed:
        clinic_settings.save()


def load_search_help(insurance):
    """What editors add for search: words patients use for ours, and a promoted answer."""
    for phrase, means in texts.SEARCH_SYNONYMS.items():
        SearchSynonym.objects.get_or_create(phrase=phrase, defaults={"means": means})
    for query in ["cost", "price", "prices"]:
        SearchPromotion.objects.get_or_create(
            query=Query.get(query),
            page=insurance,
            defaults={"description": "What a visit costs and the insurers we work with."},
        )


def finish(stdout):
    """Link the clinic's pages to the blog the blog app's demo made, once.

    The home page lists its latest articles and each condition a few related reads; after
    that first time the links are the staff's to change.
    """
    home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
    blog = home.get_children().filter(slug="blog").first()
    if blog is None or home.articles_page_id is not None:
        return
    link_related_articles(blog)
    home.articles_page = blog
    home.save_revision().publish()
    team = home.get_children().filter(slug="team").first()
    if team is not None:
        blog.move(team, pos="right")  # menu: Conditions, Our team, Articles, About...
    stdout.write("Clinic: home page and conditions link to the blog's articles.")


def link_related_articles(blog, per_service=3):
    """Give each condition without related articles the blog's articles named after it,
    and its topics, whose newest articles follow."""
    articles = list(blog.get_children().live().order_by("-first_published_at"))
    for service in ServicePage.objects.filter(article_topics__isnull=True):
        names = texts.SERVICE_TOPICS.get(service.slug, [])
        service.article_topics.set(BlogCategory.objects.filter(name__in=names))
        service.save_revision().publish()
    for service in ServicePage.objects.filter(related_articles__isnull=True):
        keywords = texts.SERVICE_ARTICLE_KEYWORDS.get(service.slug, [])
        matches = [a for a in articles if any(word in a.title.lower() for word in keywords)]
        if not matches:
            continue
        for order, article in enumerate(matches[:per_service]):
            service.related_articles.add(ServicePageArticle(article=article, sort_order=order))
        service.save_revision().publish()
