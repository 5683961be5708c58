"""Condition pages find their articles: the editors' choices first, in their order, then
the newest articles in the condition's topics, without anyone picking them."""

import datetime

import pytest
from bs4 import BeautifulSoup

from clinic.models import ServicePageArticle
from tests.factories import (
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    ServiceIndexPageFactory,
    ServicePageFactory,
)

pytestmark = pytest.mark.django_db


def related_titles(client, page):
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    section = soup.find("section", attrs={"aria-labelledby": "related-heading"})
    return [link.get_text() for link in section.find_all("a")] if section else []


@pytest.fixture
def sciatica(home_page):
    conditions = ServiceIndexPageFactory(parent=home_page)
    return ServicePageFactory(parent=conditions, title="Sciatica")


@pytest.fixture
def blog(home_page):
    index = BlogIndexPageFactory(parent=home_page)
    index.save_revision().publish()
    return index


def article(blog, title, day, topics=()):
    return BlogPostPageFactory(
        parent=blog, title=title, date_published=datetime.date(2026, 1, day), categories=topics
    )


def test_a_new_article_in_a_conditions_topic_appears_on_it_after_the_editors_choices(
    client, sciatica, blog
):
    nerves, knees = BlogCategoryFactory(name="Sciatica"), BlogCategoryFactory(name="Knee pain")
    sciatica.article_topics.set([nerves])
    chosen = article(blog, "Chosen, older", 1, [knees])
    sciatica.related_articles.add(ServicePageArticle(article=chosen, sort_order=0))
    sciatica.save_revision().publish()
    article(blog, "Sitting with sciatica", 5, [nerves])
    article(blog, "Knee on the stairs", 9, [knees])

    assert related_titles(client, sciatica) == ["Chosen, older", "Sitting with sciatica"]

    article(blog, "A therapist's new piece on sciatica", 20, [nerves])

    assert related_titles(client, sciatica) == [
        "Chosen, older",
        "A therapist's new piece on sciatica",
        "Sitting with sciatica",
    ]


def test_a_chosen_article_is_listed_once_and_drafts_never(client, sciatica, blog):
    nerves = BlogCategoryFactory(name="Sciatica")
    sciatica.article_topics.set([nerves])
    chosen = article(blog, "Chosen", 3, [nerves])
    sciatica.related_articles.add(ServicePageArticle(article=chosen, sort_order=0))
    sciatica.save_revision().publish()
    BlogPostPageFactory(parent=blog, title="Draft", categories=[nerves], publish=False)

    assert related_titles(client, sciatica) == ["Chosen"]


def test_a_condition_lists_five_articles_at_most_keeping_every_chosen_one(client, sciatica, blog):
    nerves = BlogCategoryFactory(name="Sciatica")
    sciatica.article_topics.set([nerves])
    for day in range(1, 9):
        article(blog, f"Article {day}", day, [nerves])
    sciatica.save_revision().publish()

    assert related_titles(client, sciatica) == [f"Article {day}" for day in (8, 7, 6, 5, 4)]
