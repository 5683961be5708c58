"""The demo loaded into a database it is not already in (test_clinic_demo.py loads it
once for all its tests): one that outlived its media folder, one a later app filled."""

import io
import shutil

from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.core.management import call_command

from clinic.models import ClinicSettings, ServicePage
from demo import clinic as clinic_demo
from tests.factories import (
    ServiceIndexPageFactory,
    ServicePageFactory,
    StandardPageFactory,
    TeamPageFactory,
    default_site,
)


def media_files_linked_from(client, path):
    """The uploaded files (images, renditions) a page links, as storage names."""
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    urls = [tag["src"] for tag in soup.select("img[src]")]
    urls += [tag["href"] for tag in soup.select("link[rel=icon]")]
    urls += [
        candidate.split()[0]
        for tag in soup.select("[srcset]")
        for candidate in tag["srcset"].split(",")
    ]
    return {url.removeprefix("/media/") for url in urls if url.startswith("/media/")}


def test_demo_draws_its_images_again_when_the_database_outlived_the_media_folder(
    client, db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    article = "/blog/why-do-my-lower-back-and-hip-hurt-at-the-same-time/"
    linked = media_files_linked_from(client, "/") | media_files_linked_from(client, article)
    assert any("harbor-logo" in name for name in linked)
    assert any("article-" in name for name in linked)

    shutil.rmtree(settings.MEDIA_ROOT)  # a fresh clone, the same database
    call_command("load_demo", stdout=io.StringIO())

    linked = media_files_linked_from(client, "/") | media_files_linked_from(client, article)
    assert linked
    assert [name for name in linked if not default_storage.exists(name)] == []
    guide = ClinicSettings.for_site(default_site()).free_guide
    assert default_storage.exists(guide.file.name)


def test_demo_links_conditions_and_home_to_the_blog_a_later_app_made_once(db):
    home = default_site().root_page.specific
    conditions = ServiceIndexPageFactory(parent=home)
    sciatica = ServicePageFactory(parent=conditions, title="Sciatica", slug="sciatica")
    knee = ServicePageFactory(parent=conditions, title="Knee pain", slug="knee-pain")
    team = TeamPageFactory(parent=home, slug="team")
    blog = StandardPageFactory(parent=home, title="Articles", slug="blog")
    StandardPageFactory(parent=home, title="About us", slug="about")
    article = StandardPageFactory(parent=blog, title="Sciatica: what helps")
    StandardPageFactory(parent=blog, title="Desk neck")

    clinic_demo.finish(io.StringIO())

    home.refresh_from_db()
    assert home.articles_page_id == blog.pk
    assert [link.article_id for link in sciatica.related_articles.all()] == [article.pk]
    editing = ServicePage.objects.get(pk=sciatica.pk).get_latest_revision_as_object()
    assert [link.article_id for link in editing.related_articles.all()] == [article.pk]
    assert not knee.related_articles.exists()
    assert [page.slug for page in home.get_children()] == [
        conditions.slug,
        team.slug,
        "blog",
        "about",
    ]

    sciatica = ServicePage.objects.get(pk=sciatica.pk)
    sciatica.related_articles.clear()  # the staff decide otherwise
    sciatica.save_revision().publish()
    clinic_demo.finish(io.StringIO())
    assert not sciatica.related_articles.exists()
