"""Site search as patients type it: synonyms, promoted results, typos and names.

One service, `search_site(query)`, used by the search view. It finds, in this order:
1. the results editors promoted for this query (wagtail.contrib.search_promotions);
2. condition pages, then therapists, named (nearly) like the query;
3. articles and other pages, ranked by Wagtail's search backend (paginated);
4. article topics (categories) and tags whose names match.
Editors' synonyms widen the query first ("slipped disc" also searches "herniated disc").
When no page matches the words as typed, it tries them as the start of title words
(autocomplete), then the nearest words of the site's titles and names ("Showing results for
sciatica"; pg_trgm similarity, difflib without it), then, on PostgreSQL, typo-tolerant
matching of the whole text (`Fuzzy`, pg_trgm), with "Did you mean ...?" when a nearer word
exists. Without pg_trgm (SQLite in development, or a host that refused the extension) the
last step is skipped.
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import cache, reduce

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import F, IntegerField, Q
from django.db.models.functions import Cast, Greatest
from django.utils.html import strip_tags
from django.utils.text import Truncator
from modelsearch.query import Fuzzy, Or, PlainText
from taggit.models import Tag
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, get_page_models
from wagtail.search.models import IndexEntry
from wagtail.search.utils import normalise_query_string

from blog.models import BlogCategory, BlogIndexPage, BlogPostPage, SearchSynonym
from clinic.models import ServicePage, Therapist

SNIPPET_WORDS = 30
MAX_NAMES = 3  # conditions, therapists, topics and tags each
# How closely the query must match a name (pg_trgm word similarity, 0 to 1): "okafr" finds
# "Maya Okafor" (0.67), "sciatca" "Sciatica" (0.63), but "back pain" not "Neck pain" (0.60).
NAME_SIMILARITY = 0.62
# How close a typed word must be to one the site uses to be suggested instead (pg_trgm
# similarity; difflib's ratio on SQLite): "sciatca" -> "sciatica".
SUGGESTION_SIMILARITY = 0.4
WORD = re.compile(r"[^\W\d_]{3,}")  # words worth correcting: three letters or more


@dataclass
class Hit:
    """One line of the results: what it is, where it leads, a sentence about it."""

    kind: str
    title: str
    url: str
    snippet: str = ""


@dataclass
class Outcome:
    query: str
    # The words the page results were found for when they are not the query (a correction).
    showing_results_for: str = ""
    suggestion: str = ""  # "Did you mean ...?"
    synonyms: list[str] = field(default_factory=list)  # what editors' synonyms added
    first: list[Hit] = field(default_factory=list)  # promoted, conditions, therapists
    pages: object = ()  # articles and other pages: search results (or a list) to paginate
    last: list[Hit] = field(default_factory=list)  # topics and tags


def search_site(query):
    outcome = Outcome(query=query)
    widened = widened_by_synonyms(query)
    outcome.synonyms = widened[1:]
    terms = reduce(Or.__or__, (PlainText(text) for text in widened))

    promotions = promoted(query)
    outcome.first = [promotion_hit(promotion) for promotion in promotions]
    promoted_ids = [promotion.page_id for promotion in promotions if promotion.page_id]
    # A condition named like the query leads: "sciatca" opens with Sciatica.
    conditions = list(
        named(ServicePage.objects.live().public().exclude(pk__in=promoted_ids), "title", widened)
    )
    outcome.first += [condition_hit(page) for page in conditions]
    outcome.first += [therapist_hit(therapist) for therapist in matching_therapists(widened)]

    shown = promoted_ids + [page.pk for page in conditions]
    pages = Page.objects.live().public().exclude(pk__in=shown)
    outcome.pages = pages.specific().search(terms)
    if not outcome.pages.count():
        outcome.pages = near_matches(query, pages, outcome)
    outcome.last = topic_and_tag_hits(widened)
    return outcome


def near_matches(query, pages, outcome):
    """Pages for a query whose words match none: title words that start so, then the
    nearest words the site uses (cheap, and ranked as typed), then any typo (Fuzzy)."""
    completed = pages.specific().autocomplete(query)
    if completed.count():
        return completed
    outcome.suggestion = suggestion(query)
    if outcome.suggestion:
        corrected = pages.specific().search(outcome.suggestion)
        if corrected.count():
            outcome.showing_results_for = outcome.suggestion
            return corrected
    if typo_tolerant():
        # Fuzzy compares the query with every page's whole text (12 s at 2,000 articles):
        # only the pages holding a word near a typed one, found by the trigram index, are.
        return pages.filter(pk__in=near_typed_words(query)).specific().search(Fuzzy(query))
    return []


def near_typed_words(query):
    """The ids of pages with a word like one typed (word similarity 0.6, pg_trgm's %>
    operator, which the trigram indexes of blog/0006 serve)."""
    words = WORD.findall(query) or [query]
    near = reduce(
        Q.__or__,
        (
            Q(TrigramWordSimilar(F("title_text"), word))
            | Q(TrigramWordSimilar(F("body_text"), word))
            for word in words
        ),
    )
    page_types = ContentType.objects.get_for_models(*get_page_models()).values()
    return (
        IndexEntry.objects.filter(near, content_type__in=page_types)
        .annotate(page_id=Cast("object_id", IntegerField()))
        .values("page_id")
    )


@cache
def typo_tolerant():
    """Whether the database has pg_trgm: asked once a process (a host that adds it later
    restarts the site; see the README)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def widened_by_synonyms(query):
    """The query, then the query with each editor's phrase in it replaced by its meaning."""
    lowered = normalise_query_string(query)
    widened = [query]
    for synonym in SearchSynonym.objects.all():
        pattern = rf"\b{re.escape(synonym.phrase)}\b"
        if re.search(pattern, lowered):
            # A function, so that a backslash in the meaning is taken as written.
            meaning = synonym.means.lower()
            widened.append(re.sub(pattern, lambda _match, words=meaning: words, lowered))
    return widened


def promoted(query):
    """Editors' promotions for this query (live, public pages or links), in their order."""
    return list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query))
        .filter(Q(page__isnull=True) | Q(page__in=Page.objects.live().public()))
        .select_related("page")
        .order_by("sort_order")
    )


def vocabulary():
    """The words patients meet on the site: page titles, names of topics, tags, people."""
    names = (
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .values_list("title", flat=True)
        .order_by()
        .union(
            BlogCategory.objects.values_list("name", flat=True).order_by(),
            Tag.objects.values_list("name", flat=True).order_by(),
            Therapist.objects.filter(is_active=True).values_list("name", flat=True).order_by(),
        )
    )
    return sorted({word.lower() for name in names for word in WORD.findall(name)})


def suggestion(query):
    """The query with each word the site does not use replaced by the nearest one it does,
    or "" when nothing would change."""
    typed = [word.lower() for word in WORD.findall(query)]
    words = vocabulary()
    known = set(words)
    unknown = [word for word in typed if word not in known]
    if not unknown or not words:
        return ""
    nearest = nearest_words(unknown, words)
    corrected = [nearest.get(word, word) for word in typed]
    return " ".join(corrected) if corrected != typed else ""


def nearest_words(unknown, words):
    """{typed word: the site's word nearest to it} for the typed words near one."""
    if typo_tolerant():
        with connection.cursor() as cursor:
            # For each typed word, the site's word with the most trigrams in common.
            cursor.execute(
                "SELECT typed, best FROM unnest(%s::text[]) AS typed, LATERAL ("
                " SELECT word AS best FROM unnest(%s::text[]) AS word"
                " WHERE similarity(word, typed) >= %s"
                " ORDER BY similarity(word, typed) DESC, word LIMIT 1) AS nearest",
                [unknown, words, SUGGESTION_SIMILARITY],
            )
            return dict(cursor.fetchall())
    found = {}
    for word in unknown:
        close = difflib.get_close_matches(word, words, n=1, cutoff=SUGGESTION_SIMILARITY + 0.3)
        if close:
            found[word] = close[0]
    return found


def named(queryset, field_name, texts):
    """The rows whose name is (nearly, with pg_trgm) the query's words, or one version of
    the query's (with synonyms), closest first; without pg_trgm, those with a typed word."""
    if typo_tolerant():
        similarities = [TrigramWordSimilarity(text, field_name) for text in texts]
        similarity = Greatest(*similarities) if len(similarities) > 1 else similarities[0]
        return (
            queryset.annotate(similarity=similarity)
            .filter(similarity__gte=NAME_SIMILARITY)
            .order_by("-similarity", field_name)[:MAX_NAMES]
        )
    words = {word.lower() for text in texts for word in WORD.findall(text)}
    if not words:
        return queryset.none()
    return queryset.filter(
        reduce(Q.__or__, (Q(**{f"{field_name}__icontains": word}) for word in words))
    )[:MAX_NAMES]


def matching_therapists(texts):
    active = Therapist.objects.filter(is_active=True).select_related("team_page")
    return [therapist for therapist in named(active, "name", texts) if therapist.profile_url]


def topic_and_tag_hits(texts):
    blog = BlogIndexPage.objects.live().first()
    if blog is None:
        return []
    topics = named(BlogCategory.objects.filter(posts__live=True).distinct(), "name", texts)
    tags = named(
        Tag.objects.filter(blog_blogposttag_items__content_object__live=True).distinct(),
        "name",
        texts,
    )
    return [
        *(
            Hit(
                "Topic",
                topic.name,
                blog.url + blog.reverse_subpage("category_posts", [topic.slug]),
                topic.description or f"Our articles about {topic.name.lower()}.",
            )
            for topic in topics
        ),
        *(
            Hit(
                "Tag",
                tag.name,
                blog.url + blog.reverse_subpage("tag_posts", [tag.slug]),
                f"Articles tagged “{tag.name}”.",
            )
            for tag in tags
        ),
    ]


def snippet(text):
    return Truncator(strip_tags(text or "")).words(SNIPPET_WORDS)


def promotion_hit(promotion):
    if promotion.page is None:
        return Hit("Recommended", promotion.title, promotion.link, snippet(promotion.description))
    page = promotion.page.specific
    hit = page_hit(page)
    return Hit("Recommended", hit.title, hit.url, snippet(promotion.description) or hit.snippet)


def condition_hit(page):
    return Hit("Condition", page.title, page.url, snippet(page.summary))


def therapist_hit(therapist):
    about = therapist.bio or therapist.job_title
    return Hit("Therapist", therapist.name_with_credentials, therapist.profile_url, snippet(about))


def page_hit(page):
    if isinstance(page, BlogPostPage):
        return Hit("Article", page.title, page.url, snippet(page.intro))
    if isinstance(page, ServicePage):
        return condition_hit(page)
    summary = page.search_description or getattr(page, "intro", "")
    return Hit("Page", page.title, page.url, snippet(summary))
