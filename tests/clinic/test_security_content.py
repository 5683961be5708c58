"""What editors upload and write cannot attack patients: upload allow-lists, rich text."""

import io
import json
import shutil
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import features

from clinic.security import clean_rich_text
from tests.e2e.checks import CHROMIUM_ARGS

XSS_RICH_TEXT = (
    '<p onclick="window.pwned = 1">Ice or heat? '
    '<a href="javascript:window.pwned = 2">Read the guide</a> '
    '<a href=" JaVa&#x09;script:window.pwned = 3">or this</a>'
    '<img src="/missing.png" onerror="window.pwned = 4">'
    "<script>window.pwned = 5</script></p>"
)


@pytest.fixture
def staff_client(client, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    return client


def png_bytes():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    return buffer.getvalue()


HTML_PAGE = b"<html><script>alert(document.cookie)</script></html>"
SVG_IMAGE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
    b"<script>alert(document.cookie)</script></svg>"
)


def test_an_html_file_is_refused_as_a_document(staff_client):
    response = staff_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Exercises", "file": SimpleUploadedFile("exercises.html", HTML_PAGE)},
    )
    assert response.status_code == 200
    assert "File extension “html” is not allowed" in response.content.decode()
    assert not get_document_model().objects.exists()


def test_an_html_file_is_refused_by_the_multiple_document_upload(staff_client):
    response = staff_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("exercises.html", HTML_PAGE)},
    )
    assert response.json()["success"] is False
    assert not get_document_model().objects.exists()


def test_a_pdf_is_accepted_and_served_through_the_document_view(staff_client):
    pdf = SimpleUploadedFile("knee-exercises.pdf", b"%PDF-1.4\n%%EOF\n")
    response = staff_client.post(reverse("wagtaildocs:add"), {"title": "Knee", "file": pdf})
    assert response.status_code == 302
    document = get_document_model().objects.get()
    assert document.url.startswith("/documents/"), "not a direct link to storage"
    served = staff_client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF")
    assert served["Content-Security-Policy"] == "default-src 'none'", "nothing in it runs"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_an_svg_is_refused_as_an_image(staff_client):
    response = staff_client.post(
        reverse("wagtailimages:add"),
        {"title": "Logo", "file": SimpleUploadedFile("logo.svg", SVG_IMAGE, "image/svg+xml")},
    )
    assert response.status_code == 200
    assert "Not a supported image format" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_an_svg_is_refused_by_the_multiple_image_upload(staff_client):
    response = staff_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("logo.svg", SVG_IMAGE, "image/svg+xml")},
    )
    assert response.json()["success"] is False
    assert not get_image_model().objects.exists()


def test_a_png_is_accepted_as_an_image(staff_client):
    response = staff_client.post(
        reverse("wagtailimages:add"),
        {"title": "Clinic", "file": SimpleUploadedFile("clinic.png", png_bytes(), "image/png")},
    )
    assert response.status_code == 302
    assert get_image_model().objects.get().title == "Clinic"


def test_a_javascript_link_typed_in_the_editor_is_stored_without_its_url():
    contentstate = {
        "blocks": [
            {
                "key": "a1",
                "type": "unstyled",
                "text": "Read the guide",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 14, "key": 0}],
            }
        ],
        "entityMap": {
            "0": {
                "type": "LINK",
                "mutability": "MUTABLE",
                "data": {"url": "javascript:alert(document.cookie)"},
            }
        },
    }
    converter = ContentstateConverter(features=features.get_default_features())
    stored = converter.to_database_format(json.dumps(contentstate))
    assert "<a>Read the guide</a>" in stored
    assert "javascript" not in stored


def test_imported_rich_text_is_cleaned_of_scripts_handlers_and_javascript_links():
    cleaned = clean_rich_text(
        XSS_RICH_TEXT + '<p>See <a href="https://www.cdc.gov/arthritis/">the CDC</a>.</p>'
    )
    assert "pwned" not in cleaned
    assert "<script" not in cleaned and "onclick" not in cleaned and "onerror" not in cleaned
    assert '<a href="https://www.cdc.gov/arthritis/">the CDC</a>' in cleaned
    assert "Read the guide" in cleaned


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def stored_rich_text_url(settings, transactional_db, django_db_serialized_rollback):
    """The page served by a real HTTP server in a thread; it reads the clinic's settings,
    so the rows are committed (and restored afterwards, as the other browser tests do)."""
    settings.ROOT_URLCONF = "tests.clinic.rich_text_urls"
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/stored-rich-text/"
    server.shutdown()
    server.server_close()


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.e2e
@pytest.mark.skipif(not chromium_path(), reason="Chromium is not installed")
def test_stored_rich_text_with_scripts_stays_inert_in_a_browser(stored_rich_text_url):
    """If hostile markup reaches the database anyway, the page's CSP keeps it inert."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            console = []
            page.on("console", lambda message: console.append(message.text))
            page.goto(stored_rich_text_url)
            page.get_by_text("Ice or heat?").click()
            page.get_by_text("Read the guide").click()
            page.wait_for_timeout(300)
            assert page.evaluate("window.pwned") is None
            assert any("Content Security Policy" in text for text in console)
        finally:
            browser.close()


def test_a_page_showing_stored_rich_text_forbids_inline_scripts(client, db, settings):
    settings.ROOT_URLCONF = "tests.clinic.rich_text_urls"
    response = client.get("/stored-rich-text/")
    assert 'href="javascript:' in response.content.decode(), "Wagtail renders it as stored"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";", "so no javascript: URL or handler runs"
