"""Every call to action keeps the page the visitor came from (`?from=`): on the guide's
pages (its form, a refusal, the thank-you, no guide yet, an expired link) and on the
booking form's refusals with their retry links."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from tests.booking.conftest import form_token, submit
from tests.booking.test_guide import signed_link
from tests.factories import GuideLeadFactory, StandardPageFactory, clinic_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(home_page, location):
    return StandardPageFactory(parent=home_page, title="Sciatica: what helps")


@pytest.fixture
def guide(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = Document.objects.create(
        title="Back pain tips", file=ContentFile(b"%PDF-1.4", name="tips.pdf")
    )
    return clinic_settings(free_guide=document, free_guide_title="Free Back Pain Tips Guide")


def calls_to_action(response):
    """Every link to the booking form or the guide form on the page."""
    soup = BeautifulSoup(response.content, "html.parser")
    links = [a["href"] for a in soup.select('a[href^="/book/"], a[href^="/guide/"]')]
    sources = [field["value"] for field in soup.select('input[name="source"]')]
    return links, sources


def assert_all_keep(response, page, offers_links=True):
    links, sources = calls_to_action(response)
    assert bool(links) == offers_links, links
    assert all(link.endswith(f"?from={page.pk}") for link in links), links
    assert all(source == str(page.pk) for source in sources), sources


def ask_for_guide(client, page, **overrides):
    data = {"name": "Sam", "email": "sam@example.com", "website": "", "source": str(page.pk)}
    data["form_token"] = form_token(client, f"/guide/?from={page.pk}")
    return client.post("/guide/", {**data, **overrides})


def test_the_guide_form_and_its_thank_you_keep_the_page(client, guide, article):
    assert_all_keep(client.get(f"/guide/?from={article.pk}"), article)

    sent = ask_for_guide(client, article)

    assert sent.status_code == 302
    assert_all_keep(client.get(sent["Location"]), article)


def test_the_guides_refusals_and_their_retry_links_keep_the_page(client, guide, article, settings):
    caught = ask_for_guide(client, article, website="http://spam.example")
    assert caught.status_code == 400
    retry = BeautifulSoup(caught.content, "html.parser").find("a", string="Fill in the form again")
    assert retry["href"] == f"/guide/?from={article.pk}"
    assert_all_keep(caught, article)

    settings.BOOKING_FORM_MIN_SECONDS = 60
    too_soon = ask_for_guide(client, article)
    assert "Please check your answers and press Send again." in too_soon.content.decode()
    assert_all_keep(too_soon, article)


def test_without_a_guide_yet_the_booking_link_keeps_the_page(client, article):
    response = client.get(f"/guide/?from={article.pk}")

    assert response.status_code == 404
    assert_all_keep(response, article)


def test_an_expired_download_link_asks_again_for_the_leads_page(client, guide, article):
    response = client.get(signed_link(GuideLeadFactory(source_page=article), seconds_ago=8 * 86400))

    assert response.status_code == 410
    assert_all_keep(response, article)


def test_the_booking_forms_refusals_and_retry_link_keep_the_page(client, article, settings):
    caught = submit(client, website="x", source=str(article.pk))
    retry = BeautifulSoup(caught.content, "html.parser").find("a", string="Fill in the form again")
    assert retry["href"] == f"/book/?from={article.pk}"
    assert_all_keep(caught, article)

    settings.BOOKING_FORM_MIN_SECONDS = 60
    too_soon = submit(client, source=str(article.pk))
    assert too_soon.status_code == 400
    # The form itself, given back: no "Book" links on it, the page kept in the form.
    assert_all_keep(too_soon, article, offers_links=False)
    assert calls_to_action(too_soon)[1] == [str(article.pk)]
