"""Search that finds what patients type: typos, plurals, tags, authors' names, synonyms,
condition names and the results editors promote. Run on PostgreSQL (the suite's
DATABASE_URL); the SQLite fallback is tested where it differs."""

import importlib
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from blog.models import SearchSynonym
from blog.search import typo_tolerant
from tests.factories import (
    BlogCategoryFactory,
    BlogPostPageFactory,
    ServiceIndexPageFactory,
    ServicePageFactory,
    StandardPageFactory,
    TeamPageFactory,
    TherapistFactory,
)

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="typo tolerance is PostgreSQL's (pg_trgm)"
)
# SQLite's full-text index (development only) matches words as written, without stemming.
stemmed = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="plurals are PostgreSQL's (English stemming)"
)


# title, intro, text, author, topic, tags
ARTICLES = [
    (
        "Sitting With Sciatica: Tips for the Car, the Desk and the Couch",
        "Small changes to how you sit calm an irritated nerve.",
        "A rolled towel behind your lower back helps on long drives.",
        "Maya Okafor",
        "Sciatica",
        ["sitting", "driving"],
    ),
    (
        "Why Do My Lower Back and Hip Hurt at the Same Time?",
        "The two often share a cause.",
        "Osteoarthritis of the hip can be felt in the lower back.",
        "Maya Okafor",
        "Back pain",
        ["lower back", "arthritis"],
    ),
    (
        "Knee Pain on the Stairs: What It Means",
        "Why going down hurts more than going up.",
        "Your kneecap glides in a groove as the knee bends.",
        "Daniel Reyes",
        "Knee pain",
        ["kneecap"],
    ),
    (
        "Strength Training After 50",
        "A gentle start for stronger joints.",
        "Three exercises you can do with a chair.",
        "Daniel Reyes",
        "Knee pain",
        ["strength"],
    ),
    (
        "What a Herniated Disc Feels Like",
        "Most settle within weeks.",
        "A herniated disc presses on a nerve root.",
        "Daniel Reyes",
        "Back pain",
        [],
    ),
]


@pytest.fixture
def site(home_page, blog_index, clinic):
    """A small clinic site like the demo's: two therapists, conditions, articles, a page,
    a synonym and a promoted result."""
    team = TeamPageFactory(parent=home_page)
    authors = {
        "Maya Okafor": TherapistFactory(name="Maya Okafor", credentials="PT, DPT", team_page=team),
        "Daniel Reyes": TherapistFactory(name="Daniel Reyes", credentials="PT", team_page=team),
    }
    topics = {
        name: BlogCategoryFactory(name=name) for name in ("Sciatica", "Back pain", "Knee pain")
    }
    conditions = ServiceIndexPageFactory(parent=home_page)
    ServicePageFactory(
        parent=conditions,
        title="Sciatica",
        summary="Pain that travels from your lower back down one leg.",
        body="<p>We ease the nerve and get you moving again.</p>",
    )
    ServicePageFactory(
        parent=conditions,
        title="Knee pain",
        summary="Aching kneecaps on the stairs or after a run.",
        body="<p>Strength work for the thigh and hip.</p>",
    )
    insurance = StandardPageFactory(
        parent=home_page,
        title="Insurance and payment",
        intro="The insurers we work with and our self-pay prices.",
        body="<p>We bill most plans directly.</p>",
    )
    for title, intro, text, author, topic, tags in ARTICLES:
        BlogPostPageFactory(
            parent=blog_index,
            title=title,
            intro=intro,
            body=[{"type": "paragraph", "value": f"<p>{text}</p>"}],
            authors=[authors[author]],
            categories=[topics[topic]],
            tags=tags,
        )
    SearchSynonym.objects.create(phrase="Slipped disc", means="herniated disc")
    SearchPromotion.objects.create(
        query=Query.get("cost"), page=insurance, description="Prices and insurers."
    )
    return home_page


def results(response):
    """(kind, title) of each result, in order."""
    page = BeautifulSoup(response.content, "html.parser")
    return [
        (
            item.select_one(".search-result__kind").get_text(),
            item.select_one(".search-result__title").get_text(),
        )
        for item in page.select(".search-result")
    ]


# What a patient types, and what must come first.
PATIENT_QUERIES = [
    pytest.param("sciatica", ("Condition", "Sciatica"), id="condition name"),
    pytest.param(
        "sciatca", ("Condition", "Sciatica"), id="typo in a condition", marks=on_postgresql
    ),
    pytest.param(
        "sittng",
        ("Article", "Sitting With Sciatica: Tips for the Car, the Desk and the Couch"),
        id="typo in an article's title",
        marks=on_postgresql,
    ),
    pytest.param(
        "osteoarthritus",
        ("Article", "Why Do My Lower Back and Hip Hurt at the Same Time?"),
        id="typo in a word of the text (Fuzzy)",
        marks=on_postgresql,
    ),
    pytest.param("knees", ("Condition", "Knee pain"), id="plural of a condition", marks=stemmed),
    pytest.param(
        "drive",
        ("Article", "Sitting With Sciatica: Tips for the Car, the Desk and the Couch"),
        id="singular",
        marks=stemmed,
    ),
    pytest.param("exercise", ("Article", "Strength Training After 50"), id="plural", marks=stemmed),
    pytest.param(
        "arthritis", ("Article", "Why Do My Lower Back and Hip Hurt at the Same Time?"), id="tag"
    ),
    pytest.param("Okafor", ("Therapist", "Maya Okafor, PT, DPT"), id="author's name"),
    pytest.param(
        "okafr", ("Therapist", "Maya Okafor, PT, DPT"), id="typo in a name", marks=on_postgresql
    ),
    pytest.param("slipped disc", ("Article", "What a Herniated Disc Feels Like"), id="synonym"),
    pytest.param("cost", ("Recommended", "Insurance and payment"), id="promoted"),
    pytest.param("Cost ", ("Recommended", "Insurance and payment"), id="promoted, as typed"),
]


@pytest.mark.parametrize(("query", "first"), PATIENT_QUERIES)
def test_what_patients_type_finds_the_page_they_need_first(client, site, query, first):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert results(response)[:1] == [first]


def test_an_article_is_found_by_its_author_tag_and_topic(client, site):
    by_author = [title for kind, title in results(client.get("/search/", {"q": "Reyes"}))]
    by_topic = results(client.get("/search/", {"q": "knee pain"}))

    assert by_author[0] == "Daniel Reyes, PT"
    assert "What a Herniated Disc Feels Like" in by_author
    assert ("Topic", "Knee pain") in by_topic
    assert ("Article", "Knee Pain on the Stairs: What It Means") in by_topic


def test_each_result_says_what_it_is_with_a_sentence_about_it(client, site):
    response = client.get("/search/", {"q": "arthritis"})

    page = BeautifulSoup(response.content, "html.parser")
    kinds = [kind for kind, _title in results(response)]
    assert kinds == ["Article", "Tag"]
    tag = page.select(".search-result")[-1]
    assert tag.select_one("a")["href"] == "/blog/tag/arthritis/"
    assert "Articles tagged “arthritis”" in tag.get_text()
    assert "The two often share a cause." in page.select(".search-result")[0].get_text()


def test_promoted_results_come_first_and_are_not_repeated(client, site):
    StandardPageFactory(
        parent=site, title="Cost of a first visit", body="<p>What the first visit costs.</p>"
    )

    titles = [title for _kind, title in results(client.get("/search/", {"q": "cost"}))]

    assert titles[0] == "Insurance and payment"
    assert titles.count("Insurance and payment") == 1
    assert "Cost of a first visit" in titles


def test_a_promoted_page_taken_offline_is_not_shown(client, site):
    insurance = SearchPromotion.objects.get().page
    insurance.unpublish()

    assert ("Recommended", "Insurance and payment") not in results(
        client.get("/search/", {"q": "cost"})
    )


def test_a_synonym_says_what_else_was_searched(client, site):
    response = client.get("/search/", {"q": "slipped disc"})

    assert "Also searched for “herniated disc”." in response.content.decode()


def test_a_typo_shows_the_results_of_the_nearest_words_and_says_so(client, site):
    response = client.get("/search/", {"q": "sciatca"})

    page = BeautifulSoup(response.content, "html.parser")
    correction = page.select_one(".search__correction")
    assert correction.get_text(" ", strip=True) == (
        "Showing results for “ sciatica ”: nothing matched “sciatca”."
    )
    assert correction.select_one("a")["href"] == "?q=sciatica"


def test_without_typo_tolerance_the_nearest_words_are_searched_instead(client, site, monkeypatch):
    """SQLite (development) and a database without pg_trgm: difflib corrects the words."""
    monkeypatch.setattr("blog.search.typo_tolerant", lambda: False)

    response = client.get("/search/", {"q": "sittng sciatca"})

    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".search__correction").get_text(" ", strip=True) == (
        "Showing results for “ sitting sciatica ”: nothing matched “sittng sciatca”."
    )
    assert results(response)[0] == (
        "Article",
        "Sitting With Sciatica: Tips for the Car, the Desk and the Couch",
    )


def test_a_search_that_matches_nothing_says_so(client, site):
    response = client.get("/search/", {"q": "zzzzqqqq"})

    assert response.status_code == 200
    assert results(response) == []
    assert "Nothing matched “zzzzqqqq”" in response.content.decode()


def test_a_page_number_that_is_not_one_is_explained(client, site):
    for number in ["abc", "99", "-1", "1e9"]:
        response = client.get("/search/", {"q": "sciatica", "page": number})

        assert response.status_code == 404
        page = BeautifulSoup(response.content, "html.parser")
        assert page.select_one("[role=alert]").get_text() == (
            f"There is no page “{number}” of these results; here is the first."
        )
        assert results(response)[0] == ("Condition", "Sciatica")


# A search costs at most this many SQL queries, whichever way it finds its results (site,
# settings and menus included): words that match, a typo (autocomplete, suggestion, then
# fuzzy), a synonym, a promotion.
SEARCH_QUERIES = 30


@pytest.mark.parametrize("query", ["sciatica", "sciatca", "slipped disc", "cost", "Okafor"])
def test_a_search_costs_a_bounded_number_of_queries(
    client, site, query, django_assert_max_num_queries
):
    client.get("/search/", {"q": query})  # page renditions and caches, made once

    with django_assert_max_num_queries(SEARCH_QUERIES):
        assert client.get("/search/", {"q": query}).status_code == 200


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.one_of(
        st.text(max_size=120),
        st.sampled_from(["sciatca", "slipped disc", "okafr", "'; --", "a" * 101, "\x00"]),
    ),
    page=st.one_of(st.none(), st.text(max_size=8), st.integers(-5, 5).map(str)),
)
def test_no_search_causes_a_server_error(client, site, query, page):
    params = {"q": query} if page is None else {"q": query, "page": page}
    response = client.get("/search/", params)

    assert response.status_code in {200, 400, 404}
    assert b'<form class="search-form"' in response.content, "the form comes back to try again"


@pytest.fixture
def without_pg_trgm(db):
    """The database as a host that refused the extension leaves it (undone after the test)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION pg_trgm CASCADE")  # with its indexes
    typo_tolerant.cache_clear()
    yield
    typo_tolerant.cache_clear()


@on_postgresql
def test_the_migration_says_what_to_ask_for_when_pg_trgm_is_refused(without_pg_trgm, capsys):
    migration = importlib.import_module("blog.migrations.0006_search_synonyms_and_pg_trgm")
    with connection.cursor() as cursor:
        # A user that owns no database may not create even a trusted extension.
        cursor.execute("CREATE ROLE clinic_search_test_limited")
        cursor.execute("SET ROLE clinic_search_test_limited")
        try:
            migration.create_pg_trgm(None, SimpleNamespace(connection=connection))
        finally:
            cursor.execute("RESET ROLE")

    told = capsys.readouterr().err
    assert "Typo-tolerant search is OFF" in told
    assert "permission denied" in told
    assert "CREATE EXTENSION IF NOT EXISTS pg_trgm;" in told
    assert not typo_tolerant()


@on_postgresql
def test_without_pg_trgm_a_typo_still_finds_the_page(client, site, without_pg_trgm):
    response = client.get("/search/", {"q": "sciatca"})

    assert response.status_code == 200
    assert results(response)[0] == ("Condition", "Sciatica")
    page = BeautifulSoup(response.content, "html.parser")
    assert (
        page.select_one(".search__correction")
        .get_text(" ", strip=True)
        .startswith("Showing results for “ sciatica ”")
    )


def test_editors_manage_synonyms_and_promotions_in_settings(client, site, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)

    synonyms = client.get("/admin/snippets/blog/searchsynonym/")
    promotions = client.get("/admin/searchpicks/")

    assert synonyms.status_code == promotions.status_code == 200
    assert "slipped disc" in synonyms.content.decode()
    assert "cost" in promotions.content.decode()
    created = client.post(
        "/admin/snippets/blog/searchsynonym/add/",
        {"phrase": " Pinched  NERVE ", "means": "sciatica"},
    )
    assert created.status_code == 302
    assert SearchSynonym.objects.filter(phrase="pinched nerve").exists()
