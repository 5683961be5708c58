"""A blog moved in from WordPress reads well: every imported page passes axe-core, and the
reference article looks right on a phone and a desktop."""

from pathlib import Path

import pytest
from wagtail.models import Page

from blog.importing_wordpress import WordPressImporter
from tests.blog.fixtures.wxr import export, reference_post
from tests.e2e.checks import axe_violations, format_violations, screenshot
from tests.factories import BlogIndexPageFactory, clinic_settings

THEME_TEST_DATA = Path("/work/shared/content/wordpress/themeunittestdata.wordpress.xml")


@pytest.fixture
def imported_blog(live):
    clinic_settings()
    home = Page.objects.get(depth=2).specific
    index = BlogIndexPageFactory(parent=home, slug="blog")
    index.save_revision().publish()
    with THEME_TEST_DATA.open("rb") as source:
        WordPressImporter(source, index).run()
    WordPressImporter(export([reference_post()]), index).run()
    return index


@pytest.mark.skipif(not THEME_TEST_DATA.exists(), reason="WordPress's theme test export")
def test_every_page_imported_from_the_theme_test_export_passes_axe(imported_blog, desktop, phone):
    reference = Page.objects.get(slug="why-do-i-have-lower-back-and-hip-pain")
    for page in (phone, desktop):
        page.goto(reference.url)
        screenshot(page, "wordpress-reference-post")
    problems = []
    for imported in Page.objects.live().filter(depth__gt=2).exclude(pk=imported_blog.pk):
        desktop.goto(imported.url)
        if violations := axe_violations(desktop):
            problems.append(format_violations(violations, imported.url))
    assert not problems, "\n\n".join(problems)
