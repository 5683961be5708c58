"""Importing an article written elsewhere: the reference post becomes a faithful draft."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from blog.models import BlogPostPage
from tests.factories import BlogPostPageFactory, TherapistFactory

pytestmark = pytest.mark.django_db

REFERENCE_POST = Path("/work/shared/content/reference-post.txt")
if not REFERENCE_POST.exists():
    REFERENCE_POST = Path(__file__).parent / "reference-post.txt"


def import_article(path, *args):
    out = StringIO()
    call_command("import_article", str(path), "--index", "blog", *args, stdout=out)
    return BlogPostPage.objects.latest("pk"), out.getvalue()


def strings(data):
    """Every string in a StreamField's raw data."""
    if isinstance(data, str):
        return [data]
    items = data.values() if isinstance(data, dict) else data
    return [text for item in items for text in strings(item)]


def blocks(post):
    return [(block.block_type, block.value) for block in post.get_latest_revision_as_object().body]


def test_reference_post_becomes_a_draft_with_its_five_sections_and_advice(blog_index):
    related = BlogPostPageFactory(parent=blog_index, title="Back Pain and Exercise")

    post, output = import_article(REFERENCE_POST)

    assert post.title == "Why Do I Have Lower Back and Hip Pain?"
    assert not post.live and post.has_unpublished_changes
    assert post.intro.startswith("Lower back and hip pain can be incredibly frustrating")
    assert post.hero_alt == "Woman with lower back and hip pain"
    body = blocks(post)
    sections, current = {}, None
    for kind, value in body:
        if kind == "heading":
            current = value["text"]
            sections[current] = []
        elif current:
            sections[current].append(kind)
    numbered = [title for title in sections if title[0].isdigit()]
    assert numbered == [
        "1. Muscle Strain and Overuse",
        "2. Sciatica",
        "3. Arthritis",
        "4. Sacroiliac (SI) Joint Dysfunction",
        "5. Herniated or Bulging Disc",
    ]
    for title in numbered:
        assert sections[title][:2] == ["paragraph", "advice"], title
    advice = [value for kind, value in body if kind == "advice"]
    assert len(advice) == 5
    assert str(advice[0]["text"]).startswith("<p>Gentle stretching and rest")

    related_block = next(value for kind, value in body if kind == "related_posts")
    assert related_block["heading"] == "More posts like this"
    assert [page.pk for page in related_block["posts"]] == [related.pk]

    kind, cta = body[-1]
    assert kind == "cta"
    assert cta["heading"] == "Need Relief from Lower Back and Hip Pain?"
    assert cta["text"].startswith("If you\u2019re tired of dealing with lower back and hip pain")
    assert cta["offer_guide"] is True
    assert "360-499-0604" not in str(body), "the source's phone number gives way to the clinic's"
    assert "No therapist is named 'Andrew Vertson'" in output


def test_imported_draft_renders_with_the_clinics_call_to_action(admin_client, blog_index, clinic):
    post, _ = import_article(REFERENCE_POST)

    response = admin_client.get(f"/admin/pages/{post.pk}/view_draft/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="advice"') == 5
    assert f'href="/book/?from={post.pk}"' in html
    assert "tel:+13605550142" in html


def test_imported_markdown_is_sanitised(tmp_path, blog_index):
    TherapistFactory(name="Maya Okafor")
    source = tmp_path / "article.md"
    source.write_text(
        "---\ntitle: Stretching safely\nauthors: Maya Okafor\ncategories: Back pain\n"
        "tags: stretching, mornings\ndate: 2025-03-04\n---\n"
        "Short intro for patients.\n\n"
        "## Before you start\n\n"
        'Warm up **first** and see [our guide](https://example.com "x").\n'
        '<script>alert(1)</script><img src=x onerror="alert(2)">\n'
        '[Click me](javascript:alert(3)) <a href="#" onclick="steal()">here</a>\n\n'
        "- one\n- two\n\n"
        "What to Do: *Breathe* out as you stretch.\n",
        encoding="utf-8",
    )

    post, _ = import_article(source)

    html = "".join(strings(list(post.get_latest_revision_as_object().body.raw_data)))
    assert "<b>first</b>" in html and '<a href="https://example.com">our guide</a>' in html
    assert "<ul><li>one</li>" in html.replace("\n", "")
    for hostile in ("<script", "onerror", "javascript:", "onclick", "<img"):
        assert hostile not in html
    assert post.title == "Stretching safely"
    assert post.intro == "Short intro for patients."
    assert str(post.date_published) == "2025-03-04"
    assert [a.therapist.name for a in post.post_authors.all()] == ["Maya Okafor"]
    assert [c.name for c in post.categories.all()] == ["Back pain"]
    assert sorted(post.tags.names()) == ["mornings", "stretching"]
    assert blocks(post)[-1][0] == "advice"


def test_import_refuses_unknown_index_duplicates_and_empty_files(tmp_path, blog_index):
    with pytest.raises(CommandError, match="No article index has the slug 'news'"):
        call_command("import_article", str(REFERENCE_POST), "--index", "news", stdout=StringIO())

    import_article(REFERENCE_POST)
    with pytest.raises(CommandError, match="already has an article"):
        import_article(REFERENCE_POST)
    post, _ = import_article(REFERENCE_POST, "--slug", "hip-pain-again")
    assert post.slug == "hip-pain-again"

    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(CommandError, match="empty"):
        import_article(empty)


def test_front_matter_is_read_as_yaml_lists_quotes_and_dates(tmp_path, blog_index):
    """`categories: [Neck pain, Posture]` is two categories, not "[Neck pain" and "Posture]"."""
    TherapistFactory(name="Maya Okafor")
    TherapistFactory(name="Daniel Reyes")
    source = tmp_path / "article.md"
    source.write_text(
        "---\n"
        'title: "Desk work: a neck\'s worst day"\n'
        "authors:\n  - Maya Okafor\n  - Daniel Reyes\n"
        "categories: [Neck pain, Posture]\n"
        "tags: ['screens, laptops', mornings]\n"
        "date: 2024-11-12\n"
        "intro: 'Five minutes an hour keep the neck supple.'\n"
        "---\n"
        "## Why it hurts\n\nThe head weighs about five kilograms.\n",
        encoding="utf-8",
    )

    post, _ = import_article(source)

    assert post.title == "Desk work: a neck's worst day"
    assert sorted(c.name for c in post.categories.all()) == ["Neck pain", "Posture"]
    assert [a.therapist.name for a in post.post_authors.all()] == ["Maya Okafor", "Daniel Reyes"]
    assert sorted(post.tags.names()) == ["mornings", "screens, laptops"]
    assert str(post.date_published) == "2024-11-12"
    assert post.intro == "Five minutes an hour keep the neck supple."


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("title: [unclosed\n", "not valid YAML"),
        ("- a list\n- not keys\n", "key: value"),
        ("title: Fine\ndate: 12/11/2024\n", "not YYYY-MM-DD"),
    ],
)
def test_front_matter_that_is_not_usable_is_refused_with_the_reason(
    tmp_path, blog_index, front_matter, message
):
    source = tmp_path / "article.md"
    source.write_text(f"---\n{front_matter}---\nSome text.\n", encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        import_article(source)
    assert not BlogPostPage.objects.exists()
