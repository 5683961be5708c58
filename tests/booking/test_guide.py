"""The free guide: a lead, an email with a signed link that expires, a clear page if not."""

import re
import time
from urllib.parse import quote

import pytest
from django.core import mail, signing
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.documents.models import Document

from booking.emails import GUIDE_LINK_SALT
from booking.models import GuideLead, Notification
from booking.tasks import deliver_notification
from tests.booking.conftest import form_token
from tests.factories import GuideLeadFactory, clinic_settings

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 Back pain tips"


@pytest.fixture
def guide(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = Document.objects.create(
        title="Back pain tips", file=ContentFile(PDF, name="back-pain-tips.pdf")
    )
    return clinic_settings(free_guide=document, free_guide_title="Free Back Pain Tips Guide")


def ask_for_guide(client, token=None, **overrides):
    data = {"name": "Sam", "email": "Sam@Example.com", "website": "", **overrides}
    data["form_token"] = token or form_token(client, "/guide/")
    return client.post("/guide/", data)


def emailed_link():
    for notification in Notification.objects.filter(status="pending"):
        deliver_notification.call(notification.pk)
    return re.search(r"https://www\.harborpt\.example(/guide/download/\S+/)", mail.outbox[-1].body)


def test_a_reader_gets_the_guide_through_a_signed_link(
    client, guide, django_capture_on_commit_callbacks
):
    assert "Free Back Pain Tips Guide" in client.get("/guide/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_guide(client)
    assert response.status_code == 302
    assert "Check your inbox" in client.get(response["Location"]).content.decode()

    lead = GuideLead.objects.get()
    assert (lead.name, lead.email, lead.marketing_consent) == ("Sam", "sam@example.com", False)
    link = emailed_link()
    assert mail.outbox[0].to == ["sam@example.com"]
    assert "works for 7 days" in mail.outbox[0].body

    download = client.get(link.group(1))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Robots-Tag"] == "noindex"  # a personal link, never a search result
    assert b"".join(download.streaming_content) == PDF
    lead.refresh_from_db()
    assert lead.downloads == 1


def test_marketing_consent_is_separate_and_explicit(client, guide):
    html = client.get("/guide/").content.decode()
    assert re.search(r'<input type="checkbox" name="marketing_consent"(?![^>]*checked)', html)
    ask_for_guide(client, marketing_consent="on")
    lead = GuideLead.objects.get()
    assert lead.marketing_consent and lead.marketing_consent_at is not None


def test_resubmitting_creates_no_duplicate_lead_and_no_second_email(client, guide):
    token = form_token(client, "/guide/")
    ask_for_guide(client, token=token)
    ask_for_guide(client, token=token)
    assert GuideLead.objects.count() == 1
    assert Notification.objects.count() == 1

    ask_for_guide(client, email="sam@example.com", name="Samantha")
    lead = GuideLead.objects.get()
    assert (lead.name, lead.times_requested) == ("Samantha", 2)
    assert Notification.objects.count() == 2, "asking again later sends a fresh link"


def signed_link(lead, seconds_ago=0):
    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - seconds_ago)

    return f"/guide/download/{PastSigner(salt=GUIDE_LINK_SALT).sign(str(lead.pk))}/"


def test_an_expired_link_explains_and_offers_a_fresh_one(client, guide):
    lead = GuideLeadFactory()
    assert client.get(signed_link(lead, seconds_ago=6 * 86400)).status_code == 200
    response = client.get(signed_link(lead, seconds_ago=8 * 86400))
    html = response.content.decode()
    assert response.status_code == 410
    assert "This download link has expired" in html
    assert 'action="/guide/"' in html and 'name="form_token"' in html


@pytest.mark.parametrize("tamper", ["other_lead", "garbage", "truncated"])
def test_a_tampered_link_is_refused_with_a_clear_page(client, guide, tamper):
    lead = GuideLeadFactory()
    good = signed_link(lead)
    links = {
        "other_lead": good.replace(f"/{lead.pk}:", f"/{lead.pk + 1}:"),
        "garbage": "/guide/download/%3Cscript%3E/",
        "truncated": good[:-6] + "/",
    }
    response = client.get(links[tamper])
    assert response.status_code == 400
    html = response.content.decode()
    assert "This download link doesn&#x27;t work" in html or "doesn't work" in html
    assert 'action="/guide/"' in html
    assert GuideLead.objects.get().downloads == 0


def test_bots_are_kept_out_and_people_keep_their_answers(client, guide, home_page, settings):
    bot = ask_for_guide(client, website="http://spam.example")
    assert bot.status_code == 400 and "We couldn" in bot.content.decode()
    assert "Sam@Example.com" not in bot.content.decode()

    settings.BOOKING_FORM_MIN_SECONDS = 3
    for token in ["forged", form_token(client, "/guide/")]:  # no valid token; too fast
        again = ask_for_guide(client, token=token, source=str(home_page.pk))
        html = again.content.decode()
        assert again.status_code == 400
        assert "Please check your answers and press Send again." in html
        assert 'value="Sam"' in html and 'value="Sam@Example.com"' in html
        assert f'name="source" value="{home_page.pk}"' in html
        assert f'href="/book/?from={home_page.pk}"' in html, "the booking link keeps the page"
    assert not GuideLead.objects.exists()

    settings.BOOKING_FORM_MIN_SECONDS = 0
    settings.BOOKING_RATE_LIMIT = 4  # the three posts above counted too
    sent = ask_for_guide(client, source=str(home_page.pk))
    assert sent.status_code == 302 and sent["Location"] == f"/guide/sent/?from={home_page.pk}"
    assert f'href="/book/?from={home_page.pk}"' in client.get(sent["Location"]).content.decode()
    flooded = ask_for_guide(client, name="Robin")
    assert flooded.status_code == 429
    assert 'value="Robin"' in flooded.content.decode()
    assert GuideLead.objects.count() == 1


def test_form_errors_are_explained(client, guide):
    response = ask_for_guide(client, email="sam@", name="")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_email"' in html and 'href="#id_name"' in html
    assert not GuideLead.objects.exists()


def test_without_a_guide_the_page_says_so(client, db):
    clinic_settings()
    response = client.get("/guide/")
    assert response.status_code == 404
    assert "The guide is not available right now" in response.content.decode()


@hypothesis_settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.dictionaries(
        st.sampled_from(["name", "email", "marketing_consent", "form_token", "website", "path"]),
        st.text(max_size=80),
        max_size=6,
    ),
    token=st.text(max_size=60).filter(lambda t: "/" not in t and t.strip()),
)
def test_random_input_to_the_guide_and_beacon_never_causes_a_server_error(
    client, guide, data, token
):
    assert client.post("/guide/", data).status_code in {302, 400}
    assert client.post("/book/cta/", data).status_code in {204, 400}
    assert client.get(f"/guide/download/{quote(token)}/").status_code in {400, 404, 410}
