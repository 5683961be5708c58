"""Site search page: the form, the results of blog.search, explained refusals."""

import logging
import unicodedata

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from blog.search import page_hit, search_site

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
RESULTS_PER_PAGE = 10


def clean_query(raw):
    """The query as words: control characters (NUL breaks PostgreSQL) become spaces, and an
    unpaired quote (which breaks SQLite's full-text syntax) is dropped."""
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in raw)
    if text.count('"') % 2:
        text = text.replace('"', " ")
    return " ".join(text.split())


@require_GET
def search(request):
    query = clean_query(request.GET.get("q", ""))
    context = {"query": query, "results": None, "error": ""}
    status = 200
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = (
            f"Please shorten your search to {MAX_QUERY_LENGTH} characters or fewer "
            "(a few words work best)."
        )
        context["query"] = query[:MAX_QUERY_LENGTH]
        status = 400
    elif query:
        context["query_string"] = urlencode({"q": query})
        try:
            status = found(request, query, context)
        except DatabaseError:
            logger.warning("Search for %r could not be run", query, exc_info=True)
            context["results"] = None
            context["error"] = "We could not search for that. Please try plain words."
            status = 400
    response = TemplateResponse(request, "search/search.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def found(request, query, context):
    """Fill `context` with this page of the results; the response's status."""
    outcome = search_site(query)
    paginator = Paginator(outcome.pages, RESULTS_PER_PAGE)
    raw_number = request.GET.get("page", "1")
    status = 200
    try:
        page = paginator.page(raw_number)
    except (PageNotAnInteger, EmptyPage):
        # Said on the page, with the first page of results, rather than a bare 404.
        context["page_error"] = (
            f"There is no page “{raw_number[:10]}” of these results; here is the first."
            if paginator.count
            else ""
        )
        status = 404 if paginator.count else 200
        page = paginator.page(1)
    hits = [page_hit(result) for result in page.object_list]
    if page.number == 1:
        hits = outcome.first + hits + outcome.last
    context.update(
        outcome=outcome,
        results=page,
        hits=hits,
        count=paginator.count + len(outcome.first) + len(outcome.last),
    )
    return status
