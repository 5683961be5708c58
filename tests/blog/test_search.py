"""Patients searching the site: finding articles by what they say, whatever they type."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import BlogPostPageFactory

pytestmark = pytest.mark.django_db


def results(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [link.get_text() for link in page.select(".search-result__title a")]


def test_patient_finds_an_article_by_a_word_in_its_body(client, blog_index, post):
    BlogPostPageFactory(parent=blog_index, title="Knee exercises")
    body_only = BlogPostPageFactory(
        parent=blog_index,
        title="Mornings",
        body=[{"type": "paragraph", "value": "<p>Try a warm shower before stretching.</p>"}],
    )

    response = client.get("/search/", {"q": "shower"})

    assert response.status_code == 200
    assert results(response) == [body_only.title]
    assert "1 result for “shower”" in response.content.decode()


def test_search_results_are_not_indexed_by_search_engines(client, blog_index, post):
    response = client.get("/search/", {"q": "hip"})

    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert response["X-Robots-Tag"] == "noindex"


def test_results_are_paginated(client, blog_index):
    for number in range(12):
        BlogPostPageFactory(parent=blog_index, title=f"Stretch number {number}", publish="quickly")

    first = client.get("/search/", {"q": "stretch"})
    second = client.get("/search/", {"q": "stretch", "page": 2})

    assert len(results(first)) == 10
    assert len(results(second)) == 2
    assert 'href="?q=stretch&amp;page=2"' in first.content.decode()
    assert client.get("/search/", {"q": "stretch", "page": "x"}).status_code == 404
    assert client.get("/search/", {"q": "stretch", "page": 9}).status_code == 404


def test_empty_search_shows_the_form_with_a_hint(client, db):
    for query in ["", "   ", "\t"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert "Try a few words" in response.content.decode()


def test_huge_search_is_refused_with_an_explanation(client, db):
    response = client.get("/search/", {"q": "pain " * 500})

    assert response.status_code == 400
    assert "Please shorten your search to 100 characters" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE wagtailcore_page; --",
        "back & | ! ( ) : * <-> pain",
        "\x00hip\x00",
        "<script>alert(1)</script>",
        '"unterminated',
        '"hip" "pain',
        "NEAR(hip pain)",
        "hip OR",
        "^hip -pain title:hip *",
        "ünïcödé 背痛 🦵",
        "%%%___",
    ],
)
def test_hostile_searches_get_friendly_results_not_errors(client, blog_index, post, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_search_only_accepts_get(client, db):
    assert client.post("/search/", {"q": "hip"}).status_code == 405
