"""Every page type costs a small number of SQL queries that does not grow with the number
of posts: pinned as maxima with 3 and 30 articles, first with every cache empty (the first
view after a publish), then with Wagtail's fragment and rendition caches warm."""

import pytest
import wagtail_factories
from django.core.cache import caches

from tests.factories import (
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    ContactPageFactory,
    LocationFactory,
    PatientTestimonialFactory,
    ServiceIndexPageFactory,
    ServicePageFactory,
    StandardPageFactory,
    TeamPageFactory,
    TherapistFactory,
    clinic_settings,
)

pytestmark = pytest.mark.django_db

# (address, most queries cold, most queries warm). Cold includes finding the Site and the
# page (Wagtail: 6 for an article, 2 more for its view restrictions), the clinic's
# settings, the menus and the footer's locations and hours; warm, the header and footer
# (and an article's head tags, trail, byline, body and lists, the home page's sections, a
# list's cards) are fragments and renditions come from the renditions cache.
BUDGETS = [
    ("/", 29, 10),
    ("/blog/", 21, 9),
    ("/blog/category/back-pain/", 22, 10),
    ("/blog/tag/sleep/", 22, 10),
    ("/blog/feed/", 13, 12),
    ("ARTICLE", 30, 8),
    ("/conditions-we-treat/", 16, 9),
    ("/conditions-we-treat/sciatica/", 21, 14),
    ("/our-team/", 22, 14),
    ("/contact/", 23, 16),
    ("/insurance/", 15, 8),
    ("/search/?q=sciatica", 22, 15),
]


@pytest.fixture(params=[3, 30], ids=["3 posts", "30 posts"])
def site(request, home_page):
    """Every page type; `n` articles, each with two authors, two categories, tags and a
    hero image; photos on therapists and locations."""
    clinic_settings(phone="+13605550142")
    photo = wagtail_factories.ImageFactory(description="A calm landscape")
    for name in ("Downtown clinic", "Westside clinic"):
        LocationFactory(name=name, photo=photo)
    for _ in range(3):
        PatientTestimonialFactory(show_on_home_page=True)
    therapists = [TherapistFactory(photo=photo) for _ in range(3)]
    categories = [BlogCategoryFactory(name=name) for name in ("Back pain", "Hips", "Knees")]
    index = BlogIndexPageFactory(parent=home_page, show_in_menus=True)
    home_page.articles_page = index
    home_page.hero_image = photo
    home_page.save_revision().publish()
    posts = [
        BlogPostPageFactory(
            parent=index,
            title=f"Sciatica, part {n}",
            hero_image=photo,
            hero_alt="A calm landscape",
            authors=therapists[n % 3 : n % 3 + 2] or therapists[:2],
            categories=categories[n % 3 : n % 3 + 2] or categories[:2],
            tags=["sleep", f"tag-{n}"],
            reviewed_by=therapists[0],
            publish="quickly",
        )
        for n in range(request.param)
    ]
    services = ServiceIndexPageFactory(parent=home_page)
    for n, title in enumerate(["Sciatica", "Knee pain", "Neck pain", "Shoulder pain"]):
        service = ServicePageFactory(parent=services, title=title)
        service.related_articles.create(article=posts[n % len(posts)])
    TeamPageFactory(parent=home_page)
    ContactPageFactory(parent=home_page)
    StandardPageFactory(parent=home_page, title="Insurance", show_in_menus=True)
    return posts[len(posts) // 2]


def empty_caches():
    for each in caches.all():
        each.clear()


@pytest.mark.parametrize(("url", "cold", "warm"), BUDGETS, ids=[b[0] for b in BUDGETS])
def test_each_page_type_costs_a_few_queries_however_many_posts(
    client, site, url, cold, warm, django_assert_max_num_queries
):
    url = site.url if url == "ARTICLE" else url
    assert client.get(url).status_code == 200  # makes the image renditions, once ever
    empty_caches()
    with django_assert_max_num_queries(cold):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(warm):
        assert client.get(url).status_code == 200
