"""Turn a Markdown or plain-text article into a draft post.

The rules, in order, for each block of text separated by a blank line:

- front matter between two `---` lines gives title, intro, authors, categories, tags, date;
  without it the first line is the title;
- `#`/`##` lines are sections (H2), `###` lines sub-sections (H3); in plain text, a single
  short line in Title Case ("2. Sciatica", "Understanding Hip Pain") is a section;
- a paragraph starting "What to Do:" becomes an advice callout; `>` lines a quote;
- "More posts like this…:" followed by article titles becomes the related-articles block,
  pinning the titles that match existing posts;
- the last section, when it asks the reader to call, book or download, becomes the call to
  action; its phone number and links are replaced by those in Clinic settings;
- a lone lowercase line before the first paragraph (an image's description in text copied
  from a web page) becomes the suggested alt text of the hero image; a name on the last line
  is the author's signature;
- everything else is rich text, rendered from Markdown and sanitised (bold, italic, links,
  lists only).
"""

import datetime
import html
import re
import threading
from dataclasses import dataclass, field

import markdown
import nh3
import yaml
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from blog.models import BlogCategory, BlogPostAuthor, BlogPostPage
from clinic.models import Therapist

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "b", "i", "strong", "em", "a"}
INTRO_MAX_LENGTH = 600
CONVERTER = threading.local()
HEADING_MAX_LENGTH = 120

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
ADVICE = re.compile(r"^[*_]{0,2}(what to do)\s*:\s*[*_]{0,2}\s*", re.IGNORECASE)
RELATED = re.compile(r"^[*_]{0,2}more (posts|articles) like this\b.*$", re.IGNORECASE)
LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
CONTACT = re.compile(
    r"\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\bclick here\b|\bcall us\b|\bbook\b|\bdownload\b",
    re.IGNORECASE,
)
GUIDE = re.compile(r"\bguide\b|\bdownload\b", re.IGNORECASE)
SIGNATURE = re.compile(r"^[A-Z][a-z'\u2019-]+( [A-Z][a-z'\u2019.-]+){1,3}$")


class ArticleImportError(Exception):
    """The file cannot become a post; the message says why."""


@dataclass
class ImportedArticle:
    title: str
    intro: str = ""
    body: list = field(default_factory=list)
    hero_alt: str = ""
    authors: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    date_published: datetime.date | None = None
    related_titles: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def count(self, block_type):
        return sum(1 for block in self.body if block["type"] == block_type)


def sanitised_html(text):
    """Markdown (or plain text) as rich text a Wagtail editor accepts, nothing else."""
    # Building a converter costs more than converting a paragraph: one for each thread.
    if not hasattr(CONVERTER, "markdown"):
        CONVERTER.markdown = markdown.Markdown()
    return clean_rich_text(CONVERTER.markdown.reset().convert(text))


def clean_rich_text(rendered):
    """HTML reduced to what a Wagtail editor accepts: bold, italic, links, lists."""
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}, "*": set()},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
    for source, target in (("strong", "b"), ("em", "i")):
        cleaned = re.sub(rf"<(/?){source}>", rf"<\1{target}>", cleaned)
    return cleaned.strip()


def plain_text(text):
    # A leading "2." would otherwise turn a heading into a numbered list.
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return html.unescape(strip_tags(sanitised_html(text))).strip()


def is_title_like(chunk):
    """One short line in Title Case, not ending like a sentence."""
    if "\n" in chunk or len(chunk) > 90 or chunk[-1] in ".,;:":
        return False
    text = re.sub(r"^\d+[.)]\s+", "", chunk)
    if not text or not (text[0].isupper() or text[0].isdigit()):
        return False
    long_words = [word for word in re.findall(r"[A-Za-z][A-Za-z'\u2019]*", text) if len(word) >= 4]
    capitalised = [word for word in long_words if word[0].isupper()]
    return bool(long_words) and len(capitalised) / len(long_words) >= 0.6


def is_caption_like(chunk):
    return "\n" not in chunk and len(chunk) <= 120 and chunk[0].islower() and chunk[-1] not in ".!?"


def split_front_matter(text):
    """The YAML between two `---` lines (flow or block lists, quoted strings, dates), and
    the text after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end == -1:
        raise ArticleImportError("The front matter opened with '---' is never closed.")
    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as error:
        raise ArticleImportError(f"The front matter is not valid YAML: {error}") from error
    if not isinstance(meta, dict):
        raise ArticleImportError("The front matter must be 'key: value' lines.")
    meta = {str(key).strip().lower(): value for key, value in meta.items() if value is not None}
    return meta, text[end + 4 :].lstrip("-")


def items_of(chunks):
    """Classify each chunk of text: (kind, payload)."""
    items = []
    related = None
    for position, chunk in enumerate(chunks):
        if isinstance(chunk, tuple):  # already classified, such as an image from HTML
            related = None
            items.append(chunk)
            continue
        following = chunks[position + 1] if position + 1 < len(chunks) else ""
        if isinstance(following, tuple):
            following = ""
        if related is not None:
            if all(LIST_ITEM.match(line) for line in chunk.splitlines()):
                titles = [LIST_ITEM.sub("", line) for line in chunk.splitlines()]
                related.extend(plain_text(MARKDOWN_LINK.sub(r"\1", title)) for title in titles)
                continue
            if is_title_like(chunk) and (not following or is_title_like(following)):
                related.append(plain_text(chunk))
                continue
            related = None
        heading = MARKDOWN_HEADING.match(chunk)
        if heading and RELATED.match(heading.group(2)):
            related = []
            items.append(("related", related))
        elif heading and "\n" not in chunk:
            level = "h3" if len(heading.group(1)) >= 3 else "h2"
            items.append(("heading", (level, plain_text(heading.group(2)))))
        elif RELATED.match(chunk) and "\n" not in chunk:
            related = []
            items.append(("related", related))
        elif all(line.startswith(">") for line in chunk.splitlines()):
            quote = " ".join(line.lstrip("> ").strip() for line in chunk.splitlines())
            items.append(("quote", {"quote": plain_text(quote), "attribution": ""}))
        elif ADVICE.match(chunk):
            items.append(("advice", ADVICE.sub("", chunk, count=1)))
        elif is_title_like(chunk):
            items.append(("heading", ("h2", plain_text(chunk))))
        elif is_caption_like(chunk):
            items.append(("caption", chunk))
        else:
            items.append(("text", chunk))
    return items


def parse_article(text):
    """Read an article's text into blocks, without touching the database."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, text = split_front_matter(text)
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    chunks = [chunk for i, chunk in enumerate(chunks) if i == 0 or chunk != chunks[i - 1]]
    if meta.get("title"):
        title = meta["title"]
    elif chunks:
        first_line, _, rest = chunks[0].partition("\n")
        title = plain_text(first_line.lstrip("#").strip())
        chunks = ([rest.strip()] if rest.strip() else []) + chunks[1:]
    else:
        raise ArticleImportError("The file is empty: there is no title to import.")

    article = ImportedArticle(
        title=str(title)[:255],
        authors=_list(meta.get("authors") or meta.get("author")),
        categories=_list(meta.get("categories") or meta.get("category")),
        tags=_list(meta.get("tags")),
        hero_alt=str(meta.get("hero_alt", "")),
    )
    if meta.get("date"):
        article.date_published = _date(meta["date"])

    build_body(article, chunks, intro=str(meta.get("intro", "")))
    return article


def build_body(article, chunks, *, intro=""):
    """The article's blocks from its chunks of text (and already classified items), by the
    rules above; a given intro replaces the first paragraph as the intro."""
    items = items_of(chunks)
    if items and items[-1][0] == "heading" and SIGNATURE.match(items[-1][1][1]):
        signature = items.pop()[1][1]
        article.authors = article.authors or [signature]
    items = _closing_call_to_action(items, article)
    items = _intro_and_hero(items, article, intro)
    article.body = _blocks(items, article)


def _list(value):
    """A YAML list, or one string of comma-separated names."""
    parts = value if isinstance(value, list) else str(value or "").split(",")
    return [str(part).strip() for part in parts if part is not None and str(part).strip()]


def _date(value):
    # YAML reads an unquoted 2025-03-04 as a date, with a time as a datetime.
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as error:
        raise ArticleImportError(f"The date {value!r} is not YYYY-MM-DD.") from error


def _closing_call_to_action(items, article):
    headings = [i for i, (kind, _) in enumerate(items) if kind == "heading"]
    if not headings:
        return items
    start = headings[-1]
    tail = items[start + 1 :]
    if not tail or any(kind != "text" for kind, _ in tail):
        return items
    if not any(CONTACT.search(text) for _, text in tail):
        return items
    invitation = next((text for _, text in tail if not CONTACT.search(text)), "")
    cta = {
        "heading": items[start][1][1],
        "text": plain_text(invitation),
        "offer_guide": any(GUIDE.search(text) for _, text in tail),
    }
    article.notes.append(
        "The closing call to action now uses the phone number, booking link and free guide "
        "from Clinic settings; the article's own phone number and links were left out."
    )
    return [*items[:start], ("cta", cta)]


def _intro_and_hero(items, article, intro):
    kept = []
    for kind, payload in items:
        if not article.intro and kind == "caption" and not any(k == "text" for k, _ in kept):
            article.hero_alt = article.hero_alt or payload[0].upper() + payload[1:]
            continue
        if not article.intro and not intro and kind == "text" and not kept:
            first_paragraph = plain_text(payload)
            if len(first_paragraph) <= INTRO_MAX_LENGTH:
                article.intro = first_paragraph
                continue
            article.intro = Truncator(first_paragraph).chars(INTRO_MAX_LENGTH)
        kept.append((kind, payload))
    article.intro = article.intro or intro
    if article.hero_alt:
        article.notes.append(
            f"Add a hero image in the admin; the source described it as {article.hero_alt!r} "
            "(kept as its alt text)."
        )
    return kept


def _blocks(items, article):
    body = []
    for kind, payload in items:
        if kind in {"text", "caption", "html"}:
            text = clean_rich_text(payload) if kind == "html" else sanitised_html(payload)
            if body and body[-1]["type"] == "paragraph":
                body[-1]["value"] += text
            else:
                body.append({"type": "paragraph", "value": text})
        elif kind == "heading":
            level, text = payload
            text = Truncator(text).chars(HEADING_MAX_LENGTH)
            body.append({"type": "heading", "value": {"text": text, "level": level, "anchor": ""}})
        elif kind in {"image", "video", "table", "quote"}:
            body.append({"type": kind, "value": payload})
        elif kind == "advice":
            body.append(
                {
                    "type": "advice",
                    "value": {"label": "What to do", "text": sanitised_html(payload)},
                }
            )
        elif kind == "related":
            article.related_titles = payload
            body.append(
                {"type": "related_posts", "value": {"heading": "More posts like this", "posts": []}}
            )
        elif kind == "cta":
            body.append({"type": "cta", "value": payload})
    return body


def create_draft(article, index, *, slug=None):
    """Save the article as a draft under the index; names that match nothing become notes."""
    slug = slug or slugify(article.title)[:255]
    if not slug:
        raise ArticleImportError("The title gives no usable address; pass --slug.")
    if index.get_children().filter(slug=slug).exists():
        raise ArticleImportError(
            f"{index.title} already has an article at '{slug}'; pass --slug to import it again."
        )

    therapists = matched_therapists(article)
    categories = matched_categories(article)
    body = [dict(block, value=pin_related(block, index, article)) for block in article.body]
    post = BlogPostPage(
        title=article.title,
        slug=slug,
        intro=article.intro,
        hero_alt=article.hero_alt,
        body=body,
        live=False,
        date_published=article.date_published or datetime.date.today(),
    )
    post.post_authors = [BlogPostAuthor(therapist=therapist) for therapist in therapists]
    post.categories = categories
    post.tags.add(*article.tags)
    index.add_child(instance=post)
    post.save_revision(log_action=True)
    if not therapists:
        article.notes.append("The draft has no author yet: add one before publishing.")
    return post


def matched_therapists(article, *, known=None):
    """The therapists named as the article's authors; names that match none become notes.
    An import of many passes `known` (lowercased name -> therapist) rather than a query a name."""
    therapists = []
    for name in article.authors:
        if known is None:
            therapist = Therapist.objects.filter(name__iexact=name).first()
        else:
            therapist = known.get(name.lower())
        if therapist:
            therapists.append(therapist)
        else:
            article.notes.append(f"No therapist is named {name!r}: choose the author in the admin.")
    return therapists


def matched_categories(article, *, known=None):
    """The article's categories, created (and noted) when the site has none of that name.
    An import of many passes `known` (lowercased name -> category; it learns those created)
    rather than a query a name."""
    categories = []
    for name in article.categories:
        name = name[:80]
        if known is None:
            category = BlogCategory.objects.filter(name__iexact=name).first()
        else:
            category = known.get(name.lower())
        if category is None:
            category = BlogCategory.objects.create(name=name)
            article.notes.append(f"Created the category {name!r}.")
        if known is not None:
            known[name.lower()] = category
        categories.append(category)
    return categories


def pin_related(block, index, article, *, titled=None):
    """The related-articles block pinned to the articles its titles name. An import of many
    passes `titled` (lowercased title -> article id) rather than a query a title."""
    if block["type"] != "related_posts":
        return block["value"]
    pinned = []
    for title in article.related_titles:
        if titled is None:
            articles = BlogPostPage.objects.child_of(index).filter(title__iexact=title)
            found = articles.values_list("pk", flat=True).first()
        else:
            found = titled.get(title.lower())
        if found:
            pinned.append(found)
        else:
            article.notes.append(
                f"No article titled {title!r} here yet; related articles are chosen "
                "automatically until you pin one."
            )
    return {**block["value"], "posts": pinned}
