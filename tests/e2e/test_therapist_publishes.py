"""A therapist writes an article in the admin, previews it, publishes it, and patients find it."""

import re

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from blog.models import BlogIndexPage, BlogPostPage
from tests.e2e.pages import sign_in

PASSWORD = "a-long-therapist-passphrase"
TITLE = "Ice or heat for a stiff back?"


def add_block(body, option):
    body.get_by_role("button", name="Insert a block").last.click()
    body.page.get_by_role("option", name=option).click()


def test_therapist_writes_previews_and_publishes_an_article_patients_can_find(
    demo_site, desktop, django_user_model, settings
):
    # Wagtail saves drafts in the background every half second by default; this journey
    # saves only when the therapist says so.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    therapist = django_user_model.objects.create_user("maya", "maya@harborpt.example", PASSWORD)
    therapist.groups.add(Group.objects.get(name="Moderators"))
    index = BlogIndexPage.objects.live().first()
    sign_in(desktop, "maya", PASSWORD)

    desktop.goto(f"/admin/pages/add/blog/blogpostpage/{index.pk}/")
    desktop.get_by_role("textbox", name="Title*").fill(TITLE)
    desktop.get_by_role("textbox", name="Intro*").fill(
        "When to reach for an ice pack, and when for a warm towel."
    )
    body = desktop.get_by_role("region", name="Body*")
    add_block(body, "Heading")
    add_block(body, "Text")
    add_block(body, "Advice (what to do)")
    add_block(body, "Image")
    body.get_by_role("region", name=re.compile("^Heading")).get_by_role(
        "textbox", name="Text*"
    ).fill("Ice for the first two days")
    body.get_by_role("region", name=re.compile("^Text")).get_by_role("textbox").fill(
        "A fresh strain swells; cold calms the swelling."
    )
    body.get_by_role("region", name=re.compile("^Advice")).get_by_role("textbox").last.fill(
        "Wrap an ice pack in a towel and hold it on for fifteen minutes."
    )
    image = body.get_by_role("region", name=re.compile("^Image")).first
    image.get_by_role("button", name="Choose an image").click()
    desktop.get_by_role("dialog").get_by_role(
        "link", name=re.compile("Article illustration 1$")
    ).click()
    image.get_by_role("textbox", name="Alt text").fill("An ice pack in a towel on a lower back")
    desktop.get_by_role("region", name="Author 1").get_by_role(
        "button", name="Choose therapist"
    ).click()
    desktop.get_by_role("dialog").get_by_role("link", name=re.compile("^Maya Okafor")).click()
    desktop.get_by_role("checkbox", name="Back pain").check()

    desktop.get_by_role("button", name="Toggle preview").click()
    preview = desktop.frame_locator(
        "#w-preview-iframe"
    )  # Wagtail swaps in a fresh frame per update
    # The panel posts the unsaved form, then loads the preview: slower than a page.
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE, timeout=20_000)
    expect(preview.get_by_role("heading", name="Ice for the first two days")).to_be_visible()
    expect(preview.get_by_text("What to do")).to_be_visible()
    expect(
        preview.get_by_role("img", name="An ice pack in a towel on a lower back")
    ).to_be_visible()
    assert not BlogPostPage.objects.filter(title=TITLE, live=True).exists()

    desktop.get_by_role("button", name="More actions").click()
    desktop.get_by_role("button", name="Publish").click()
    expect(desktop.get_by_text(re.compile(rf"'{re.escape(TITLE)}' .*published"))).to_be_visible()

    article = BlogPostPage.objects.live().get(title=TITLE)
    assert [author.name for author in article.authors] == ["Maya Okafor"]
    desktop.goto(index.url)
    expect(desktop.get_by_role("link", name=TITLE).first).to_be_visible()
    desktop.goto("/search/?q=ice+pack")
    expect(desktop.get_by_role("link", name=TITLE)).to_be_visible()
    feed = desktop.request.get(f"{index.url}feed/")
    assert feed.ok and TITLE in feed.text()
    sitemap = desktop.request.get("/sitemap.xml")
    assert sitemap.ok and f"<loc>{article.full_url}</loc>" in sitemap.text()
