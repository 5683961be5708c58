"""Articles: the blog index, its posts, and the categories that group them."""

import datetime
import math
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from blog import seo
from blog.blocks import ArticleBlock
from clinic import content_version
from clinic.models import visible

WORDS_READ_PER_MINUTE = 220
# How many of the newest posts sharing a topic or tag are weighed for "More posts like this".
RELATED_CANDIDATES = 200


class BlogCategory(models.Model):
    """A topic patients browse by, such as Back pain or Sciatica."""

    name = models.CharField(max_length=80, unique=True, help_text="e.g. Back pain.")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        blank=True,
        help_text="The address of the category page, /blog/category/<slug>/. "
        "Left empty, it is made from the name.",
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="One sentence shown on the category page and in its feed.",
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = "article category"
        verbose_name_plural = "article categories"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class SearchSynonym(models.Model):
    """Words patients type for what the site's pages call otherwise: searching the phrase
    also searches its meaning."""

    phrase = models.CharField(
        max_length=100,
        unique=True,
        help_text="What patients type, e.g. 'slipped disc'. Capitals do not matter.",
    )
    means = models.CharField(
        max_length=100,
        help_text="The words our pages use for it, e.g. 'herniated disc'.",
    )

    panels = [FieldPanel("phrase"), FieldPanel("means")]

    class Meta:
        ordering = ["phrase"]
        verbose_name = "search synonym"

    def __str__(self):
        return f"{self.phrase} → {self.means}"

    def save(self, *args, **kwargs):
        self.phrase = " ".join(self.phrase.lower().split())
        super().save(*args, **kwargs)


class BlogPostTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.BlogPostPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


def authors_prefetch():
    """Each post's authors with their team page and photo, and the photos' renditions."""
    return Prefetch(
        "post_authors",
        queryset=BlogPostAuthor.objects.select_related(
            "therapist__team_page", "therapist__photo"
        ).prefetch_related("therapist__photo__renditions"),
    )


def post_listing(queryset):
    """Posts with everything a card shows, in a fixed number of queries."""
    return (
        visible(queryset)
        .select_related("hero_image")
        .prefetch_related("hero_image__renditions", authors_prefetch())
        .order_by("-date_published", "-pk")
    )


class BlogIndexPage(RoutablePageMixin, Page):
    """The list of articles at /blog/, with category, tag and feed addresses of its own."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A sentence or two above the list of articles.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["clinic.HomePage"]
    subpage_types = ["blog.BlogPostPage"]
    posts_per_page = 9

    class Meta:
        verbose_name = "article index"

    def posts(self):
        return post_listing(BlogPostPage.objects.child_of(self))

    def route(self, request, path_components):
        """The index's own addresses first (feed, categories, tags: RoutablePageMixin); an
        article then in one query with its hero image and the reviewer its byline names,
        where Wagtail's `Page.route` reads the page and then its article row."""
        if self.live and len(path_components) == 1:
            try:
                self.resolve_subpage(f"/{path_components[0]}/")
            except Http404:
                post = (
                    BlogPostPage.objects.child_of(self)
                    .filter(slug=path_components[0])
                    .select_related("hero_image", "reviewed_by")
                    .first()
                )
                if post is None or not post.live:
                    raise Http404 from None
                return RouteResult(post)
        return super().route(request, path_components)

    def paginate(self, request, posts):
        """This page of `posts`; 404 past the last page."""
        raw_number = request.GET.get("page", "1")
        try:
            return Paginator(posts, self.posts_per_page).page(raw_number)
        except (PageNotAnInteger, EmptyPage) as error:
            raise Http404(f"There is no page {raw_number[:20]!r} of articles.") from error

    def listing_response(self, request, posts, *, category=None, tag=None):
        # Read first (clinic/content_version.py): the topics and cards are read only when
        # their fragment is not kept.
        version = content_version.version()
        page_of_posts = self.paginate(request, posts)
        canonical = seo.absolute(request, request.path)
        if page_of_posts.number > 1:
            canonical += f"?page={page_of_posts.number}"
        topics = BlogCategory.objects.filter(
            pk__in=BlogPostPage.objects.child_of(self).live().values("categories")
        )
        return self.render(
            request,
            context_overrides={
                "posts": page_of_posts,
                "canonical": canonical,
                "category": category,
                "tag": tag,
                "categories": topics,
                "content_version": version,
            },
        )

    @path("")
    def all_posts(self, request):
        return self.listing_response(request, self.posts())

    @path("category/<slug:slug>/")
    def category_posts(self, request, slug):
        category = get_object_or_404(BlogCategory, slug=slug)
        return self.listing_response(
            request, self.posts().filter(categories=category), category=category
        )

    # A tag's slug keeps its letters (taggit's "περιεχόμενο"), which <slug:> refuses.
    @path("tag/<str:slug>/")
    def tag_posts(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        return self.listing_response(request, self.posts().filter(tags=tag), tag=tag)

    @path("feed/")
    def feed(self, request):
        from blog.feeds import PostFeed  # feeds import these models

        return PostFeed(self)(request)

    @path("category/<slug:slug>/feed/")
    def category_feed(self, request, slug):
        from blog.feeds import PostFeed  # feeds import these models

        return PostFeed(self, get_object_or_404(BlogCategory, slug=slug))(request)

    def get_cached_paths(self):
        """Every address of this index a front cache may hold (purged on each publish):
        the list, its pages, the feed, and each category's and tag's list."""
        posts = BlogPostPage.objects.child_of(self).live()
        pages = math.ceil(posts.count() / self.posts_per_page)
        paths = ["/", "/feed/", *(f"/?page={number}" for number in range(2, pages + 1))]
        for slug in BlogCategory.objects.filter(pk__in=posts.values("categories")).values_list(
            "slug", flat=True
        ):
            paths += [f"/category/{quote(slug)}/", f"/category/{quote(slug)}/feed/"]
        for slug in Tag.objects.filter(pk__in=posts.values("tags")).values_list("slug", flat=True):
            paths.append(f"/tag/{quote(slug)}/")
        return paths

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        for category in BlogCategory.objects.filter(
            pk__in=BlogPostPage.objects.child_of(self).live().values("categories")
        ):
            urls.append(
                {"location": f"{base}{self.reverse_subpage('category_posts', [category.slug])}"}
            )
        return urls


class BlogPostAuthor(Orderable):
    """One therapist credited on a post, in the order the byline shows them."""

    page = ParentalKey("blog.BlogPostPage", on_delete=models.CASCADE, related_name="post_authors")
    therapist = models.ForeignKey(
        "clinic.Therapist",
        on_delete=models.PROTECT,
        related_name="authored_posts",
        help_text="A therapist who wrote this article.",
    )

    panels = [FieldPanel("therapist")]

    class Meta(Orderable.Meta):
        verbose_name = "author"
        constraints = [
            models.UniqueConstraint(fields=["page", "therapist"], name="one_credit_per_author"),
        ]


class BlogPostPage(Page):
    """An article a therapist writes for patients."""

    intro = models.TextField(
        max_length=600,
        help_text="One or two sentences that open the article and appear on its card, "
        "in the feed and in search results.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A wide photo (16:9, at least 1600 px wide) shown at the top of the article "
        "and on its card: a real photo of the exercise or situation the article is about "
        "reads better than a stock or drawn picture (the demo's drawings are placeholders).",
    )
    hero_alt = models.CharField(
        "hero image alt text",
        max_length=250,
        blank=True,
        help_text="What the picture shows, for people who cannot see it, "
        "e.g. 'A woman stretching her hip on a yoga mat'.",
    )
    hero_is_decorative = models.BooleanField(
        "hero image is decorative",
        default=False,
        help_text="Tick only if the picture adds nothing to the text; screen readers skip it.",
    )
    body = StreamField(
        ArticleBlock(),
        help_text="The article: headings, paragraphs, images, advice, quotes and calls to action.",
    )
    categories = ParentalManyToManyField(
        BlogCategory,
        related_name="posts",
        help_text="The topics this article belongs to; related articles are chosen by them.",
    )
    tags = ClusterTaggableManager(
        through=BlogPostTag,
        blank=True,
        help_text="Free keywords, e.g. sleep, running, desk work.",
    )
    date_published = models.DateField(
        "publish date",
        default=datetime.date.today,
        help_text="The date readers see; it does not publish anything. To publish later, "
        "open the Status panel (the (i) button at the top right of the editor), choose "
        "'Set schedule', then publish.",
    )
    reviewed_by = models.ForeignKey(
        "clinic.Therapist",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_posts",
        help_text="The therapist who checked this article is medically accurate.",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When the article was last checked for medical accuracy.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt"), FieldPanel("hero_is_decorative")],
            heading="Hero image",
        ),
        FieldPanel("body"),
        InlinePanel("post_authors", heading="Authors", label="Author", min_num=1),
        MultiFieldPanel(
            [FieldPanel("date_published"), FieldPanel("reviewed_by"), FieldPanel("last_reviewed")],
            heading="Dates and medical review",
        ),
        MultiFieldPanel(
            [FieldPanel("categories", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading="Categories and tags",
        ),
    ]

    # Patients search by an author's name, a topic or a tag as well as by the text.
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("categories", [index.SearchField("name")]),
        index.RelatedFields(
            "post_authors", [index.RelatedFields("therapist", [index.SearchField("name")])]
        ),
        index.FilterField("date_published"),
    ]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "article"
        # Listings, neighbours and feeds order by date: read newest first from this index.
        indexes = [models.Index(fields=["date_published", "page_ptr"], name="article_by_date")]

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_alt.strip() and not self.hero_is_decorative:
            raise ValidationError(
                {
                    "hero_alt": "Describe the hero image for people who cannot see it, "
                    "or tick 'hero image is decorative'."
                }
            )
        if self.last_reviewed and not self.reviewed_by_id:
            raise ValidationError({"reviewed_by": "Say who reviewed the article on that date."})

    @property
    def hero_alt_text(self):
        return "" if self.hero_is_decorative else self.hero_alt

    @cached_property
    def authors(self):
        """The credited therapists in byline order, with their team pages and photos (two
        queries, none when a listing prefetched them). A preview's draft credits are kept
        in memory, and win over what is read."""
        if self.pk:
            prefetch_related_objects([self], authors_prefetch())
        return [credit.therapist for credit in self.post_authors.all()]

    @cached_property
    def trail(self):
        """The pages above this one, below the site root: the breadcrumbs."""
        return list(self.get_ancestors().filter(depth__gt=1))

    @property
    def article_index(self):
        """The article index it belongs to, as its own type (its topic addresses)."""
        return self.trail[-1].specific_deferred if self.trail else None

    @cached_property
    def topics(self):
        """Its categories, read once however many parts show them (head, body, related)."""
        return list(self.categories.all())

    @cached_property
    def keywords(self):
        """Its tags, read once however many parts show them."""
        return list(self.tags.all())

    @cached_property
    def reading_minutes(self):
        words = len(strip_tags(" ".join(_texts(self.body.raw_data))).split())
        words += len(self.intro.split())
        return max(1, math.ceil(words / WORDS_READ_PER_MINUTE))

    def has_block(self, block_type):
        return any(block["type"] == block_type for block in self.body.raw_data)

    def pinned_related_ids(self):
        for block in self.body.raw_data:
            if block["type"] == "related_posts" and block["value"].get("posts"):
                return [
                    item["value"] if isinstance(item, dict) else item
                    for item in block["value"]["posts"]
                ]
        return []

    def related_posts(self, count=3):
        """Pinned posts when an editor chose some, else those sharing most categories and tags."""
        others = post_listing(BlogPostPage.objects.exclude(pk=self.pk or 0))
        pinned = [pk for pk in self.pinned_related_ids() if pk and pk != self.pk]
        if pinned:
            by_pk = {post.pk: post for post in others.filter(pk__in=pinned)}
            return [by_pk[pk] for pk in pinned if pk in by_pk]
        category_ids = [category.pk for category in self.topics]
        tag_ids = [tag.pk for tag in self.keywords]
        # The best matches among the newest posts that share a topic or tag: the same
        # choice on a clinic's blog, and a bounded count on a blog of thousands.
        sharing = others.filter(
            Exists(
                BlogPostPage.categories.through.objects.filter(
                    blogpostpage=OuterRef("pk"), blogcategory__in=category_ids
                )
            )
            | Exists(BlogPostTag.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids))
        )
        candidates = sharing.order_by("-date_published", "-pk").values("pk")
        sharing = others.filter(pk__in=candidates[:RELATED_CANDIDATES])
        related = list(
            sharing.annotate(
                shared_categories=shared_count(
                    BlogPostPage.categories.through, "blogpostpage", blogcategory__in=category_ids
                ),
                shared_tags=shared_count(BlogPostTag, "content_object", tag__in=tag_ids),
            ).order_by("-shared_categories", "-shared_tags", "-date_published", "-pk")[:count]
        )
        if len(related) < count:  # few share anything: the newest others fill the row
            newest = others.exclude(pk__in=[post.pk for post in related])
            related += newest[: count - len(related)]
        return related

    def neighbours(self):
        """The previous (older) and next (newer) live posts in the same index:
        {"previous": ..., "next": ...}, each None at either end."""
        siblings = visible(BlogPostPage.objects.sibling_of(self, inclusive=False))
        # A new article being previewed has no id yet: it comes after its same-day siblings.
        same_day = Q(date_published=self.date_published)
        older = siblings.filter(
            Q(date_published__lt=self.date_published)
            | (same_day & (Q(pk__lt=self.pk) if self.pk else Q()))
        ).order_by("-date_published", "-pk")
        newer = siblings.filter(
            Q(date_published__gt=self.date_published)
            | (same_day & Q(pk__gt=self.pk) if self.pk else Q(pk__in=[]))
        ).order_by("date_published", "pk")
        return {
            "previous": older.only("title", "url_path").first(),
            "next": newer.only("title", "url_path").first(),
        }

    def get_context(self, request, *args, **kwargs):
        # Read first: a fragment rendered from rows an editor replaces meanwhile is kept
        # under the old version, never served again.
        version = content_version.version()
        context = super().get_context(request, *args, **kwargs)
        context.update(
            # The head's tags, the byline, the body, related posts and neighbours are kept
            # under this (clinic/content_version.py): the template asks for the authors,
            # the trail and the lists only when none is kept.
            content_version=version,
            has_cta_block=self.has_block("cta"),
            has_related_block=self.has_block("related_posts"),
        )
        return context


def shared_count(link_model, post_field, **shared):
    """How many of a post's links (categories, tags) are among `shared`: a subquery per
    post, which PostgreSQL answers from the links' index, where joining every post to
    its links and counting them took twice as long at 2,000 articles."""
    links = link_model.objects.filter(**{post_field: OuterRef("pk")}, **shared)
    counted = links.order_by().values(post_field).annotate(n=Count("*")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def _texts(data):
    """Every string in a StreamField's raw data: the words a reader reads."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            if key not in {"type", "id", "level", "anchor"}:
                yield from _texts(value)
    elif isinstance(data, Sequence):
        for item in data:
            yield from _texts(item)


class WordPressItem(models.Model):
    """What an import from WordPress made of one of its posts, pages or files, so that
    importing the same export again updates it instead of making a copy."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        FILE = "file", "Uploaded file"

    wordpress_site = models.CharField(max_length=255, help_text="The blog's address in WordPress.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=255, help_text="The post ID, or the file's uploads path.")
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "item imported from WordPress"
        constraints = [
            models.UniqueConstraint(
                fields=["wordpress_site", "kind", "key"], name="one_import_per_wordpress_item"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} of {self.wordpress_site}"


class WordPressImport(models.Model):
    """One move from WordPress started in the admin: the uploaded export, its dry-run
    report, the import's progress and its report, kept once the files are gone."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking (dry run)"
        CHECKED = "checked", "Checked: waiting for confirmation"
        QUEUED = "queued", "Waiting for the task worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Could not be read"

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    index = models.ForeignKey(BlogIndexPage, on_delete=models.CASCADE, related_name="+")
    # Deleted once imported: an export holds comments, which can hold health details.
    export = models.FileField(upload_to="wordpress-imports/", blank=True)
    uploads = models.FileField(upload_to="wordpress-imports/", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    dry_run_report = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "import from WordPress"
        verbose_name_plural = "imports from WordPress"

    def __str__(self):
        return f"Import from WordPress of {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0
