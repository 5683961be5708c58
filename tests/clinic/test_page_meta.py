"""What search engines and social networks read on every page type: one canonical address
(the sitemap's), Open Graph and Twitter tags with a picture and its alt text, breadcrumbs
as JSON-LD, headings without gaps, the favicon, and the feed's dates."""

import datetime
import itertools
import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.factories import (
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    ContactPageFactory,
    LocationFactory,
    ServiceIndexPageFactory,
    ServicePageFactory,
    StandardPageFactory,
    TeamPageFactory,
    clinic_settings,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OPEN_GRAPH = ["og:site_name", "og:type", "og:title", "og:description", "og:url", "og:image"]
SHARE_PICTURE = ["og:image:alt", "og:image:width", "og:image:height", "twitter:image"]
TWITTER = ["twitter:card", "twitter:title", "twitter:description", "twitter:image:alt"]


@pytest.fixture
def site(home_page):
    """Every page type, the clinic's share picture and logo."""
    logo = wagtail_factories.ImageFactory(title="Harbor logo", description="Harbor PT")
    share = wagtail_factories.ImageFactory(
        title="Treatment room", description="A bright treatment room with a table by the window"
    )
    clinic_settings(
        logo=logo,
        share_image=share,
        email="frontdesk@harborpt.example",
        free_guide=wagtail_factories.DocumentFactory(title="Back pain tips"),
        free_guide_title="Free back pain tips",
    )
    LocationFactory(name="Downtown")
    conditions = ServiceIndexPageFactory(parent=home_page, slug="conditions")
    blog = BlogIndexPageFactory(parent=home_page)
    blog.save_revision().publish()
    back_pain = BlogCategoryFactory(name="Back pain")
    hero = wagtail_factories.ImageFactory(title="Hip", description="A woman stretching her hip")
    article = BlogPostPageFactory(
        parent=blog,
        categories=[back_pain],
        tags=["posture"],
        hero_image=hero,
        hero_is_decorative=True,
    )
    return {
        "home": home_page,
        "conditions": conditions,
        "service": ServicePageFactory(parent=conditions, slug="sciatica"),
        "team": TeamPageFactory(parent=home_page, slug="team"),
        "contact": ContactPageFactory(parent=home_page, slug="contact"),
        "standard": StandardPageFactory(parent=home_page, slug="about"),
        "blog": blog,
        "article": article,
        "share": share,
    }


def sitemap_locations(client):
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own
    return [url.findtext(f"{SITEMAP}loc") for url in sitemap.iter(f"{SITEMAP}url")]


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def public_paths(client):
    """The sitemap's pages (every page type, category and tag listings) and the views."""
    return [path_of(url) for url in sitemap_locations(client)] + [
        "/blog/tag/posture/",
        "/book/",
        "/guide/",
        "/search/?q=back",
    ]


def head_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser")


def meta(head, key):
    tag = head.find("meta", property=key) or head.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_every_sitemap_loc_is_its_pages_canonical(client, site):
    locations = sitemap_locations(client)

    assert len(locations) >= 9
    for loc in locations:
        assert head_of(client, path_of(loc)).find("link", rel="canonical")["href"] == loc


def test_every_page_has_a_canonical_open_graph_and_twitter_card_with_a_described_picture(
    client, site
):
    missing = {}
    for path in public_paths(client):
        head = head_of(client, path).head
        absent = [key for key in [*OPEN_GRAPH, *SHARE_PICTURE, *TWITTER] if not meta(head, key)]
        if not head.find("link", rel="canonical"):
            absent.append("canonical")
        if absent:
            missing[path] = absent
        assert meta(head, "og:url") == head.find("link", rel="canonical")["href"], path
        assert meta(head, "twitter:card") == "summary_large_image", path
    assert not missing


def test_a_page_without_its_own_picture_shares_the_clinics_with_its_alt_text(client, site):
    head = head_of(client, site["team"].url)

    assert re.search(r"/media/images/.*\.fill-1200x630", meta(head, "og:image"))
    assert meta(head, "og:image:alt") == "A bright treatment room with a table by the window"
    assert meta(head, "twitter:image:alt") == meta(head, "og:image:alt")


def test_an_article_shares_its_own_picture_described_even_when_marked_decorative(client, site):
    head = head_of(client, site["article"].url)

    assert meta(head, "og:type") == "article"
    assert meta(head, "og:image:alt") == "A woman stretching her hip"


def test_breadcrumbs_come_with_their_breadcrumb_list(client, site):
    for path in public_paths(client):
        page = head_of(client, path)
        crumbs = page.find("nav", attrs={"aria-label": "Breadcrumb"})
        lists = [
            data
            for script in page.find_all("script", type="application/ld+json")
            if (data := json.loads(script.string))["@type"] == "BreadcrumbList"
        ]
        if crumbs is None:
            assert not lists, path
            continue
        (trail,) = lists
        names = [item["name"] for item in trail["itemListElement"]]
        assert names == [li.get_text(strip=True) for li in crumbs.find_all("li")], path
        # The page itself, or for a topic's listing the articles page it belongs to.
        canonical = page.find("link", rel="canonical")["href"]
        assert canonical.startswith(trail["itemListElement"][-1]["item"]), path


def test_headings_never_skip_a_level(client, site):
    ServicePageFactory(parent=site["conditions"])
    for path in public_paths(client):
        levels = [int(h.name[1]) for h in head_of(client, path).find_all(re.compile("^h[1-6]$"))]
        assert levels[0] == 1, path
        gaps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert not gaps, f"{path}: {levels}"


def test_favicon_is_served_and_linked_from_every_page(client, site):
    response = client.get("/favicon.ico", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/media/images/")
    icon = head_of(client, "/").find("link", rel="icon")["href"]
    assert icon == response.redirect_chain[0][0]


def test_favicon_without_a_logo_is_the_sites_own(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert re.match(r"/static/clinic/favicon\.[0-9a-f]+\.ico$", response["Location"])
    assert client.head("/favicon.ico").status_code == 302


def test_article_publisher_logo_is_an_image_object(client, site):
    page = head_of(client, site["article"].url)
    web_page = json.loads(page.find("script", type="application/ld+json").string)

    logo = web_page["mainEntity"]["publisher"]["logo"]
    assert logo["@type"] == "ImageObject"
    assert logo["url"].startswith("http://localhost/media/images/")
    assert logo["width"] > 0 and logo["height"] > 0


def test_feed_dates_are_the_articles_own_and_guids_their_addresses(client, site):
    older = BlogPostPageFactory(parent=site["blog"], date_published=datetime.date(2019, 3, 4))
    feed = ET.fromstring(client.get(f"{site['blog'].url}feed/").content)  # noqa: S314

    items = {item.findtext("title"): item for item in feed.iter("item")}
    for article in (site["article"], older):
        item = items[article.title]
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert timezone.localtime(published).date() == article.date_published
        assert item.findtext("guid") == article.get_full_url() == item.findtext("link")
