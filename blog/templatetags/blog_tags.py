"""Article listings and search-engine markup for any template of the site."""

from django import template
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from wagtail.models import Site

from blog import seo
from blog.blocks import CallToActionBlock
from blog.models import BlogPostAuthor, BlogPostPage, post_listing
from clinic.models import ClinicSettings, visible
from clinic.structured_data import json_ld_script

register = template.Library()


@register.inclusion_tag("blog/components/post_cards.html", takes_context=True)
def latest_posts(context, count=3):
    """The newest articles as cards, e.g. on the home page."""
    return {
        "posts": post_listing(BlogPostPage.objects.all())[:count],
        "request": context.get("request"),
        "level": 3,
    }


@register.inclusion_tag("blog/components/post_cards.html", takes_context=True)
def therapist_posts(context, therapist, count=3):
    """A therapist's newest articles as cards, e.g. on their team page."""
    posts = post_listing(BlogPostPage.objects.filter(post_authors__therapist=therapist))
    return {"posts": posts[:count], "request": context.get("request"), "level": 3}


@register.simple_tag
def posts_by_author(therapists, count=3):
    """Each therapist paired with their newest articles, in a fixed number of queries."""
    therapists = list(therapists)
    newest = (
        BlogPostAuthor.objects.filter(
            therapist__in=therapists, page__in=visible(BlogPostPage.objects.all())
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("therapist"),
                order_by=[F("page__date_published").desc(), F("page_id").desc()],
            )
        )
        .filter(rank__lte=count)
        .values_list("therapist_id", "page_id")
    )
    pairs = list(newest)
    posts = post_listing(BlogPostPage.objects.filter(pk__in={page for _, page in pairs}))
    by_author = {therapist.pk: [] for therapist in therapists}
    post_ids = {}
    for therapist_id, page_id in pairs:
        post_ids.setdefault(page_id, []).append(therapist_id)
    for post in posts:  # already newest first
        for therapist_id in post_ids[post.pk]:
            by_author[therapist_id].append(post)
    return [(therapist, by_author[therapist.pk]) for therapist in therapists]


@register.simple_tag
def condition_articles(service, count=5):
    """What to read about a condition: the articles its editors chose, in their order, then
    the newest of its topics (`count` in all, every chosen one kept), so a therapist's new
    article reaches the patients reading about that condition without anyone picking it."""
    chosen = service.pinned_articles
    newest = (
        BlogPostPage.objects.live()
        .public()
        .filter(categories__in=service.article_topics.all())
        .exclude(pk__in=[article.pk for article in chosen])
        .distinct()
        .order_by("-date_published", "-pk")
    )
    return [*chosen, *newest[: max(count - len(chosen), 0)]]


@register.simple_tag(takes_context=True)
def article_json_ld(context):
    """The article's MedicalWebPage and its BlogPosting (blog/seo.py) as JSON-LD."""
    page, request = context["page"], context.get("request")
    return json_ld_script(seo.article_page(page, request, seo.share_rendition(page.hero_image)))


@register.simple_tag(takes_context=True)
def call_to_action(context):
    """The closing call to action with the clinic's defaults, for posts that lack one."""
    block = CallToActionBlock()
    return block.render(block.get_default(), context=context.flatten())


@register.simple_tag(takes_context=True)
def clinic_contact(context):
    """ClinicSettings for blocks, which may render outside a page (e.g. admin previews)."""
    request = context.get("request")
    if request is not None:
        return ClinicSettings.for_request(request)
    return ClinicSettings.for_site(Site.objects.get(is_default_site=True))
