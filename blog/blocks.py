"""The vocabulary of an article: every block an author can add to a post's body."""

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock

TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
QUOTE_MAX_LENGTH = 2000  # room for a quotation of a few paragraphs, such as a long WordPress one
ATTRIBUTION_MAX_LENGTH = 120


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, help_text="The words of the heading.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (H2)"), ("h3", "Sub-section (H3)")],
        default="h2",
        help_text="Sections split the article; sub-sections split a section.",
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="Optional address of this heading for links like #sciatica. "
        "Left empty, it is made from the heading text.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        label = "Heading"
        description = "A section or sub-section title, e.g. '2. Sciatica'. Readers can link to it."
        preview_value = {"text": "2. Sciatica", "level": "h2", "anchor": ""}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value["anchor"] or value["text"])
        return context


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph.html"
        label = "Text"
        description = "Paragraphs with bold, italic, links and bulleted or numbered lists."
        preview_value = (
            "<p>Lower back and hip pain often go <b>hand in hand</b>: the muscles and joints "
            "of both work together to keep you upright.</p>"
            "<ul><li>Sitting for long periods</li><li>Lifting awkwardly</li></ul>"
        )


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(help_text="Describe what the picture shows, or mark it as decorative.")
    caption = blocks.CharBlock(
        required=False, max_length=250, help_text="Optional words shown under the picture."
    )

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = "Image"
        description = "A picture across the text column, with alt text and an optional caption."

    def get_preview_value(self):
        image = get_image_model().objects.order_by("pk").first()
        if image is not None:
            image.contextual_alt_text = image.default_alt_text
            image.decorative = False
        return self.normalize({"image": image, "caption": "A gentle hip stretch."})


class AdviceBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        default="What to do",
        max_length=60,
        help_text="The callout's label, usually 'What to do'.",
    )
    text = blocks.RichTextBlock(
        features=TEXT_FEATURES, help_text="Practical, safe steps the reader can take."
    )

    class Meta:
        icon = "tick-inverse"
        template = "blocks/advice.html"
        label = "Advice (what to do)"
        description = "A highlighted 'What to do' box with practical steps after a section."
        preview_value = {
            "label": "What to do",
            "text": "<p>Gentle stretching and short walks help. Avoid heavy lifting until "
            "the soreness settles.</p>",
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(
        max_length=QUOTE_MAX_LENGTH,
        help_text="The words quoted, without quote marks; a blank line between paragraphs.",
    )
    attribution = blocks.CharBlock(
        required=False,
        max_length=ATTRIBUTION_MAX_LENGTH,
        help_text="Who said it, e.g. 'A patient, aged 54'.",
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        label = "Quote"
        description = "A short quotation set apart from the text, with who said it."
        preview_value = {
            "quote": "I can sleep through the night again.",
            "attribution": "A patient after six weeks of therapy",
        }


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Leave empty for the default: 'Ready to feel better?'",
    )
    text = blocks.TextBlock(
        required=False,
        max_length=400,
        help_text="Leave empty for the default invitation to call or book.",
    )
    offer_guide = blocks.BooleanBlock(
        default=True,
        required=False,
        help_text="Also offer the free guide named in Settings → Clinic settings.",
    )

    class Meta:
        icon = "phone"
        template = "blocks/cta.html"
        label = "Call to action"
        description = (
            "Invites the reader to call, request an appointment or get the free guide. "
            "Phone number and links come from Settings → Clinic settings."
        )
        default_heading = "Ready to feel better?"
        default_text = (
            "Our physical therapists find what is behind your pain and build a plan "
            "that fits your life. Call us or request an appointment."
        )
        preview_value = {"heading": "", "text": "", "offer_guide": True}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["heading"] = value["heading"] or self.meta.default_heading
        context["text"] = value["text"] or self.meta.default_text
        return context


class RelatedPostsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        default="More posts like this",
        max_length=120,
        help_text="The heading above the list of related articles.",
    )
    posts = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="blog.BlogPostPage"),
        required=False,
        max_num=6,
        help_text="Leave empty to show the articles sharing most categories and tags; "
        "choose articles to pin them instead.",
    )

    class Meta:
        icon = "list-ul"
        template = "blocks/related_posts.html"
        label = "Related articles"
        description = (
            "'More posts like this': three articles on the same topics, or the ones you pin."
        )
        preview_value = {"heading": "More posts like this", "posts": []}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        if "related_posts" in context:
            return context  # The post page fetched them with its fixed query budget.
        from blog.models import BlogPostPage, post_listing  # models import these blocks

        pinned = [post.pk for post in value["posts"] if post]
        posts = post_listing(BlogPostPage.objects.all())
        context["related_posts"] = posts.filter(pk__in=pinned) if pinned else posts[:3]
        return context


# The video hosts whose players the site's Content-Security-Policy frames (EMBED_ORIGINS).
YOUTUBE = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)"
    r"([\w-]{11})"
)
VIMEO = re.compile(r"^https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(\d+)")


def video_player_url(url):
    """The privacy-friendly player address of a YouTube or Vimeo video, or None."""
    if match := YOUTUBE.match(url or ""):
        return f"https://www.youtube-nocookie.com/embed/{match.group(1)}"
    if match := VIMEO.match(url or ""):
        return f"https://player.vimeo.com/video/{match.group(1)}?dnt=1"
    return None


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(help_text="The address of a YouTube or Vimeo video.")
    title = blocks.CharBlock(
        max_length=120,
        help_text="What the video shows, e.g. 'Three stretches for a stiff neck'; "
        "screen readers announce it.",
    )

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        label = "Video"
        description = "A YouTube or Vimeo video, played without tracking cookies."
        preview_value = {
            "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "title": "A short film",
        }

    def clean(self, value):
        value = super().clean(value)
        if not video_player_url(value["url"]):
            raise blocks.StructBlockValidationError(
                {"url": ValidationError("Paste the address of a YouTube or Vimeo video.")}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["player_url"] = video_player_url(value["url"])
        return context


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(
        required=False, max_length=250, help_text="What the table shows, read before it."
    )
    header_row = blocks.BooleanBlock(
        default=True, required=False, help_text="The first row names the columns."
    )
    rows = blocks.ListBlock(
        blocks.ListBlock(blocks.CharBlock(required=False, label="Cell"), label="Row"),
        help_text="One entry per row, one cell per column.",
    )

    class Meta:
        icon = "table"
        template = "blocks/table.html"
        label = "Table"
        description = "A simple table of words or figures, e.g. an exercise schedule."
        preview_value = {
            "caption": "A week of walking",
            "header_row": True,
            "rows": [["Day", "Minutes"], ["Monday", "10"], ["Wednesday", "15"]],
        }


class ArticleBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    advice = AdviceBlock()
    quote = QuoteBlock()
    cta = CallToActionBlock()
    related_posts = RelatedPostsBlock()
    video = VideoBlock()
    table = TableBlock()

    class Meta:
        block_counts = {"related_posts": {"max_num": 1}}
