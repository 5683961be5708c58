"""Moving a clinic's WordPress blog in: articles, pictures, old addresses, one import."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from blog.importing_wordpress import WordPressImporter
from blog.models import BlogPostPage
from clinic.models import StandardPage
from tests.blog.fixtures.wxr import Post, attachment, export, reference_post
from tests.factories import TeamPageFactory, TherapistFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
THEME_TEST_DATA = Path("/work/shared/content/wordpress/themeunittestdata.wordpress.xml")


def run_import(tmp_path, posts, *args, version="1.2"):
    source = tmp_path / "export.xml"
    source.write_bytes(export(posts, version=version))
    out = StringIO()
    call_command("import_wordpress", str(source), "--index", "blog", *args, stdout=out)
    return out.getvalue()


def latest(post):
    return post.get_latest_revision_as_object()


def blocks(post):
    return [(block.block_type, block.value) for block in latest(post).body]


def photo(path, width, height=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (width, height or width * 2 // 3), "#8a6").save(path, "JPEG")


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    photo(folder / "2024/11/hip-stretch.jpg", 1600)
    photo(folder / "2024/11/hip-stretch-1024x683.jpg", 1024)
    photo(folder / "2024/11/desk.jpg", 800)
    return folder


def imported(wp_id):
    return BlogPostPage.objects.get(
        pk__in=Redirect.objects.filter(old_path=f"/?p={wp_id}").values("redirect_page")
    )


def test_reference_post_becomes_a_live_article_with_advice_related_posts_and_the_clinic_cta(
    tmp_path, blog_index, clinic, uploads
):
    others = [
        Post(
            wp_id=121,
            title="Back Pain and Exercise",
            slug="back-pain-and-exercise",
            content="Moving helps.",
            date="2024-10-01 08:00:00",
        ),
        Post(
            wp_id=122,
            title="Quick Relief: Tips for Managing Sudden Hip and Lower Back Pain",
            slug="quick-relief",
            content="Ice, then heat.",
            date="2024-10-02 08:00:00",
        ),
    ]
    hero = attachment(900, "2024/11/hip-stretch.jpg", alt="Woman with lower back and hip pain")

    output = run_import(tmp_path, [*others, reference_post(), hero], "--uploads", str(uploads))

    post = imported(120)
    assert post.live and post.title == "Why Do I Have Lower Back and Hip Pain?"
    assert post.date_published == datetime.date(2024, 11, 12)
    assert post.first_published_at == datetime.datetime(2024, 11, 12, 9, 30, tzinfo=datetime.UTC)
    assert post.intro.startswith("Lower back and hip pain can be incredibly frustrating")
    assert post.hero_image.width == 1600 and post.hero_alt == "Woman with lower back and hip pain"
    assert post.seo_title == "Lower back and hip pain: 5 causes"
    assert post.search_description == "Five common causes of lower back and hip pain."
    assert [c.name for c in post.categories.all()] == ["Back pain"]
    body = blocks(post)
    kinds = [kind for kind, _ in body]
    assert kinds.count("advice") == 5
    headings = [value["text"] for kind, value in body if kind == "heading"]
    assert "2. Sciatica" in headings and "5. Herniated or Bulging Disc" in headings
    related = next(value for kind, value in body if kind == "related_posts")
    assert [page.title for page in related["posts"]] == [
        "Quick Relief: Tips for Managing Sudden Hip and Lower Back Pain",
        "Back Pain and Exercise",
    ]
    kind, cta = body[-1]
    assert kind == "cta" and cta["heading"] == "Need Relief from Lower Back and Hip Pain?"
    assert "360-499-0604" not in str(body)
    assert "No therapist is named 'Andrew Vertson'" in output
    assert "How to Get Out of Bed Without Back Pain" in output, "the unmatched title is reported"


def test_published_drafts_pending_scheduled_private_and_password_posts(tmp_path, blog_index):
    future = (timezone.now() + datetime.timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S")
    posts = [
        Post(wp_id=1, title="Published", slug="published", content="Text."),
        Post(
            wp_id=2,
            title="A draft",
            status="draft",
            content="Text.",
            date_gmt="0000-00-00 00:00:00",
        ),
        Post(wp_id=3, title="Pending review", slug="pending", status="pending", content="Text."),
        Post(
            wp_id=4,
            title="Next week",
            slug="next-week",
            status="future",
            date=future,
            content="Text.",
        ),
        Post(wp_id=5, title="Only for staff", slug="staff", status="private", content="Text."),
        Post(wp_id=6, title="Members", slug="members", content="Secret.", password="letmein"),
    ]

    output = run_import(tmp_path, posts)

    by_title = {post.title: post for post in BlogPostPage.objects.all()}
    assert by_title["Published"].live
    for title in ("A draft", "Pending review", "Only for staff", "Members"):
        assert not by_title[title].live, title
    assert by_title["A draft"].slug == "a-draft"
    scheduled = by_title["Next week"]
    assert not scheduled.live
    assert scheduled.get_latest_revision().approved_go_live_at is not None
    assert "It was private in WordPress: kept as a draft, never public." in output
    assert "It was password-protected in WordPress" in output


def test_block_editor_and_classic_markup_become_blocks(tmp_path, blog_index, uploads):
    block_editor = (FIXTURES / "block-editor.html").read_text()

    classic = (FIXTURES / "classic.html").read_text()

    posts = [
        Post(wp_id=10, title="Hips at the desk", slug="hips", content=block_editor),
        Post(wp_id=11, title="Desk setup", slug="desk-setup", content=classic),
        attachment(901, "2024/11/hip-stretch.jpg", alt="A hip stretch"),
        attachment(902, "2024/11/desk.jpg", alt=""),
    ]

    output = run_import(tmp_path, posts, "--uploads", str(uploads))

    hips, desk = imported(10), imported(11)
    body = blocks(hips)
    assert [kind for kind, _ in body] == [
        "paragraph",
        "heading",
        "paragraph",
        "quote",
        "image",
        "video",
        "table",
    ], "the first paragraph is the intro; the missing picture is left out"
    assert hips.intro == "Sitting all day stiffens the hips."
    assert body[0][1].source == (
        f'<p>See <a href="{desk.url}">our desk guide</a> <i>first</i>.</p>'
    ), "the link to the other imported post points at its new address"
    assert body[1][1]["text"] == "Why it hurts"
    assert "<li>Tight hip flexors</li>" in body[2][1].source
    assert body[3][1]["quote"] == "I can walk again."
    image = body[4][1]
    assert image["image"].width == 1600, "the original upload, not the 1024 px copy"
    assert image["image"].contextual_alt_text == "A hip stretch"
    assert image["caption"] == "Hold for 30 seconds."
    assert body[5][1]["url"] == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    assert [list(row) for row in body[6][1]["rows"]] == [["Day", "Minutes"], ["Monday", "10"]]
    assert "The picture gone.jpg was not found." in output
    assert hips.live, "a missing picture does not stop the article"

    desk_body = blocks(desk)
    assert desk.intro == "First paragraph of a classic post. Its second line."
    assert [kind for kind, _ in desk_body] == [
        "image",
        "video",
        "image",
        "image",
        "video",
        "heading",
        "paragraph",
    ]
    caption = desk_body[0][1]
    assert caption["caption"] == "A good desk" and caption["image"].contextual_alt_text == "A desk"
    assert desk_body[1][1]["url"] == "https://vimeo.com/76979871"
    assert desk_body[5][1] == {"text": "Small steps", "level": "h3", "anchor": ""}
    assert get_image_model().objects.count() == 2, "each upload is imported once"


def test_a_featured_image_without_alt_text_is_reported_and_not_the_hero(
    tmp_path, blog_index, uploads
):
    posts = [
        Post(
            wp_id=20,
            title="Desks",
            slug="desks",
            content="<p>Sit tall.</p><p>Stand often.</p>",
            meta={"_thumbnail_id": "902"},
            tags=[("desk-work", "desk work")],
        ),
        Post(
            wp_id=21,
            title="Missing",
            slug="missing",
            content="<p>Text.</p><p>More.</p>",
            meta={"_thumbnail_id": "903"},
        ),
        attachment(902, "2024/11/desk.jpg", alt=""),
        attachment(903, "2022/05/nowhere.jpg", alt="Nowhere"),
    ]

    output = run_import(tmp_path, posts, "--uploads", str(uploads))

    desks, missing = imported(20), imported(21)
    assert desks.live and desks.hero_image is None
    assert "Its featured image 'desk' has no alt text in WordPress" in output
    assert get_image_model().objects.filter(title="desk").exists(), "waits in the library"
    assert [tag.name for tag in desks.tags.all()] == ["desk work"]
    assert missing.live and missing.hero_image is None
    assert "The picture nowhere.jpg was not found." in output


def test_hostile_markup_is_removed_and_listed_and_comments_are_never_imported(tmp_path, blog_index):
    content = (
        '<p style="color:red" onclick="steal()">Stretch <a href="javascript:alert(1)">now</a>.'
        "</p>\n<script>track()</script>\n"
        '<iframe src="https://ads.example/frame"></iframe>\n'
        '<p>[contact-form-7 id="4"] Breathe out. [su_button]Book[/su_button]</p>\n'
        "<p>Second paragraph.</p>"
    )
    posts = [
        Post(
            wp_id=30,
            title="Safe",
            slug="safe",
            content=content,
            comments=["My knee surgery was on 3 May and I still limp"],
        )
    ]

    output = run_import(tmp_path, posts)

    post = imported(30)
    stored = str(latest(post).body.raw_data) + post.intro
    for hostile in ("script", "track()", "onclick", "color:red", "ads.example", "javascript:"):
        assert hostile not in stored, hostile
    assert "[contact-form-7" not in stored and "[su_button]" not in stored
    assert "Breathe out." in stored and "Book" in stored
    assert "knee surgery" not in str(Page.objects.values_list("title", flat=True))
    for listed in (
        "scripts (1)",
        "iframes other than YouTube and Vimeo (1)",
        "inline styles (1)",
        "event handlers (on...) (1)",
        "shortcode [contact-form-7] (1)",
        "shortcode [su_button] (2)",
    ):
        assert listed in output, listed
    assert "1 comments not imported" in output


def test_every_old_address_answers_a_301_to_the_new_page(client, tmp_path, blog_index, home_page):
    posts = [
        Post(
            wp_id=40,
            title="Sciatica at night",
            slug="sciatica-at-night",
            content="<p>Sleep on your side.</p><p>Use a pillow.</p>",
            categories=[("sciatica", "Sciatica")],
            tags=[("sleep", "sleep")],
        ),
        Post(
            wp_id=41,
            title="About us",
            slug="about-us",
            post_type="page",
            content="We are physical therapists.",
        ),
    ]

    run_import(tmp_path, posts)

    post = imported(40)
    page = StandardPage.objects.get(title="About us")
    assert page.get_parent().pk == home_page.pk and page.live
    expected = {
        "/2024/11/12/sciatica-at-night/": post.url,
        "/sciatica-at-night/": post.url,
        "/?p=40": post.url,
        "/sciatica-at-night/feed/": post.url,
        "/?page_id=41": page.url,
        "/category/sciatica/": f"{blog_index.url}category/sciatica/",
        "/category/back-pain/sciatica/": f"{blog_index.url}category/sciatica/",
        "/category/sciatica/feed/": f"{blog_index.url}category/sciatica/feed/",
        "/tag/sleep/": f"{blog_index.url}tag/sleep/",
        "/feed/": f"{blog_index.url}feed/",
        "/?feed=rss2": f"{blog_index.url}feed/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
        assert client.get(new).status_code == 200, new


def test_author_and_further_archive_pages_answer_a_301(client, tmp_path, blog_index, home_page):
    TherapistFactory(name="Maya Okafor")
    team = TeamPageFactory(parent=home_page)
    team.save_revision().publish()
    posts = [
        Post(
            wp_id=100 + n,
            title=f"Sleep well, part {n}",
            slug=f"sleep-{n}",
            content="<p>Lie on your side.</p><p>A pillow between the knees.</p>",
            creator="maya" if n % 2 else "andrew",
            categories=[("sciatica", "Sciatica")],
            tags=[("sleep", "sleep")],
        )
        for n in range(12)
    ]

    run_import(tmp_path, posts)

    category, tag = f"{blog_index.url}category/sciatica/", f"{blog_index.url}tag/sleep/"
    expected = {
        "/author/maya/": team.url,  # a therapist of the clinic
        "/author/maya/page/2/": team.url,
        "/author/maya/feed/": team.url,
        "/?author=1": team.url,
        "/author/andrew/": blog_index.url,  # no therapist of that name
        "/?author=2": blog_index.url,
        "/page/2/": blog_index.url,
        "/page/3/": blog_index.url,  # 12 posts at 5 a page
        "/category/sciatica/page/2/": category,
        "/category/back-pain/sciatica/page/3/": category,
        "/tag/sleep/page/2/": tag,
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
    assert client.get("/page/4/").status_code == 404, "no fourth page of 12 posts"


def test_a_quote_keeps_its_citation_and_a_long_one_its_paragraphs(client, tmp_path, blog_index):
    paragraph = "The body heals in its own time, and patience is part of the treatment. " * 5
    long_quote = "".join(f"<p>{paragraph}</p>" for _ in range(3))  # about 1,100 characters
    very_long = "".join(f"<p>{paragraph}</p>" for _ in range(7))  # more than a block holds
    content = (
        '<!-- wp:quote --><blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
        "<p>I can walk again.</p><!-- /wp:paragraph --><cite>A patient, aged 54</cite>"
        "</blockquote><!-- /wp:quote -->\n"
        "<p>Between the quotes.</p>\n"
        f"<blockquote>{long_quote}<cite>&mdash; Dr. Long</cite></blockquote>\n"
        f"<blockquote>{very_long}<cite>Dr. Longer</cite></blockquote>"
    )
    posts = [Post(wp_id=90, title="Quotes", slug="quotes", excerpt="Quotes.", content=content)]

    run_import(tmp_path, posts)

    post = imported(90)
    quotes = [value for kind, value in blocks(post) if kind == "quote"]
    assert [(quote["quote"], quote["attribution"]) for quote in quotes[:1]] == [
        ("I can walk again.", "A patient, aged 54")
    ]
    assert quotes[1]["quote"] == "\n\n".join([paragraph.strip()] * 3)
    assert quotes[1]["attribution"] == "Dr. Long", "the dash WordPress themes add is dropped"
    rest = quotes[2:]
    assert len(rest) == 2 and all(len(quote["quote"]) <= 2000 for quote in rest)
    assert "\n\n".join(quote["quote"] for quote in rest) == "\n\n".join([paragraph.strip()] * 7)
    assert [quote["attribution"] for quote in rest] == ["", "Dr. Longer"]
    html = client.get(post.url).content.decode()
    assert html.count("<blockquote>") == 4
    assert "<figcaption>A patient, aged 54</figcaption>" in html
    assert html.count("patience is part of the treatment.</p>") == 10, "each paragraph a <p>"


def test_importing_again_updates_what_it_made_and_duplicates_nothing(tmp_path, blog_index):
    maya = TherapistFactory(name="Maya Okafor")
    posts = [
        Post(
            wp_id=50,
            title="Knees",
            slug="knees",
            content="<p>Bend.</p><p>Stretch.</p>",
            excerpt="Knees like to move.",
            categories=[("back-pain", "Back pain")],
        ),
        Post(
            wp_id=51,
            title="Ankles",
            slug="ankles",
            content="<p>Circle.</p><p>Rise.</p>",
            meta={
                "rank_math_title": "Ankle care %sep% %sitename%",
                "rank_math_description": "Ankles need circles.",
            },
        ),
    ]
    first = run_import(tmp_path, posts)
    counts = (Page.objects.count(), Redirect.objects.count())
    knees = imported(50)
    assert knees.intro == "Knees like to move." and knees.authors == [maya]
    assert imported(51).seo_title == "Ankle care"
    assert imported(51).search_description == "Ankles need circles."

    posts[0].title = "Knees, revised"
    second = run_import(tmp_path, posts)

    assert "2 created" in first and "2 updated" in second
    assert (Page.objects.count(), Redirect.objects.count()) == counts
    assert imported(50).pk == knees.pk and imported(50).title == "Knees, revised"
    assert BlogPostPage.objects.filter(title__startswith="Knees").count() == 1
    assert list(BlogPostPage.objects.live().search("revised")) == [knees], "indexed once in"
    assert (
        IndexEntry.objects.filter(object_id__in=[str(knees.pk), str(imported(51).pk)]).count() == 2
    )

    knees = imported(50)
    knees.title = "Kneecaps"
    knees.save_revision().publish()
    assert list(BlogPostPage.objects.live().search("kneecaps")) == [knees], (
        "after the import, saving a page updates the search index again"
    )


def test_a_post_that_fails_leaves_the_others_imported_and_says_why(tmp_path, blog_index):
    posts = [
        Post(wp_id=60, title="Fine", slug="fine", content="<p>Text.</p>"),
        Post(
            wp_id=61,
            title="Broken date",
            slug="broken",
            content="<p>Text.</p>",
            date="2024-13-45 99:00:00",
            date_gmt="2024-13-45 99:00:00",
        ),
        Post(wp_id=62, title="Also fine", slug="also-fine", content="<p>Text.</p>"),
        Post(wp_id=60, title="Fine, again", slug="fine-again", content="<p>Text.</p>"),
    ]

    output = run_import(tmp_path, posts)

    assert sorted(BlogPostPage.objects.values_list("title", flat=True)) == ["Also fine", "Fine"]
    assert "1 failed" in output
    assert "post 61 'Broken date': failed" in output and "ValueError" in output
    assert "post 60 'Fine, again': skipped" in output and "holds it twice" in output


def test_pages_become_standard_pages_and_a_contact_form_is_skipped(tmp_path, blog_index):
    posts = [
        Post(
            wp_id=69,
            title="Medicare plans",
            slug="medicare",
            post_type="page",
            parent=70,  # its parent comes further down the export
            content="Part B covers therapy.",
        ),
        Post(
            wp_id=70,
            title="Insurance",
            slug="insurance",
            post_type="page",
            content="We accept most plans.\n\n<h2>Medicare</h2>\nYes.",
        ),
        Post(
            wp_id=71,
            title="Contact",
            slug="contact-us",
            post_type="page",
            content='[contact-form-7 id="12" title="Contact"]',
        ),
        Post(wp_id=72, title="Menu", post_type="nav_menu_item"),
    ]

    output = run_import(tmp_path, posts)

    page = StandardPage.objects.get(title="Insurance")
    assert page.intro == "We accept most plans."
    assert StandardPage.objects.get(title="Medicare plans").get_parent().pk == page.pk
    assert page.body == "<h2>Medicare</h2><p>Yes.</p>"
    assert not StandardPage.objects.filter(title="Contact").exists()
    assert "page 71 'Contact': skipped" in output and "A contact form" in output
    assert "nav_menu_item 72 'Menu': skipped" in output


def test_a_dry_run_reports_and_changes_nothing(tmp_path, blog_index):
    pages_before = Page.objects.count()

    output = run_import(tmp_path, [reference_post()], "--dry-run")

    assert "Dry run: nothing was changed." in output
    assert "1 items: would be 1 created" in output
    assert Page.objects.count() == pages_before and not Redirect.objects.exists()


def test_wxr_1_1_is_read_like_1_2(tmp_path, blog_index):
    run_import(
        tmp_path, [Post(wp_id=80, title="Old export", slug="old", content="Hi.")], version="1.1"
    )

    assert imported(80).live


def test_an_unreadable_export_is_refused_with_the_reason(tmp_path, blog_index):
    source = tmp_path / "export.xml"
    source.write_text("<rss><channel><item>", encoding="utf-8")

    with pytest.raises(CommandError, match="not a readable WordPress file"):
        call_command("import_wordpress", str(source), "--index", "blog", stdout=StringIO())
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>', encoding="utf-8")
    with pytest.raises(CommandError, match="not a readable WordPress file"):
        call_command("import_wordpress", str(bomb), "--index", "blog", stdout=StringIO())


def scripts_not_the_sites_own(html):
    """Scripts on a page other than the site's own files and its data (valid JSON: JSON-LD,
    and in the admin's preview the settings of Wagtail's accessibility checker)."""
    strangers = []
    for script in BeautifulSoup(html, "html.parser").find_all("script"):
        if script.get("type") in {"application/ld+json", "application/json"}:
            json.loads(script.string)  # imported text cannot end the element
        elif not (script.get("src", "").startswith("/static/") and not script.string):
            strangers.append(str(script)[:200])
    return strangers


@pytest.mark.skipif(not THEME_TEST_DATA.exists(), reason="WordPress's theme test export")
def test_wordpress_theme_test_export_imports_whole_and_every_page_renders(
    client, admin_client, blog_index
):
    with THEME_TEST_DATA.open("rb") as source:
        report = WordPressImporter(source, blog_index).run()

    counts = report.counts()
    assert counts["failed"] == 0, [item for item in report.items if item.outcome == "failed"]
    assert len(report.items) == 186 == sum(counts.values())
    assert all(item.outcome in {"created", "skipped"} for item in report.items)
    assert all(item.notes for item in report.items if item.outcome == "skipped")
    assert dict(counts) == {"created": 78, "skipped": 108}
    assert report.comments == 33
    imported = Page.objects.filter(depth__gt=2).exclude(pk=blog_index.pk)
    assert imported.count() == 78 and imported.live().count() == 71, "6 drafts, 1 scheduled"
    for page in imported.specific():
        # A draft (private, password-protected, empty) is seen only in the admin's preview.
        if page.live:
            response = client.get(page.url)
        else:
            response = admin_client.get(f"/admin/pages/{page.pk}/view_draft/")
        assert response.status_code == 200, page.url_path
        html = response.content.decode()
        assert not scripts_not_the_sites_own(html), page.url_path
