"""Move a WordPress blog in: its export (WXR 1.1 or 1.2) becomes articles, pages, images
and redirects from every old address.

The export is read twice, streamed, so a large one never sits whole in memory: first for
what posts refer to each other by (authors, attachments, permalinks, titles), then post by
post, each saved in its own transaction. The text of each post is turned into chunks that
the Markdown importer's rules (blog/importing.py) classify: "What to Do:" advice, "More
posts like this" lists, the closing call to action. Comments are counted, never imported.
"""

import contextlib
import datetime
import html
import io
import logging
import re
import zipfile
from collections import ChainMap, Counter, defaultdict
from dataclasses import asdict, dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlparse

from bs4 import BeautifulSoup, Comment, NavigableString
from bs4 import Tag as Element
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from blog import importing
from blog.blocks import ATTRIBUTION_MAX_LENGTH, QUOTE_MAX_LENGTH, video_player_url
from blog.models import BlogCategory, BlogIndexPage, BlogPostAuthor, BlogPostPage, WordPressItem
from clinic.models import ContactPage, StandardPage, TeamPage, Therapist

logger = logging.getLogger(__name__)

NAMESPACES = [  # a part of each namespace URI, and the prefix the code names it by
    ("/excerpt/", "excerpt"),
    ("wordpress.org/export/", "wp"),
    ("purl.org/rss/1.0/modules/content", "content"),
    ("purl.org/dc/elements", "dc"),
]
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
CAPTIONED_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>)?\s*<img\b[^>]*>\s*(?:</a>)?)(.*)$", re.DOTALL)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
GALLERY = re.compile(r"\[gallery([^\]]*)\]", re.IGNORECASE)
SHORTCODE = re.compile(r"\[/?([a-z][a-z0-9_-]*)(?:\s[^\]]*)?/?\]")
ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
RESIZED = re.compile(r"-(\d+x\d+|scaled)(?=\.\w+$)")
BLOCK_TAGS = (
    "address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|form|h[1-6]|"
    "header|hr|iframe|li|main|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul|script|style"
)
BLOCK_TAG = re.compile(rf"(</?(?:{BLOCK_TAGS})\b[^>]*>)", re.IGNORECASE)
STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{BLOCK_TAGS})\b", re.IGNORECASE)
REMOVED_TAGS = {
    "script": "scripts",
    "style": "style sheets",
    "noscript": "scripts",
    "object": "plugins (object/embed)",
    "embed": "plugins (object/embed)",
    "applet": "plugins (object/embed)",
    "form": "forms",
    "input": "forms",
    "button": "forms",
    "select": "forms",
    "textarea": "forms",
    "svg": "drawings (svg)",
    "canvas": "drawings (canvas)",
    "audio": "audio players",
    "video": "video files",
}
CONTACT_FORM = re.compile(
    r"\[(contact-form|contact-form-7|wpforms|gravityform|ninja_form|formidable)\b|<form\b",
    re.IGNORECASE,
)
SEO_VARIABLE = re.compile(r"%%?[a-z_]+%%?")
CONTAINERS = {"div", "section", "article", "main", "aside", "header", "footer", "center"}
# WordPress lists 10 posts a page unless its settings say fewer: 5 covers most blogs.
ARCHIVE_PAGE_SIZE = 5
BATCH = 100  # posts whose redirects and search entries are written together
FEEDS = ["/feed/", "/feed/rss2/", "/feed/atom/", "/rss/", "/comments/feed/", "/?feed=rss2"]
PUBLIC, DRAFT, SCHEDULED = "published", "draft", "scheduled"
LINE_BREAK, PARAGRAPH_BREAK = "\u2028", "\u2029"  # marks a quote's <br> and its paragraphs


class WordPressImportError(Exception):
    """The export cannot be read at all; the message says why."""


@dataclass
class Item:
    """One <item> of the export: a post, page, attachment or other record."""

    wp_id: int
    post_type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    slug: str = ""
    date: str = ""
    date_gmt: str = ""
    pub_date: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    password: str = ""
    parent: int = 0
    attachment_url: str = ""
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: int = 0

    def published_at(self):
        """When it was (or is to be) published, as an aware datetime; ValueError if unreadable."""
        if self.date_gmt and not self.date_gmt.startswith("0000"):
            return datetime.datetime.fromisoformat(self.date_gmt).replace(tzinfo=datetime.UTC)
        if self.date and not self.date.startswith("0000"):
            return timezone.make_aware(datetime.datetime.fromisoformat(self.date))
        if self.pub_date:
            return parsedate_to_datetime(self.pub_date)
        return timezone.now()


@dataclass
class Attachment:
    url: str
    alt: str
    title: str
    parent: int


@dataclass
class Known:
    """What the first reading learns: who wrote, which files exist, where each post lived."""

    site_url: str = ""
    authors: dict = field(default_factory=dict)  # login -> display name
    categories: dict = field(default_factory=dict)  # nicename -> (name, parent nicename)
    tags: dict = field(default_factory=dict)  # slug -> name
    attachments: dict = field(default_factory=dict)  # id -> Attachment
    attachment_ids: dict = field(default_factory=dict)  # uploads path -> id
    slugs: dict = field(default_factory=dict)  # (kind, post id) -> slug on the new site
    old_paths: dict = field(default_factory=dict)  # normalised old path -> (kind, post id)
    paths_of: dict = field(default_factory=dict)  # post id -> its normalised old paths
    titles: dict = field(default_factory=dict)  # lowercased title -> post id
    records: dict = field(default_factory=dict)  # (kind, post id) -> its WordPressItem
    total: int = 0  # posts and pages to import
    author_ids: dict = field(default_factory=dict)  # login -> WordPress user id
    # How many published posts each archive listed: the pages it had (/page/2/...).
    listed: Counter = field(default_factory=Counter)  # ("category" | "tag" | "author", key)
    published: int = 0

    @property
    def hosts(self):
        return {urlparse(self.site_url).netloc}


@dataclass(eq=False)  # each one its own: a key of WordPressImporter.related
class Outcome:
    wp_id: int
    kind: str
    title: str
    outcome: str = ""  # created, updated, skipped, failed
    status: str = ""  # published, draft, scheduled
    url: str = ""
    notes: list = field(default_factory=list)


@dataclass
class Report:
    dry_run: bool = False
    items: list = field(default_factory=list)
    comments: int = 0
    removed: Counter = field(default_factory=Counter)
    redirects: int = 0
    images: int = 0

    def counts(self):
        return Counter(item.outcome for item in self.items)

    def as_dict(self):
        return {
            "dry_run": self.dry_run,
            "counts": dict(self.counts()),
            "comments": self.comments,
            "removed": dict(self.removed),
            "redirects": self.redirects,
            "images": self.images,
            "items": [asdict(item) for item in self.items],
        }

    def lines(self):
        """The report as text: totals, then every item that was not simply imported."""
        counts = self.counts()
        verb = "would be " if self.dry_run else ""
        yield (
            f"{len(self.items)} items: {verb}{counts['created']} created, "
            f"{counts['updated']} updated, {counts['skipped']} skipped, "
            f"{counts['failed']} failed."
        )
        yield (
            f"{self.images} images imported, {self.redirects} redirects from old addresses; "
            f"{self.comments} comments not imported (they can hold patients' health details)."
        )
        if self.removed:
            removed = ", ".join(f"{name} ({count})" for name, count in sorted(self.removed.items()))
            yield f"Removed from the text: {removed}."
        for item in self.items:
            if item.notes or item.outcome in {"skipped", "failed"}:
                label = f"{item.kind} {item.wp_id} {item.title!r}"
                yield f"{label}: {item.outcome}{f' ({item.status})' if item.status else ''}"
                for note in item.notes:
                    yield f"  - {note}"


@dataclass
class Deferred:
    """What imported posts leave to be written together, once they are in (their redirects
    and search index entries), and what the next posts may know of them only then (titles to
    pin related articles by, categories created)."""

    redirects: dict = field(default_factory=dict)  # old path -> (page id, route on it)
    pages: list = field(default_factory=list)  # to index for search
    titled: dict = field(default_factory=dict)  # lowercased title -> article id
    categories: dict = field(default_factory=dict)  # lowercased name -> category created
    posts: int = 0

    def merge(self, other):
        self.redirects.update(other.redirects)
        self.pages.extend(other.pages)
        self.posts += other.posts


@contextlib.contextmanager
def search_index_deferred(models):
    """Wagtail's search index is updated at each save of a page (three for a published post,
    each also averaging every indexed title's length): during an import, not at all; the
    importer indexes each page once, a batch at a time. The signal is the process's: the
    import runs on the task worker or the command line, where nothing else saves pages."""
    disconnected = [
        model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)


class Uploads:
    """The blog's wp-content/uploads, as a folder or a zip of it; paths like 2024/11/a.jpg."""

    def __init__(self, source=None):
        self.folder = self.zip = None
        self.members = {}
        if source is None:
            return
        if not hasattr(source, "read"):  # a path, else an open file
            source = Path(source)
            if source.is_dir():
                self.folder = source
                return
        if not zipfile.is_zipfile(source):
            raise WordPressImportError("The uploads are neither a folder nor a zip file.")
        self.zip = zipfile.ZipFile(source)
        for name in self.zip.namelist():
            self.members[uploads_path(name)] = name

    def find(self, path):
        """The first of the file and its original (before WordPress resized it) that exists."""
        original = RESIZED.sub("", path)
        for candidate in dict.fromkeys([original, path]):
            if self.folder and (self.folder / candidate).is_file():
                return candidate
            if candidate in self.members:
                return candidate
        return None

    def read(self, path):
        if self.folder:
            return (self.folder / path).read_bytes()
        return self.zip.read(self.members[path])


def uploads_path(url):
    """The part of a file's address after wp-content/uploads/ (or a zip member's name)."""
    path = unquote(urlparse(url).path)
    for marker in ("/wp-content/uploads/", "/files/", "uploads/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path.lstrip("/")


def local_name(tag):
    if not tag.startswith("{"):
        return tag
    uri, _, name = tag[1:].partition("}")
    for part, prefix in NAMESPACES:
        if part in uri:
            return f"{prefix}:{name}"
    return name


def read_export(source):
    """Stream the export: ('site', url), ('author' | 'category' | 'tag', dict), ('item', Item).
    Each element is dropped from the tree once read."""
    depth, channel = 0, None
    try:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 2:
                    channel = element
                continue
            depth -= 1
            if depth != 2:
                continue
            name = local_name(element.tag)
            if name == "item":
                yield "item", item_from(element)
            elif name in {"wp:base_blog_url", "link"}:
                yield "site", (element.text or "").strip().rstrip("/")
            elif name in {"wp:author", "wp:category", "wp:tag"}:
                fields = {local_name(child.tag): (child.text or "").strip() for child in element}
                yield name.removeprefix("wp:"), fields
            channel.remove(element)
    except (SyntaxError, DefusedXmlException) as error:  # ParseError; refused entities
        raise WordPressImportError(
            f"The export is not a readable WordPress file: {error}"
        ) from error


def item_from(element):
    fields, item = {}, Item(wp_id=0)
    for child in element:
        name = local_name(child.tag)
        text = child.text or ""
        if name == "category":
            pair = (child.get("nicename", slugify(text)), html.unescape(text.strip()))
            if child.get("domain") == "category":
                item.categories.append(pair)
            elif child.get("domain") == "post_tag":
                item.tags.append(pair)
        elif name == "wp:postmeta":
            meta = {local_name(part.tag): part.text or "" for part in child}
            item.meta[meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
        elif name == "wp:comment":
            item.comments += 1
        else:
            fields[name] = text
    item.wp_id = int(fields.get("wp:post_id") or 0)
    item.post_type = fields.get("wp:post_type", "")
    item.status = fields.get("wp:status", "")
    item.title = html.unescape(strip_tags(fields.get("title", ""))).strip()
    item.link = fields.get("link", "").strip()
    item.guid = fields.get("guid", "").strip()
    item.slug = unquote(fields.get("wp:post_name", "").strip())
    item.date = fields.get("wp:post_date", "").strip()
    item.date_gmt = fields.get("wp:post_date_gmt", "").strip()
    item.pub_date = fields.get("pubDate", "").strip()
    item.creator = fields.get("dc:creator", "").strip()
    item.content = fields.get("content:encoded", "")
    item.excerpt = fields.get("excerpt:encoded", "")
    item.password = fields.get("wp:post_password", "")
    item.parent = int(fields.get("wp:post_parent") or 0)
    item.attachment_url = fields.get("wp:attachment_url", "").strip()
    return item


def normalised(url):
    """An old address as the redirects table stores it, host dropped."""
    return Redirect.normalise_path(url)


def first_reading(source, index):
    """Everything the posts refer to each other by, and the address each will have."""
    known = Known()
    home = index.get_parent()
    taken = {
        "post": set(index.get_children().values_list("slug", flat=True)),
        "page": set(home.get_children().values_list("slug", flat=True)),
    }
    pending = []
    for kind, value in read_export(source):
        if kind == "site":
            known.site_url = known.site_url or value
        elif kind == "author":
            name = value.get("wp:author_display_name") or " ".join(
                filter(None, [value.get("wp:author_first_name"), value.get("wp:author_last_name")])
            )
            known.authors[value.get("wp:author_login", "")] = name.strip()
            if value.get("wp:author_id", "").isdigit():
                known.author_ids[value.get("wp:author_login", "")] = value["wp:author_id"]
        elif kind == "category":
            known.categories[value.get("wp:category_nicename", "")] = (
                value.get("wp:cat_name", ""),
                value.get("wp:category_parent", ""),
            )
        elif kind == "tag":
            known.tags[value.get("wp:tag_slug", "")] = value.get("wp:tag_name", "")
        elif value.post_type == "attachment":
            known.attachments[value.wp_id] = Attachment(
                url=value.attachment_url or value.guid,
                alt=value.meta.get("_wp_attachment_image_alt", "").strip(),
                title=value.title,
                parent=value.parent,
            )
            known.attachment_ids[uploads_path(value.attachment_url or value.guid)] = value.wp_id
        elif value.post_type in {"post", "page"}:
            known.total += 1
            pending.append((value.post_type, value.wp_id, value.slug, value.title))
            if value.post_type == "post" and value.title:
                known.titles.setdefault(value.title.lower(), value.wp_id)
            if value.post_type == "post" and value.status == "publish" and not value.password:
                known.published += 1
                known.listed.update(("category", nicename) for nicename, _ in value.categories)
                known.listed.update(("tag", slug) for slug, _ in value.tags)
                known.listed["author", value.creator] += 1
            dated = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.date)
            paths = {value.link, f"/?p={value.wp_id}", f"/?page_id={value.wp_id}", value.guid}
            if value.slug:
                paths.add(f"/{value.slug}/")
                if dated and value.post_type == "post":
                    paths.add("/{}/{}/{}/{}/".format(*dated.groups(), value.slug))
            for path in filter(None, paths):
                if not urlparse(path).netloc or urlparse(path).netloc in known.hosts:
                    path = normalised(path)
                    known.old_paths.setdefault(path, (value.post_type, value.wp_id))
                    known.paths_of.setdefault(value.wp_id, set()).add(path)

    known.records = {
        (item.kind, int(item.key)): item
        for item in WordPressItem.objects.filter(
            wordpress_site=known.site_url, kind__in=["post", "page"], page__isnull=False
        ).select_related("page")
    }
    for post_type, wp_id, slug, title in pending:
        if (post_type, wp_id) in known.records:
            known.slugs[post_type, wp_id] = known.records[post_type, wp_id].page.slug
            continue
        base = slugify(slug or title, allow_unicode=True)[:200] or f"{post_type}-{wp_id}"
        candidate, number = base, 1
        while candidate in taken[post_type]:
            number += 1
            candidate = f"{base}-{number}"
        taken[post_type].add(candidate)
        known.slugs[post_type, wp_id] = candidate
    return known


class Conversion:
    """One post's HTML turned into chunks for importing.build_body, with what was removed,
    which images were used and which were missing."""

    def __init__(self, importer, item):
        self.importer, self.item, self.known = importer, item, importer.known
        self.notes = []
        self.removed = Counter()

    # The text, before it is parsed: shortcodes, classic-editor paragraphs.
    def prepared(self, content):
        block_editor = "<!-- wp:" in content
        content = BLOCK_COMMENT.sub("\n\n", content)
        content = CAPTION.sub(self.caption_shortcode, content)
        content = EMBED.sub(lambda match: f"\n\n{match.group(1).strip()}\n\n", content)
        content = GALLERY.sub(self.gallery_shortcode, content)
        content = SHORTCODE.sub(self.unknown_shortcode, content)
        return content if block_editor else autop(content)

    def caption_shortcode(self, match):
        found = CAPTIONED_IMAGE.match(match.group(2))
        if not found:
            return match.group(2)
        caption = dict(ATTRIBUTE.findall(match.group(1))).get("caption") or found.group(2)
        return f"<figure>{found.group(1)}<figcaption>{caption.strip()}</figcaption></figure>"

    def gallery_shortcode(self, match):
        ids = dict(ATTRIBUTE.findall(match.group(1))).get("ids", "")
        if ids:
            chosen = [int(part) for part in re.findall(r"\d+", ids)]
        else:
            chosen = [
                wp_id
                for wp_id, attachment in self.known.attachments.items()
                if attachment.parent == self.item.wp_id
            ]
        images = "".join(
            f'<figure><img src="{self.known.attachments[wp_id].url}" data-id="{wp_id}"></figure>'
            for wp_id in chosen
            if wp_id in self.known.attachments
        )
        missing = [wp_id for wp_id in chosen if wp_id not in self.known.attachments]
        if missing:
            self.notes.append(f"The gallery names files not in the export: {missing}.")
        return f"<div>{images}</div>"

    def unknown_shortcode(self, match):
        self.removed[f"shortcode [{match.group(1)}]"] += 1
        return ""

    # The parsed HTML, element by element, into chunks.
    def chunks(self, content):
        soup = BeautifulSoup(self.prepared(content), "html.parser")
        for tag in soup.find_all(True):
            for attribute in list(tag.attrs):
                if attribute.lower().startswith("on"):
                    self.removed["event handlers (on...)"] += 1
                elif attribute.lower() == "style":
                    self.removed["inline styles"] += 1
        chunks = []
        self.walk(soup.children, chunks)
        return chunks

    def walk(self, nodes, chunks):
        inline = []
        for node in nodes:
            if isinstance(node, Element) and not self.is_inline(node):
                self.flush(inline, chunks)
                self.block(node, chunks)
            elif not isinstance(node, Comment):
                inline.append(node)
        self.flush(inline, chunks)

    def flush(self, inline, chunks):
        images = []
        raw = "".join(node.get_text() for node in inline).strip()
        text = "".join(self.markdown(node, images) for node in inline)
        text = re.sub(r" *\n *", "\n", text).strip()
        inline.clear()
        chunks.extend(images)
        if re.fullmatch(r"\S+", raw) and video_player_url(raw):
            chunks.append(("video", {"url": raw, "title": self.video_title()}))
        elif text:
            chunks.append(escape_start(text))

    def video_title(self):
        return (self.item.title or "Video")[:120]

    @staticmethod
    def is_inline(node):
        return node.name not in CONTAINERS and not STARTS_WITH_BLOCK.match(f"<{node.name}")

    def block(self, tag, chunks):
        name = tag.name
        if name in REMOVED_TAGS:
            self.removed[REMOVED_TAGS[name]] += 1
        elif name == "iframe":
            self.iframe(tag, chunks)
        elif re.fullmatch(r"h[1-6]", name):
            text = " ".join(self.markdown(tag, chunks).split())
            if text:
                chunks.append(f"{'###' if name in {'h4', 'h5', 'h6', 'h3'} else '##'} {text}")
        elif name == "p":
            self.walk(tag.children, chunks)
        elif name in {"ul", "ol"}:
            self.list(tag, chunks)
        elif name == "blockquote":
            self.quote(tag, chunks)
        elif name == "table":
            self.table(tag, chunks)
        elif name == "figure":
            self.figure(tag, chunks)
        elif name == "pre":
            lines = [escape_start(line) for line in tag.get_text().splitlines() if line.strip()]
            if lines:
                chunks.append("\n".join(lines))
        elif name in CONTAINERS or name in {"dl", "dt", "dd", "li", "address"}:
            self.walk(tag.children, chunks)
        # hr, figcaption outside a figure, table parts outside a table: nothing to keep

    def iframe(self, tag, chunks):
        source = tag.get("src", "")
        if video_player_url(source):
            title = (tag.get("title") or self.video_title())[:120]
            chunks.append(("video", {"url": source, "title": title}))
        else:
            self.removed["iframes other than YouTube and Vimeo"] += 1

    def list(self, tag, chunks):
        if tag.find(["ul", "ol", "img", "table"]):
            # Nested lists keep their HTML; the pictures in them are left out.
            if tag.find("img"):
                self.notes.append("A list held pictures; they were left out.")
            chunks.append(("html", self.links_rewritten(str(tag))))
            return
        lines = []
        for number, item in enumerate(tag.find_all("li", recursive=False), start=1):
            text = " ".join(self.markdown(item, []).split())
            if text:
                lines.append(f"{f'{number}.' if tag.name == 'ol' else '-'} {text}")
        if lines:
            chunks.append("\n".join(lines))

    def quote(self, tag, chunks):
        """A quote block with its <cite> as the attribution and its paragraphs kept; one too
        long for a block goes on in the next, the attribution under the last."""
        citations = [" ".join(cite.get_text(" ").split()) for cite in tag.find_all("cite")]
        for inner in tag.find_all(["cite", *REMOVED_TAGS, "iframe"]):
            if inner.name in REMOVED_TAGS:
                self.removed[REMOVED_TAGS[inner.name]] += 1
            elif inner.name == "iframe":
                self.removed["iframes other than YouTube and Vimeo"] += 1
            inner.decompose()
        for line_break in tag.find_all("br"):
            line_break.replace_with(LINE_BREAK)
        for part in tag.find_all(re.compile(r"^(p|div|li|h[1-6])$")):
            part.insert_after(PARAGRAPH_BREAK)
        paragraphs = []
        for paragraph in tag.get_text().split(PARAGRAPH_BREAK):
            lines = [" ".join(line.split()) for line in paragraph.split(LINE_BREAK)]
            if text := "\n".join(line for line in lines if line):
                paragraphs.append(text)
        attribution = Truncator(" ".join(filter(None, citations)).strip(" \u2014-")).chars(
            ATTRIBUTION_MAX_LENGTH
        )
        quotes = packed(paragraphs, QUOTE_MAX_LENGTH)
        for number, text in enumerate(quotes, start=1):
            last = number == len(quotes)
            chunks.append(("quote", {"quote": text, "attribution": attribution if last else ""}))

    def table(self, tag, chunks):
        rows = [
            [" ".join(cell.get_text(" ").split())[:250] for cell in row.find_all(["th", "td"])]
            for row in tag.find_all("tr")
        ]
        rows = [row for row in rows if any(row)]
        if rows:
            caption = tag.find("caption")
            chunks.append(
                (
                    "table",
                    {
                        "caption": caption.get_text(" ", strip=True)[:250] if caption else "",
                        "header_row": bool(tag.find("th")),
                        "rows": rows,
                    },
                )
            )

    def figure(self, tag, chunks):
        classes = " ".join(tag.get("class", []))
        if "wp-block-embed" in classes:
            iframe = tag.find("iframe")
            url = iframe.get("src", "") if iframe else tag.get_text(" ", strip=True).split(" ")[0]
            if video_player_url(url):
                chunks.append(("video", {"url": url, "title": self.video_title()}))
            else:
                self.removed["embeds other than YouTube and Vimeo"] += 1
            return
        if tag.find("table"):
            self.table(tag.find("table"), chunks)
            return
        inner = tag.find_all("figure")
        if inner:  # a gallery: each picture with its own caption
            for figure in inner:
                self.figure(figure, chunks)
            return
        caption = tag.find("figcaption")
        caption_text = caption.get_text(" ", strip=True) if caption else ""
        if caption:
            caption.decompose()
        images = tag.find_all("img")
        for image in images:
            self.image(image, chunks, caption_text)
        if not images:
            self.walk(tag.children, chunks)

    def image(self, tag, chunks, caption=""):
        wp_id = tag.get("data-id") or next(
            (name[9:] for name in tag.get("class", []) if name.startswith("wp-image-")), None
        )
        found = self.importer.image_for(tag.get("src", ""), wp_id, self)
        if found is None:
            return
        image, alt = found
        alt = (tag.get("alt") or "").strip() or alt
        if not alt:
            self.notes.append(
                f"The picture {image.title!r} has no alt text: describe it in the admin."
            )
        chunks.append(
            (
                "image",
                {
                    "image": {"image": image.pk, "alt_text": alt[:250], "decorative": False},
                    "caption": caption[:250],
                },
            )
        )

    def markdown(self, node, images):
        """Inline HTML as Markdown for importing.build_body; pictures go to `images`."""
        if isinstance(node, Comment):
            return ""
        if isinstance(node, NavigableString):
            return escape_markdown(re.sub(r"\s+", " ", str(node)))
        name = node.name
        if name in REMOVED_TAGS:
            self.removed[REMOVED_TAGS[name]] += 1
            return ""
        if name == "img":
            self.image(node, images)
            return ""
        if name == "iframe":
            self.iframe(node, images)
            return ""
        if name == "br":
            return "\n"
        inner = "".join(self.markdown(child, images) for child in node.children)
        if not inner.strip():
            return inner
        if name in {"strong", "b"}:
            return wrapped(inner, "**", "**")
        if name in {"em", "i"}:
            return wrapped(inner, "*", "*")
        if name == "a" and node.get("href"):
            href = self.importer.new_address(node["href"])
            if href.startswith(("http://", "https://", "mailto:", "tel:", "/", "#")):
                return wrapped(inner, "[", f"]({href.replace(' ', '%20').replace(')', '%29')})")
        return inner

    def links_rewritten(self, html):
        soup = BeautifulSoup(html, "html.parser")
        for link in soup.find_all("a", href=True):
            link["href"] = self.importer.new_address(link["href"])
        return str(soup)


def packed(paragraphs, limit):
    """Paragraphs joined by blank lines into texts of at most `limit` characters; a paragraph
    longer than that alone is cut at a sentence's end, else between words."""
    parts = []
    for paragraph in paragraphs:
        while len(paragraph) > limit:
            cut = paragraph.rfind(". ", 0, limit) + 1 or paragraph.rfind(" ", 0, limit) + 1
            cut = cut or limit
            parts.append(paragraph[:cut].strip())
            paragraph = paragraph[cut:].strip()
        parts.append(paragraph)
    texts = []
    for part in filter(None, parts):
        if texts and len(texts[-1]) + 2 + len(part) <= limit:
            texts[-1] += "\n\n" + part
        else:
            texts.append(part)
    return texts


def wrapped(text, before, after):
    """Markdown emphasis or a link around text, its surrounding spaces kept outside."""
    stripped = text.strip()
    start = text[: len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()) :]
    return f"{start}{before}{stripped}{after}{end}"


def escape_markdown(text):
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


def escape_start(text):
    """Text that Markdown must not read as a list, heading or quote (its start)."""
    return re.sub(r"^(\d+)([.)])(?=\s)", r"\1\\\2", re.sub(r"^([-+#])", r"\\\1", text))


def autop(content):
    """The classic editor's paragraphs: text separated by blank lines, like WordPress's wpautop."""
    content = BLOCK_TAG.sub(r"\n\n\1\n\n", content.replace("\r\n", "\n"))
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", content):
        chunk = chunk.strip()
        if not chunk:
            continue
        if STARTS_WITH_BLOCK.match(chunk) or chunk.startswith("<!--"):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(paragraphs)


def seo_text(value):
    """A Yoast or Rank Math title without its %%variables%% and dangling separators."""
    text = SEO_VARIABLE.sub("", value)
    return re.sub(r"^[\s|\-\u2013\u2014\u00b7:]+|[\s|\-\u2013\u2014\u00b7:]+$", "", text).strip()


class WordPressImporter:
    """Import an export under an article index; `run()` returns the Report."""

    def __init__(self, export, index, *, uploads=None, dry_run=False, progress=None):
        self.export, self.index = export, index
        self.home = index.get_parent().specific
        self.site = index.get_site()
        self.uploads = uploads if isinstance(uploads, Uploads) else Uploads(uploads)
        self.report = Report(dry_run=dry_run)
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total: None)
        self.related = {}  # report entry -> (page id, titles): pinned once every post is in
        self.batch = Deferred()  # of the posts imported since the last flush()
        self.staged = Deferred()  # of the post being imported
        self.seen = set()  # (kind, post id) met so far

    def run(self):
        # A dry run does everything in one transaction and rolls it back; a real one
        # commits post by post.
        with (
            transaction.atomic() if self.dry_run else contextlib.nullcontext(),
            search_index_deferred([BlogPostPage, StandardPage]),
        ):
            self.known = first_reading(self.source(), self.index)
            if not self.known.site_url:
                raise WordPressImportError(
                    "This is not a WordPress export: it names no blog address."
                )
            articles = BlogPostPage.objects.child_of(self.index).order_by("path")
            self.titled = {}  # lowercased title -> article id, of the articles in so far
            for pk, title in articles.values_list("pk", "title"):
                self.titled.setdefault(title.lower(), pk)
            # Looked up by name for each post, kept rather than asked for each time.
            self.therapists = {
                therapist.name.lower(): therapist for therapist in Therapist.objects.all()
            }
            self.categories = {
                category.name.lower(): category for category in BlogCategory.objects.all()
            }
            try:
                self.import_items()
                self.staged = self.batch  # what follows is done once, for all the posts
                self.pin_related()
                self.archive_redirects()
            finally:  # even when the export breaks off, the posts imported are complete
                self.flush()
            if self.dry_run:
                transaction.set_rollback(True)
        return self.report

    def import_items(self):
        done = 0
        later = []
        for kind, item in read_export(self.source()):
            if kind != "item":
                continue
            if item.post_type == "page" and item.parent and not self.imported("page", item):
                later.append(item)  # its parent page may come further down
                continue
            self.one(item)
            if item.post_type in {"post", "page"}:
                done += 1
                self.progress(done, self.known.total)
        for item in later:
            self.one(item)
            done += 1
            self.progress(done, self.known.total)

    def flush(self):
        """Write what the batch of posts imported left: redirects, search index entries."""
        batch, self.batch = self.batch, Deferred()
        with transaction.atomic():
            targets = batch.redirects
            for redirect in Redirect.objects.filter(site=self.site, old_path__in=targets):
                page_id, route = targets.pop(redirect.old_path)
                if (redirect.redirect_page_id, redirect.redirect_page_route_path) != (
                    page_id,
                    route,
                ):
                    Redirect.objects.filter(pk=redirect.pk).update(
                        redirect_page_id=page_id,
                        redirect_page_route_path=route,
                        redirect_link="",
                        is_permanent=True,
                    )
            Redirect.objects.bulk_create(
                (
                    Redirect(
                        old_path=path,
                        site=self.site,
                        is_permanent=True,
                        redirect_page_id=page_id,
                        redirect_page_route_path=route,
                    )
                    for path, (page_id, route) in targets.items()
                ),
                batch_size=500,
            )
            by_model = defaultdict(set)
            for page in batch.pages:
                by_model[type(page)].add(page.pk)
            for model, pks in by_model.items():
                pages = list(model.get_indexed_objects().filter(pk__in=pks))
                for backend in get_search_backends(with_auto_update=True):
                    backend.add_bulk(model, pages)

    def source(self):
        if isinstance(self.export, bytes):
            return io.BytesIO(self.export)
        if hasattr(self.export, "seek"):
            self.export.seek(0)
        return self.export

    def imported(self, kind, item):
        return WordPressItem.objects.filter(
            wordpress_site=self.known.site_url, kind=kind, key=str(item.parent)
        ).exists()

    def one(self, item):
        self.report.comments += item.comments
        entry = Outcome(wp_id=item.wp_id, kind=item.post_type or "item", title=item.title)
        self.report.items.append(entry)
        if item.post_type == "attachment":
            entry.outcome = "skipped"
            entry.notes.append("A media file: imported with the posts that show it.")
            return
        if item.post_type not in {"post", "page"}:
            entry.outcome = "skipped"
            entry.notes.append(
                f"A WordPress {item.post_type or 'record'} (menus, reusable blocks and "
                "plug-in records are not content to import)."
            )
            return
        if item.status in {"trash", "auto-draft", "inherit"}:
            entry.outcome = "skipped"
            entry.notes.append(f"Its status in WordPress is {item.status!r}.")
            return
        if (item.post_type, item.wp_id) in self.seen:
            entry.outcome = "skipped"
            entry.notes.append("The export holds it twice: imported once.")
            return
        self.seen.add((item.post_type, item.wp_id))
        self.staged = Deferred(posts=1)
        try:
            # Wagtail would index a page's references at each of its saves (page, revision,
            # publish: ten times a post); finish() indexes them once.
            with transaction.atomic(), disable_reference_index_auto_update():
                if item.post_type == "post":
                    self.post(item, entry)
                else:
                    self.page(item, entry)
        # One post must not stop the others: whatever went wrong is reported as its reason.
        except Exception as error:
            logger.warning("WordPress post %s not imported", item.wp_id, exc_info=True)
            entry.outcome = "failed"
            entry.notes.append(f"{type(error).__name__}: {error}"[:500])
            return
        self.batch.merge(self.staged)
        self.titled.update(self.staged.titled)
        self.categories.update(self.staged.categories)
        if self.batch.posts >= BATCH:
            self.flush()

    def status_of(self, item, published_at, entry):
        if item.password or item.status == "private":
            why = "password-protected" if item.password else "private"
            entry.notes.append(f"It was {why} in WordPress: kept as a draft, never public.")
            return DRAFT
        if item.status == "future" and published_at > timezone.now():
            return SCHEDULED
        if item.status in {"publish", "future"}:
            return PUBLIC
        return DRAFT

    def post(self, item, entry):
        published_at = item.published_at()
        status = self.status_of(item, published_at, entry)
        conversion = Conversion(self, item)
        article = importing.ImportedArticle(
            title=(item.title or untitled(item, published_at))[:255],
            authors=[name for name in [self.known.authors.get(item.creator, item.creator)] if name],
            categories=list(dict.fromkeys(name for _, name in item.categories if name)),
            tags=list(dict.fromkeys(name[:100] for _, name in item.tags if name)),
        )
        if not item.title:
            entry.notes.append(f"It has no title in WordPress; it is now {article.title!r}.")
        excerpt = importing.plain_text(strip_tags(item.excerpt))
        importing.build_body(article, conversion.chunks(item.content), intro=excerpt)
        if not article.body and article.intro:  # one paragraph: both intro and text
            article.body = [{"type": "paragraph", "value": f"<p>{escape_html(article.intro)}</p>"}]
        if not article.body:
            article.body = [{"type": "paragraph", "value": f"<p>{escape_html(article.title)}</p>"}]
            if status != DRAFT:
                status = DRAFT
                entry.notes.append("It has no text of its own to show: kept as a draft.")
        intro = " ".join((article.intro or article.title).split())
        article.intro = Truncator(intro).chars(importing.INTRO_MAX_LENGTH)
        hero = self.featured_image(item, conversion)

        record = self.record("post", item)
        post = record.page.specific if record.page else None
        entry.outcome = "updated" if post else "created"
        if post is None:
            post = BlogPostPage(slug=self.known.slugs["post", item.wp_id], live=False)
        post.title = article.title
        post.draft_title = article.title
        post.intro = article.intro
        post.body = self.pinned(article, entry, post)
        post.date_published = published_at.date()
        post.seo_title, post.search_description = self.seo(item)
        post.hero_image, post.hero_alt = hero if hero else (None, article.hero_alt)
        post.hero_is_decorative = False
        therapists = importing.matched_therapists(article, known=self.therapists)
        post.post_authors = [BlogPostAuthor(therapist=therapist) for therapist in therapists]
        # A category is known to the next posts only once this one is in.
        known = ChainMap(self.staged.categories, self.categories)
        post.categories = importing.matched_categories(article, known=known)
        post.tags.set(article.tags)
        post.go_live_at = published_at if status == SCHEDULED else None
        new = not post.pk
        if new:
            self.index.add_child(instance=post)
        self.save(post, status, published_at, new=new)
        record.page = post
        record.save()
        if entry in self.related:
            self.related[entry] = (post.pk, article.related_titles)
        self.staged.titled.setdefault(post.title.lower(), post.pk)
        self.finish(entry, post, status, item, article.notes + conversion.notes, conversion)

    def page(self, item, entry):
        published_at = item.published_at()
        status = self.status_of(item, published_at, entry)
        if CONTACT_FORM.search(item.content):
            entry.outcome = "skipped"
            contact = ContactPage.objects.live().first()
            entry.notes.append(
                "A contact form: the site's own contact page and booking form replace it"
                + (", and its old address leads there." if contact else ".")
            )
            if contact:
                self.redirect_item(item, contact)
            return
        record = self.record("page", item)
        page = record.page.specific if record.page else None
        slug = self.known.slugs["page", item.wp_id]
        if page is None:
            existing = self.home.get_children().filter(slug=slug).first()
            if existing and item.parent == 0:
                entry.outcome = "skipped"
                entry.notes.append(
                    f"The site already has a page at {existing.url}: its old address leads there."
                )
                self.redirect_item(item, existing)
                return
        conversion = Conversion(self, item)
        article = importing.ImportedArticle(title=(item.title or f"Page {item.wp_id}")[:255])
        excerpt = importing.plain_text(strip_tags(item.excerpt))
        importing.build_body(article, conversion.chunks(item.content), intro=excerpt)
        body = rich_text_of(article.body, conversion)
        if not body and article.intro:
            body, article.intro = f"<p>{escape_html(article.intro)}</p>", ""
        if not body:
            entry.outcome = "skipped"
            entry.notes.append("It has no text to import.")
            return
        entry.outcome = "updated" if page else "created"
        if page is None:
            page = StandardPage(slug=slug, live=False)
        page.title = page.draft_title = article.title
        page.intro = article.intro
        page.body = body
        page.seo_title, page.search_description = self.seo(item)
        new = not page.pk
        if new:
            parent = self.home
            if item.parent:
                parent_record = WordPressItem.objects.filter(
                    wordpress_site=self.known.site_url, kind="page", key=str(item.parent)
                ).first()
                if parent_record and parent_record.page:
                    parent = parent_record.page.specific
            parent.add_child(instance=page)
        page.go_live_at = published_at if status == SCHEDULED else None
        self.save(page, status, published_at, new=new)
        record.page = page
        record.save()
        self.finish(entry, page, status, item, article.notes + conversion.notes, conversion)

    def pinned(self, article, entry, post):
        """The body with its related articles pinned, when those it names are in; those
        imported later are pinned once every post is (pin_related)."""
        probe = importing.ImportedArticle(
            title=article.title, related_titles=article.related_titles
        )
        body = [
            dict(block, value=importing.pin_related(block, self.index, probe, titled=self.titled))
            for block in article.body
        ]
        later = [title for title in article.related_titles if title.lower() in self.known.titles]
        named = sum(
            len(block["value"]["posts"]) for block in body if block["type"] == "related_posts"
        )
        if named < len(later):
            self.related[entry] = None
        else:
            article.notes.extend(probe.notes)
        return body

    def finish(self, entry, page, status, item, notes, conversion):
        ReferenceIndex.create_or_update_for_object(page)
        self.staged.pages.append(page)
        entry.status, entry.url = status, page.url or page.url_path
        entry.notes.extend(dict.fromkeys(notes))
        self.report.removed.update(conversion.removed)
        if conversion.removed:
            entry.notes.append(
                "Removed: " + ", ".join(f"{name} ({n})" for name, n in conversion.removed.items())
            )
        self.redirect_item(item, page)

    def save(self, page, status, published_at, *, new):
        if status == PUBLIC and not page.first_published_at:
            page.first_published_at = published_at
        # A new page was validated as it was added.
        revision = page.save_revision(log_action=True, clean=not new)
        if status in {PUBLIC, SCHEDULED}:
            revision.publish()
        elif page.live:
            page.unpublish()

    def record(self, kind, item):
        return self.known.records.get((kind, item.wp_id)) or WordPressItem(
            wordpress_site=self.known.site_url, kind=kind, key=str(item.wp_id)
        )

    def seo(self, item):
        title = item.meta.get("_yoast_wpseo_title") or item.meta.get("rank_math_title") or ""
        description = (
            item.meta.get("_yoast_wpseo_metadesc") or item.meta.get("rank_math_description") or ""
        )
        return seo_text(title)[:255], seo_text(description)

    def featured_image(self, item, conversion):
        wp_id = item.meta.get("_thumbnail_id", "").strip()
        if not wp_id.isdigit():
            return None
        attachment = self.known.attachments.get(int(wp_id))
        if attachment is None:
            conversion.notes.append(f"Its featured image ({wp_id}) is not in the export.")
            return None
        found = self.image_for(attachment.url, wp_id, conversion)
        if found is None:
            return None
        image, alt = found
        if not alt:
            conversion.notes.append(
                f"Its featured image {image.title!r} has no alt text in WordPress: it is in "
                "the image library; set it as the hero with a description."
            )
            return None
        return image, alt[:250]

    def image_for(self, url, wp_id, conversion):
        """The library image of a file the post shows, with its WordPress alt text, or None
        (noted) when the uploads hold no such file."""
        path = uploads_path(url)
        attachment_id = int(wp_id) if str(wp_id or "").isdigit() else None
        attachment_id = attachment_id or self.known.attachment_ids.get(RESIZED.sub("", path))
        attachment_id = attachment_id or self.known.attachment_ids.get(path)
        attachment = self.known.attachments.get(attachment_id)
        found = self.uploads.find(uploads_path(attachment.url) if attachment else path)
        found = found or self.uploads.find(path)
        if found is None:
            conversion.notes.append(f"The picture {PurePosixPath(path).name} was not found.")
            return None
        alt = attachment.alt if attachment else ""
        record = WordPressItem.objects.filter(
            wordpress_site=self.known.site_url, kind="file", key=found[:255]
        ).first()
        if record and record.image:
            return record.image, alt
        self.report.images += 1
        if self.dry_run:
            return None  # found; nothing is written in a dry run
        title = (attachment.title if attachment else "") or PurePosixPath(found).stem
        image = get_image_model()(title=title[:255], description=alt[:255])
        image.file = ImageFile(io.BytesIO(self.uploads.read(found)), name=PurePosixPath(found).name)
        image.save()
        WordPressItem.objects.create(
            wordpress_site=self.known.site_url, kind="file", key=found[:255], image=image
        )
        return image, alt

    def new_address(self, href):
        """A link to another imported post or page, pointed at its new address."""
        parsed = urlparse(urljoin(self.known.site_url + "/", href))
        if parsed.netloc not in self.known.hosts:
            return href
        target = self.known.old_paths.get(normalised(href.split("#")[0] or "/"))
        if target is None or target not in self.known.slugs:
            return href
        kind = target[0]
        parent = self.index if kind == "post" else self.home
        anchor = f"#{parsed.fragment}" if parsed.fragment else ""
        return f"{parent.url}{self.known.slugs[target]}/{anchor}"

    def redirect_item(self, item, page):
        paths = set(self.known.paths_of.get(item.wp_id, ()))
        if item.slug:
            paths.add(normalised(f"/{item.slug}/feed/"))
        self.redirect(paths, page)

    def redirect(self, paths, page, route=""):
        """Old addresses to lead to the page (or a route of it), written by flush()."""
        new = normalised(page.url or "/") if not route else None
        paths = {path for path in paths if path not in {new, "/", ""}}
        for path in paths:
            self.staged.redirects[path] = (page.pk, route)
        self.report.redirects += len(paths)

    def archive_redirects(self):
        """Category, tag, author and feed addresses of the old blog, and the further pages
        of each archive (/page/2/), to their pages here."""
        listed = self.known.listed
        with transaction.atomic():
            for nicename, (name, parent) in self.known.categories.items():
                category = BlogCategory.objects.filter(name__iexact=name[:80]).first()
                if category is None:
                    continue
                count = listed["category", nicename]
                paths = paged(f"/category/{nicename}/", count)
                if parent:
                    paths |= paged(f"/category/{parent}/{nicename}/", count)
                route = f"/category/{category.slug}/"
                self.redirect({normalised(path) for path in paths}, self.index, route)
                self.redirect(
                    {normalised(f"/category/{nicename}/feed/")}, self.index, route + "feed/"
                )
            for slug, name in self.known.tags.items():
                tag = Tag.objects.filter(name=name[:100]).first()
                if tag:
                    paths = paged(f"/tag/{slug}/", listed["tag", slug]) | {f"/tag/{slug}/feed/"}
                    self.redirect(
                        {normalised(path) for path in paths}, self.index, f"/tag/{tag.slug}/"
                    )
            self.author_redirects()
            self.redirect({normalised(path) for path in FEEDS}, self.index, "/feed/")
            self.redirect(
                {normalised(path) for path in paged("/", self.known.published)}, self.index
            )

    def author_redirects(self):
        """An author's archive leads to the team page when the author is one of the
        clinic's therapists, else to the articles."""
        team = TeamPage.objects.live().first()
        therapists = {name.lower() for name in Therapist.objects.values_list("name", flat=True)}
        for login, name in self.known.authors.items():
            if not login:
                continue
            paths = set()
            # WordPress makes an author's address from the login: lowercased, "." -> "-".
            for nicename in {slugify(login), slugify(login.replace(".", "-"))}:
                paths |= paged(f"/author/{nicename}/", self.known.listed["author", login])
                paths.add(f"/author/{nicename}/feed/")
            if login in self.known.author_ids:
                paths.add(f"/?author={self.known.author_ids[login]}")
            target = team if team and name.lower() in therapists else self.index
            self.redirect({normalised(path) for path in paths}, target)

    def pin_related(self):
        """The "More posts like this" lists, pinned to the imported articles they name."""
        for entry, (page_id, titles) in self.related.items():
            with transaction.atomic():
                post = BlogPostPage.objects.get(pk=page_id)
                draft = post.get_latest_revision_as_object()
                article = importing.ImportedArticle(title=draft.title, related_titles=titles)
                body = [dict(block) for block in draft.body.raw_data]
                for block in body:
                    if block["type"] == "related_posts":
                        block["value"] = importing.pin_related(
                            block, self.index, article, titled=self.titled
                        )
                draft.body = body
                revision = draft.save_revision()
                if post.live or post.go_live_at:
                    revision.publish()
                entry.notes.extend(article.notes)
            self.staged.pages.append(post)


def paged(path, count):
    """An archive's address and those of its further pages, as many as it could have had."""
    pages = -(-count // ARCHIVE_PAGE_SIZE)  # rounded up
    return {path, *(f"{path}page/{number}/" for number in range(2, pages + 1))}


def untitled(item, published_at):
    return f"Untitled post of {published_at:%-d %B %Y}"


def escape_html(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rich_text_of(body, conversion):
    """A page's blocks as the rich text of a standard page (which holds no pictures)."""
    parts = []
    for block in body:
        kind, value = block["type"], block["value"]
        if kind == "heading":
            parts.append(f"<{value['level']}>{escape_html(value['text'])}</{value['level']}>")
        elif kind == "paragraph":
            parts.append(value)
        elif kind == "advice":
            parts.append(f"<p><b>{escape_html(value['label'])}:</b></p>{value['text']}")
        elif kind == "quote":
            quoted = value["quote"].split("\n\n")
            parts.extend(f"<p><i>{escape_html(text)}</i></p>" for text in quoted)
            if value["attribution"]:
                parts.append(f"<p>\u2014 {escape_html(value['attribution'])}</p>")
        elif kind == "table":
            rows = ["<p>" + escape_html(" | ".join(row)) + "</p>" for row in value["rows"]]
            parts.append("".join(rows))
        elif kind == "video":
            parts.append(
                f'<p><a href="{escape_html(value["url"])}">{escape_html(value["title"])}</a></p>'
            )
        elif kind == "image":
            conversion.notes.append(
                "A standard page shows no pictures: its pictures were left out."
            )
        elif kind in {"cta", "related_posts"}:
            conversion.notes.append(
                "Its call to action or related-articles list was left out: a standard page has "
                "neither (the clinic's phone and booking link show on every page)."
            )
    return "".join(parts)


def find_index(slug):
    return BlogIndexPage.objects.filter(slug=slug).first()
