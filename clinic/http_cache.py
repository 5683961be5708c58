"""Cache-Control on every page, for Varnish and for any CDN put in its place.

A response may be kept by a shared cache only when it is a public page seen by a visitor
the site knows nothing about: an anonymous GET or HEAD of a Wagtail page (or the sitemap)
that answered 200, with no cookie in the request and none set by the response. Anything
that may differ per visitor (a form's CSRF token sets its cookie, a session holds the
user and the messages) or that a patient alone should see is marked private and never
stored. Everything else keeps whatever its view said.

The publish, snippet and settings purges (clinic/purging.py) are what keep long shared
lifetimes right.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

# URL names whose anonymous answers are the same for every visitor.
PUBLIC_VIEWS = {"wagtail_serve", "sitemap", "robots_txt"}
# Forms, their confirmations and the patient's own page: never kept anywhere.
PRIVATE_VIEWS = {
    "booking:request",
    "booking:received",
    "booking:guide",
    "booking:guide_sent",
    "booking:guide_download",
    "booking:patient_appointment",
}


def request_is_anonymous(request):
    """No cookie that could make this visitor's page their own (a session, a CSRF token,
    messages), so no database lookup is needed to know it."""
    personal = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"}
    return not personal.intersection(request.COOKIES)


def is_private(request, response):
    match = request.resolver_match
    return bool(
        response.cookies
        or not request_is_anonymous(request)
        or request.method not in {"GET", "HEAD"}
        or request.path.startswith("/admin/")
        or getattr(request, "is_preview", False)
        or (match and match.view_name in PRIVATE_VIEWS)
    )


def is_restricted(response):
    """A Wagtail page behind a password, a login or a group (its template's context)."""
    page = (getattr(response, "context_data", None) or {}).get("page")
    return page is not None and page.get_view_restrictions().exists()


def mark(request, response):
    if is_private(request, response):
        # Added to what the view said (never_cache's no-cache, must-revalidate stay).
        patch_cache_control(response, private=True, no_store=True)
        return
    match = request.resolver_match
    if (
        settings.HTTP_CACHE_SECONDS
        and response.status_code == 200
        and match
        and match.view_name in PUBLIC_VIEWS
        and "Cache-Control" not in response
        and not is_restricted(response)
    ):
        patch_cache_control(
            response,
            public=True,
            max_age=settings.HTTP_CACHE_BROWSER_SECONDS,
            s_maxage=settings.HTTP_CACHE_SECONDS,
            stale_while_revalidate=settings.HTTP_CACHE_STALE_SECONDS,
            stale_if_error=settings.HTTP_CACHE_STALE_IF_ERROR_SECONDS,
        )


class HttpCacheMiddleware:
    """Outside the session, CSRF and messages middleware, so it sees every cookie they set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        mark(request, response)
        return response
