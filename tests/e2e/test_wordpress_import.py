"""A blog moved in from WordPress reads well: every imported page passes axe-core, and the
reference article looks right on a phone and a desktop. Any console error, page error,
failed request or request that leaves the site (but for the video block's players) fails
the journey."""

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from blog.importing_wordpress import WordPressImporter
from tests.blog.fixtures.wxr import export, reference_post
from tests.e2e.checks import axe_violations, format_violations, screenshot
from tests.factories import BlogIndexPageFactory, clinic_settings

THEME_TEST_DATA = Path("/work/shared/content/wordpress/themeunittestdata.wordpress.xml")


# The video block embeds these players (youtube-nocookie, Vimeo without tracking) by design.
PLAYERS = {"www.youtube-nocookie.com", "player.vimeo.com"}


def watch(page):
    """Console errors, page errors, failed and third-party requests, as they happen."""
    problems = []

    def on_request(request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host not in {
            "localhost",
            "127.0.0.1",
            *PLAYERS,
        }:
            problems.append(f"third-party request: {request.url}")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"{response.status}: {response.url}")

    def on_console(message):
        if message.type == "error":
            problems.append(f"console: {message.text} {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", on_request)
    page.on("response", on_response)
    return problems


def logo():
    picture = io.BytesIO()
    PILImage.new("RGB", (128, 128), "#246").save(picture, "PNG")
    image = get_image_model()(title="Harbor logo")
    image.file = ImageFile(picture, name="logo.png")
    image.save()
    return image


@pytest.fixture
def imported_blog(live):
    # The logo is the site's icon; without one the browser asks for /favicon.ico (a 404).
    clinic_settings(logo=logo())
    home = Page.objects.get(depth=2).specific
    index = BlogIndexPageFactory(parent=home, slug="blog")
    index.save_revision().publish()
    with THEME_TEST_DATA.open("rb") as source:
        WordPressImporter(source, index).run()
    WordPressImporter(export([reference_post()]), index).run()
    return index


@pytest.mark.skipif(not THEME_TEST_DATA.exists(), reason="WordPress's theme test export")
def test_every_page_imported_from_the_theme_test_export_passes_axe(imported_blog, desktop, phone):
    errors = {"phone": watch(phone), "desktop": watch(desktop)}
    reference = Page.objects.get(slug="why-do-i-have-lower-back-and-hip-pain")
    for page in (phone, desktop):
        page.goto(reference.url)
        screenshot(page, "wordpress-reference-post")
    problems = [f"{reference.url} ({size}): {error}" for size in errors for error in errors[size]]
    errors["desktop"].clear()
    for imported in Page.objects.live().filter(depth__gt=2).exclude(pk=imported_blog.pk):
        desktop.goto(imported.url)
        if violations := axe_violations(desktop):
            problems.append(format_violations(violations, imported.url))
        problems.extend(f"{imported.url}: {error}" for error in errors["desktop"])
        errors["desktop"].clear()
    assert not problems, "\n\n".join(problems)
