"""An article's head tags, body and the lists under it, an article list's cards and the home
page's sections are kept as Wagtail fragments (clinic/content_version.py), and never wrong:
whatever they show that changes is there on the next request, through any web process
sharing the cache."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from clinic import content_version
from tests.factories import (
    AppointmentRequestFactory,
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    TherapistFactory,
    clinic_settings,
)


@pytest.fixture
def index(home_page):
    clinic_settings(phone="+13605550142")
    return BlogIndexPageFactory(parent=home_page)


@pytest.fixture
def sciatica():
    return BlogCategoryFactory(name="Sciatica")


def words(response):
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


def test_a_newly_published_article_shows_as_next_and_related_on_the_older_one(
    client, index, sciatica, commit
):
    older = BlogPostPageFactory(parent=index, title="Sitting with sciatica", categories=[sciatica])
    assert "Next article" not in words(client.get(older.url))
    newer = BlogPostPageFactory(
        parent=index, title="Sciatica at night", categories=[sciatica], publish=False
    )
    with commit():
        newer.save_revision().publish()  # as the editor's "Publish" does
    html = words(Client().get(older.url))
    assert "Next article</span>Sciatica at night" in html
    assert html.count("Sciatica at night") >= 2, "and among the posts like this"
    newer.refresh_from_db()
    with commit():
        newer.unpublish()
    assert "Sciatica at night" not in words(client.get(older.url))


def test_a_renamed_author_and_topic_show_on_the_article_and_its_head(
    client, index, sciatica, commit
):
    author = TherapistFactory(name="Maya Okafor")
    article = BlogPostPageFactory(parent=index, authors=[author], categories=[sciatica])
    html = words(client.get(article.url))
    assert "About the author" in html and "Maya Okafor" in html
    with commit():
        author.name = "Maya Okafor-Lind"
        author.save()
        sciatica.name = "Sciatica and leg pain"
        sciatica.save()
    html = words(client.get(article.url))
    assert html.count("Maya Okafor-Lind") >= 3, "byline, about the author, structured data"
    assert '<meta property="article:section" content="Sciatica and leg pain">' in html
    assert ">Sciatica and leg pain</a>" in html, "the topics under the body"


def test_a_new_clinic_phone_shows_in_the_articles_calls_to_action(client, index, commit):
    article = BlogPostPageFactory(parent=index)
    assert "(360) 555-0142" in words(client.get(article.url))
    with commit():
        clinic_settings(phone="+13605559999")
    html = words(client.get(article.url))
    assert "(360) 555-0142" not in html
    assert "Call (360) 555-9999" in html


def test_an_edited_article_shows_its_new_words_at_once(client, index, commit):
    article = BlogPostPageFactory(parent=index)
    client.get(article.url)
    revision = article.save_revision()
    revision.content["body"] = [
        {"type": "paragraph", "value": "<p>Walk a little every hour.</p>", "id": "a"}
    ]
    revision.save()
    with commit():
        revision.publish()
    assert "Walk a little every hour." in words(client.get(article.url))


def test_patients_requests_drafts_previews_and_sign_ins_keep_the_article(client, index, commit):
    article = BlogPostPageFactory(parent=index, title="Knee pain on stairs")
    client.get(article.url)
    kept = content_version.version()
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw"))
    with commit():
        AppointmentRequestFactory()
        article.title = "A draft title"
        article.save_revision()
    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=[article.pk]))
    assert "A draft title" in words(preview)
    assert content_version.version() == kept
    assert "A draft title" not in words(client.get(article.url))


def test_a_newly_published_article_shows_on_the_index_its_topic_and_home(
    client, home_page, index, sciatica, commit
):
    home_page.articles_page = index
    home_page.save_revision().publish()
    BlogPostPageFactory(parent=index, title="Sitting with sciatica", categories=[sciatica])
    topic = f"{index.url}category/sciatica/"
    for url in (index.url, topic, "/"):
        assert "Sciatica at night" not in words(client.get(url))
    newer = BlogPostPageFactory(
        parent=index, title="Sciatica at night", categories=[sciatica], publish=False
    )
    with commit():
        newer.save_revision().publish()
    for url in (index.url, topic, "/"):
        assert "Sciatica at night" in words(Client().get(url)), url
    newer.refresh_from_db()
    with commit():
        newer.delete()
    for url in (index.url, topic, "/"):
        assert "Sciatica at night" not in words(client.get(url)), url


def test_a_therapists_new_name_shows_on_the_home_page(client, home_page, index, commit):
    therapist = TherapistFactory(name="Maya Okafor", is_active=True)
    assert "Maya Okafor" in words(client.get("/"))
    with commit():
        therapist.name = "Maya Okafor-Lind"
        therapist.save()
    assert "Maya Okafor-Lind" in words(client.get("/"))
