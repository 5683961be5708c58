"""Site search: articles and pages, through Wagtail's search backend."""

import logging
import unicodedata

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from wagtail.models import Page

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
        results = Page.objects.live().public().specific().search(query)
        paginator = Paginator(results, RESULTS_PER_PAGE)
        raw_number = request.GET.get("page", "1")
        try:
            context["results"] = paginator.page(raw_number)
            context["results"].object_list = list(context["results"].object_list)
        except PageNotAnInteger as error:
            raise Http404("The page number must be a whole number.") from error
        except EmptyPage as error:
            if paginator.count:
                raise Http404("There are not that many pages of results.") from error
            context["results"] = paginator.page(1)
        except DatabaseError:
            logger.warning("Search for %r could not be run", query, exc_info=True)
            context["results"] = None
            context["error"] = "We could not search for that. Please try plain words."
            status = 400
        context["query_string"] = urlencode({"q": query})
    response = TemplateResponse(request, "search/search.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
