"""Every block of the article vocabulary explains itself and renders on its own."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import RequestFactory

from blog.blocks import ArticleBlock, CallToActionBlock, HeadingBlock
from blog.models import BlogPostPage

pytestmark = pytest.mark.django_db

BLOCKS = ArticleBlock().child_blocks


def render(block, value, page=None):
    request = RequestFactory().get("/")
    return BeautifulSoup(block.render(value, {"request": request, "page": page}), "html.parser")


@pytest.mark.parametrize("name", BLOCKS.keys())
def test_every_block_has_a_description_preview_and_template(name, hero):
    block = BLOCKS[name]
    assert block.meta.description
    assert block.get_preview_value() is not None
    template = Path(settings.BASE_DIR, "templates", block.meta.template)
    assert template.parent.name == "blocks" and template.exists()


@pytest.mark.parametrize("name", BLOCKS.keys())
def test_every_block_renders_its_preview_value(name, hero, post, clinic):
    block = BLOCKS[name]
    html = render(block, block.get_preview_value(), page=post)
    assert html.get_text(strip=True), f"{name} rendered nothing"


def test_article_vocabulary_has_no_raw_html_block():
    from wagtail.blocks import RawHTMLBlock

    assert not any(isinstance(block, RawHTMLBlock) for block in BLOCKS.values())


def test_heading_has_an_anchor_from_its_text_or_the_editors_choice():
    block = HeadingBlock()
    section = render(block, block.to_python({"text": "2. Sciatica", "level": "h2"}))
    assert str(section.find("h2")) == '<h2 class="article-heading" id="2-sciatica">2. Sciatica</h2>'
    sub = render(block, block.to_python({"text": "At night", "level": "h3", "anchor": "Sleep"}))
    assert sub.find("h3")["id"] == "sleep"


def test_image_block_renders_alt_text_caption_and_lazy_responsive_picture(hero):
    block = BLOCKS["image"]
    value = block.to_python(
        {
            "image": {"image": hero.pk, "alt_text": "A hip stretch", "decorative": False},
            "caption": "Hold for 30 seconds.",
        }
    )
    figure = render(block, value).find("figure")
    img = figure.find("img")
    assert img["alt"] == "A hip stretch"
    assert img["loading"] == "lazy"
    assert img["width"] and img["height"]
    assert {s["type"] for s in figure.find_all("source")} == {"image/avif", "image/webp"}
    assert figure.find("figcaption").get_text() == "Hold for 30 seconds."


def test_call_to_action_defaults_come_from_the_clinic_settings(post, clinic):
    block = CallToActionBlock()
    cta = render(block, block.get_default(), page=post)

    assert cta.find("h2").get_text() == "Ready to feel better?"
    assert cta.select_one("[data-cta=phone]")["href"] == "tel:+13605550142"
    assert cta.select_one("[data-cta=book]")["href"] == f"/book/?from={post.pk}"
    assert cta.select_one("[data-cta=guide]")["href"] == f"/guide/?from={post.pk}"


def test_call_to_action_heading_and_text_can_be_overridden_per_post(post, clinic):
    clinic.phone = ""
    clinic.save()
    block = CallToActionBlock()
    value = block.to_python(
        {"heading": "Need relief from hip pain?", "text": "We can help.", "offer_guide": False}
    )
    cta = render(block, value, page=post)

    assert cta.find("h2").get_text() == "Need relief from hip pain?"
    assert "We can help." in cta.get_text()
    assert cta.select_one("[data-cta=guide]") is None
    assert cta.select_one("[data-cta=phone]") is None, "no phone link without a phone number"


@pytest.mark.parametrize("name", BLOCKS.keys())
def test_admin_block_previews_render_for_editors(name, admin_client, post):
    block = BlogPostPage._meta.get_field("body").stream_block.child_blocks[name]

    response = admin_client.get("/admin/block-preview/", {"id": block.definition_prefix})

    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").body.get_text(strip=True)
