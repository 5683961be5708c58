"""Patients reading an article: what the post page and the article index show."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from blog.models import BlogPostPage
from tests.factories import BlogCategoryFactory, BlogPostPageFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_patient_reads_an_article_with_byline_dates_and_reading_time(client, post):
    page = soup(client.get(post.url))

    assert [h1.get_text() for h1 in page.find_all("h1")] == ["Why do my back and hip hurt?"]
    byline = page.select_one(".byline").get_text(" ", strip=True)
    assert "By Maya Okafor, PT, DPT, OCS" in byline
    assert "Published January 20, 2025" in byline
    assert "Medically reviewed by Daniel Reyes, PT, DPT on June 1, 2025" in byline
    assert "1 min read" in byline
    assert page.select_one(".post-header__intro").get_text() == post.intro
    assert page.select_one(".advice").get_text(" ", strip=True) == (
        "What to do Stretch gently and rest."
    )
    assert page.find("h2", id="1-muscle-strain").get_text() == "1. Muscle strain"


def test_breadcrumbs_lead_home_through_the_index(client, post):
    crumbs = soup(client.get(post.url)).select(".breadcrumbs li")
    assert [crumb.get_text(strip=True) for crumb in crumbs] == [
        "Home",
        "Articles",
        "Why do my back and hip hurt?",
    ]


def test_hero_is_a_picture_in_modern_formats_loaded_eagerly(client, post):
    hero = soup(client.get(post.url)).select_one(".post-hero picture")

    sources = {source["type"] for source in hero.find_all("source")}
    assert sources == {"image/avif", "image/webp"}
    img = hero.find("img")
    assert img["alt"] == "A woman stretching her hip on a mat"
    assert img["fetchpriority"] == "high"
    assert img["loading"] == "eager"
    assert img["width"] and img["height"]
    assert img["src"].endswith(".jpg")


def test_article_ends_with_the_clinics_call_to_action(client, post):
    cta = soup(client.get(post.url)).select_one(".cta-block")

    links = {link["data-cta"]: link["href"] for link in cta.find_all("a")}
    assert links == {
        "phone": "tel:+13605550142",
        "book": f"/book/?from={post.pk}",
        "guide": f"/guide/?from={post.pk}",
    }
    assert "Call (360) 555-0142" in cta.get_text()
    assert "Free Back Pain Tips Guide" in cta.get_text()


def test_more_posts_like_this_never_lists_the_article_itself(client, post, blog_index, back_pain):
    sibling = BlogPostPageFactory(parent=blog_index, title="Sleeping with sciatica")
    same_topic = BlogPostPageFactory(
        parent=blog_index, title="Lifting without back pain", categories=[back_pain]
    )

    related = soup(client.get(post.url)).select_one(".related-posts")

    titles = [link.get_text() for link in related.select(".post-card__title a")]
    assert titles == [same_topic.title, sibling.title]
    assert related.find("h2").get_text() == "More posts like this"


def test_related_posts_rank_shared_categories_then_tags(blog_index, back_pain, post):
    hips = BlogCategoryFactory(name="Hip pain")
    post.categories.add(hips)
    post.save()
    nothing_shared = BlogPostPageFactory(parent=blog_index, title="Knees")
    one_category_and_tag = BlogPostPageFactory(
        parent=blog_index, categories=[back_pain], tags=["sleep"]
    )
    one_category = BlogPostPageFactory(parent=blog_index, categories=[hips])
    two_categories = BlogPostPageFactory(parent=blog_index, categories=[back_pain, hips])

    related = BlogPostPage.objects.get(pk=post.pk).related_posts(count=4)

    assert related == [two_categories, one_category_and_tag, one_category, nothing_shared]


def test_editor_can_pin_related_posts_instead(client, blog_index, post):
    pinned = BlogPostPageFactory(parent=blog_index, title="Pinned by the editor")
    BlogPostPageFactory(parent=blog_index, categories=list(post.categories.all()))
    post.body = [
        *post.body.raw_data,
        {"type": "related_posts", "value": {"heading": "Read next", "posts": [pinned.pk]}},
    ]
    post.save_revision().publish()

    page = soup(client.get(post.url))

    related = page.select_one(".related-links")
    assert related.find("h2").get_text() == "Read next"
    assert [link.get_text() for link in related.find_all("a")] == ["Pinned by the editor"]
    assert page.select_one(".related-posts") is None, "the pinned list replaces the automatic one"


def test_previous_and_next_articles_follow_publish_dates(client, blog_index, post):
    older = BlogPostPageFactory(
        parent=blog_index, title="Older", date_published=post.date_published.replace(year=2020)
    )
    newer = BlogPostPageFactory(
        parent=blog_index, title="Newer", date_published=datetime.date.today()
    )

    nav = soup(client.get(post.url)).select_one(".post-nav")

    assert nav.select_one("[rel=prev]")["href"] == older.url
    assert nav.select_one("[rel=next]")["href"] == newer.url


def test_hero_image_needs_alt_text_or_a_decorative_mark(post):
    post.hero_alt = ""
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "hero_alt" in error.value.message_dict

    post.hero_is_decorative = True
    post.full_clean()
    assert post.hero_alt_text == ""


def test_index_lists_newest_first_with_cards(client, blog_index, post):
    newer = BlogPostPageFactory(
        parent=blog_index, title="Newest", date_published=datetime.date.today()
    )
    BlogPostPageFactory(parent=blog_index, title="Draft", publish=False)

    page = soup(client.get(blog_index.url))

    cards = page.select(".post-card")
    assert [card.select_one(".post-card__title").get_text() for card in cards] == [
        newer.title,
        post.title,
    ]
    card = cards[1]
    assert card.find("img")
    assert "Maya Okafor" in card.select_one(".post-card__meta").get_text()
    assert card.select_one(".post-card__intro").get_text() == post.intro


def test_index_is_paginated_and_bad_page_numbers_are_not_found(client, blog_index):
    for _ in range(blog_index.posts_per_page + 1):
        BlogPostPageFactory(parent=blog_index, publish="quickly")

    second = client.get(blog_index.url, {"page": 2})
    assert second.status_code == 200
    assert len(soup(second).select(".post-card")) == 1
    assert "Page 2 of 2" in second.content.decode()

    for bad in ["3", "0", "-1", "abc", "1e9", "9" * 40, ""]:
        assert client.get(blog_index.url, {"page": bad}).status_code == 404, bad


def test_category_and_tag_pages_list_only_their_articles(client, blog_index, post, back_pain):
    BlogPostPageFactory(parent=blog_index, title="Knee exercises")

    category_page = client.get(f"{blog_index.url}category/back-pain/")
    tag_page = client.get(f"{blog_index.url}tag/sleep/")

    for response in (category_page, tag_page):
        titles = [t.get_text() for t in soup(response).select(".post-card__title")]
        assert titles == [post.title]
    assert soup(category_page).find("h1").get_text() == "Back pain"
    assert client.get(f"{blog_index.url}category/no-such-topic/").status_code == 404
    assert client.get(f"{blog_index.url}tag/no-such-tag/").status_code == 404


def test_reading_time_counts_the_words_of_the_body(blog_index):
    words = " ".join(["word"] * 700)
    long_post = BlogPostPageFactory(
        parent=blog_index, body=[{"type": "paragraph", "value": f"<p>{words}</p>"}]
    )
    assert long_post.reading_minutes == 4  # 700 body + 6 intro words at 220 a minute


def test_latest_and_therapist_posts_tags_render_cards(rf, blog_index, post, maya):
    from django.template import Context, Template

    BlogPostPageFactory(parent=blog_index, title="By someone else")
    template = Template(
        "{% load blog_tags %}<div id=latest>{% latest_posts 5 %}</div>"
        "<div id=mine>{% therapist_posts therapist 5 %}</div>"
    )
    html = template.render(Context({"request": rf.get("/"), "therapist": maya}))
    page = BeautifulSoup(html, "html.parser")

    assert len(page.select("#latest .post-card")) == 2
    assert [t.get_text() for t in page.select("#mine .post-card__title")] == [post.title]
    assert re.search(r"\d{4}", page.select_one("#mine time").get_text())
