"""What feed readers, search engines and social networks read about the articles."""

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.factories import BlogCategoryFactory, BlogPostPageFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MEDIA = "{http://search.yahoo.com/mrss/}"


def parse_xml(response):
    return ET.fromstring(response.content)  # noqa: S314 - our own site's response


def test_feed_lists_posts_with_summary_author_categories_and_image(client, blog_index, post):
    BlogPostPageFactory(parent=blog_index, title="A draft", publish=False)

    response = client.get(f"{blog_index.url}feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response).find("channel")
    assert channel.findtext("title") == "Harbor Physical Therapy: Articles"
    (item,) = channel.findall("item")
    assert item.findtext("title") == post.title
    assert item.findtext("link") == f"http://localhost{post.url}"
    assert item.findtext("description") == post.intro
    assert "Maya Okafor, PT, DPT, OCS" in item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert [c.text for c in item.findall("category")] == ["Back pain"]
    image = item.find(f"{MEDIA}content")
    assert image.get("medium") == "image"
    assert image.get("url").startswith("http://localhost/media/images/")
    assert int(image.get("width")) > 0 and int(image.get("height")) > 0


def test_category_feed_holds_only_that_categorys_posts(client, blog_index, post):
    BlogPostPageFactory(parent=blog_index, categories=[BlogCategoryFactory(name="Knee pain")])

    feed = parse_xml(client.get(f"{blog_index.url}category/back-pain/feed/"))

    assert [item.findtext("title") for item in feed.iter("item")] == [post.title]
    assert feed.find("channel").findtext("description") == "Why backs hurt."
    assert client.get(f"{blog_index.url}category/nothing/feed/").status_code == 404


def test_sitemap_lists_posts_with_last_modified_and_robots_names_it(client, blog_index, post):
    draft = BlogPostPageFactory(parent=blog_index, publish=False)

    sitemap = parse_xml(client.get("/sitemap.xml"))

    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in sitemap.iter(f"{SITEMAP}url")
    }
    published_on = timezone.localtime(post.last_published_at).date()
    assert entries[post.get_full_url()].startswith(str(published_on))
    assert f"{blog_index.get_full_url()}category/back-pain/" in entries
    assert not any(draft.slug in loc for loc in entries)
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").content.decode()


def structured_data(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]


def test_post_json_ld_describes_the_article_its_people_and_the_clinic(client, post):
    web_page, breadcrumbs = structured_data(client.get(post.url))

    assert web_page["@type"] == "MedicalWebPage"
    assert web_page["reviewedBy"] == {
        "@type": "Person",
        "name": "Daniel Reyes",
        "honorificSuffix": "PT, DPT",
        "jobTitle": "Physical therapist",
    }
    assert web_page["lastReviewed"] == "2025-06-01"
    article = web_page["mainEntity"]
    assert article["@type"] == "BlogPosting"
    assert article["headline"] == post.title
    assert article["description"] == post.intro
    assert article["datePublished"] == post.date_published.isoformat()
    assert article["dateModified"].startswith(str(post.last_published_at.date()))
    assert article["author"][0]["@type"] == "Person"
    assert article["author"][0]["name"] == "Maya Okafor"
    assert article["publisher"] == {
        "@type": "MedicalClinic",
        "name": "Harbor Physical Therapy",
        "url": "http://localhost/",
        "telephone": "+13605550142",
    }
    assert article["image"]["url"].startswith("http://localhost/media/images/")
    assert article["articleSection"] == ["Back pain"]
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "Home",
        "Articles",
        post.title,
    ]
    assert breadcrumbs["itemListElement"][-1]["item"] == f"http://localhost{post.url}"


def test_json_ld_cannot_be_broken_out_of_by_a_title(client, blog_index):
    hostile = BlogPostPageFactory(parent=blog_index, title="</script><script>alert(1)</script>")

    response = client.get(hostile.url)

    assert b"<script>alert(1)" not in response.content
    assert structured_data(response)[0]["mainEntity"]["headline"] == hostile.title


def test_post_has_canonical_url_open_graph_and_twitter_card(client, post):
    head = BeautifulSoup(client.get(post.url).content, "html.parser").head

    def meta(key):
        tag = head.find("meta", property=key) or head.find("meta", attrs={"name": key})
        return tag["content"]

    assert head.find("link", rel="canonical")["href"] == f"http://localhost{post.url}"
    assert head.title.get_text() == f"{post.title} | Harbor Physical Therapy"
    assert meta("description") == post.intro
    assert meta("og:type") == "article"
    assert meta("og:url") == f"http://localhost{post.url}"
    assert meta("og:image").startswith("http://localhost/media/images/")
    assert meta("og:image:alt") == "A woman stretching her hip on a mat"
    assert meta("twitter:card") == "summary_large_image"
    assert meta("twitter:image") == meta("og:image")


def test_promote_tab_title_and_description_win_over_fallbacks(client, post):
    post.seo_title = "Back and hip pain: causes and relief"
    post.search_description = "Five common causes, and what to do about each."
    post.save_revision().publish()

    head = BeautifulSoup(client.get(post.url).content, "html.parser").head

    assert head.title.get_text().startswith("Back and hip pain: causes and relief |")
    assert head.find("meta", attrs={"name": "description"})["content"] == (
        "Five common causes, and what to do about each."
    )


def test_index_pages_are_canonical_per_page_and_link_their_feed(client, blog_index, post):
    head = BeautifulSoup(client.get(f"{blog_index.url}category/back-pain/").content, "html.parser")

    assert head.find("link", rel="canonical")["href"] == (
        f"http://localhost{blog_index.url}category/back-pain/"
    )
    feeds = [link["href"] for link in head.find_all("link", type="application/rss+xml")]
    assert feeds == [f"{blog_index.url}feed/", f"{blog_index.url}category/back-pain/feed/"]
