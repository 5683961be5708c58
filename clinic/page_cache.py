"""A full-page cache for anonymous visitors that is never wrong.

Django's own cache middleware is not enough here: it would store a page holding another
visitor's CSRF token, and it knows nothing about publishing. This one:

- serves and stores only anonymous GET/HEAD requests (no session, messages or
  Authorization), for the views named in ``PAGE_CACHE_VIEWS`` (Wagtail pages);
- stores a response only when nothing in it is personal: status 200, no cookie set, CSRF
  token unused, no messages, no user, not a preview, no Vary other than Cookie, no
  private/no-cache/no-store directive;
- invalidates everything at once with a site-wide *generation* number: every content
  change (page published, unpublished, moved or deleted, any snippet, setting, image or
  document saved or deleted) bumps it when its transaction commits. An entry is served
  only if it was rendered under the current generation, read *before* rendering, so a
  page rendered while an editor publishes is never served afterwards.

Entries also expire after ``PAGE_CACHE_SECONDS``, a safety net for changes made without
signals (raw SQL, ``QuerySet.update``) and for time-dependent content.

The same generation keys the fragment cache (``remembered``, ``{% fragment %}``): parts of
pages, and the Site and page an address leads to, kept in each process's memory for
anonymous reads, whether the page cache is on or off.
"""

import hashlib
import logging
import secrets
from functools import cache as memoize
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import checks
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control
from wagtail.images.models import AbstractRendition
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
ENTRY_PREFIX = "page-cache:entry"
HEADER = "X-Cache"
CSP_HEADER = "Content-Security-Policy"
PERSONAL_DIRECTIVES = {"private", "no-cache", "no-store"}
NOT_STORED_HEADERS = {"set-cookie", HEADER.lower()}


class PageCacheMiddleware:
    """Place right after WhiteNoise, before the session, CSRF, auth and messages
    middleware, so it sees every cookie and header they add to a response. A CSP
    middleware with nonces goes before it: each hit then gets a fresh nonce."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE:
            if settings.FRAGMENT_CACHE and is_anonymous_read(request):
                read_with_fragments(request, lookup(None)[0])
                return remember_site(request, self.get_response(request))
            return self.get_response(request)
        if not is_anonymous_read(request):
            return mark_not_stored(self.get_response(request))

        key = entry_key(request)
        generation, entry = lookup(key)
        read_with_fragments(request, generation)
        if entry is not None and entry[0] == generation and (hit := rebuild(request, entry)):
            return hit

        response = remember_site(request, self.get_response(request))
        if generation is None or not is_storable(request, response):
            return mark_not_stored(response)
        store(request, key, generation, response)
        return response


def read_with_fragments(request, generation):
    """Let this anonymous read use what earlier ones rendered under the same content
    generation, read here before the view touches the database: template fragments
    ({% fragment %}), and the Site and page its address leads to, so that Wagtail skips
    its lookups (remember_site and remember_route store them)."""
    request.content_generation = generation
    if fragment_generation(request) is None:
        return
    site_key, route_key = where_keys(request)
    found = caches["fragments"].get_many([site_key, route_key])
    if site_key in found:
        request._wagtail_site = found[site_key]
        request.site_restored = True
    if route_key in found:
        page, args, kwargs, restrictions = found[route_key]
        # Wagtail checks them on every view (two queries); they change only with content.
        page.get_view_restrictions = lambda: restrictions
        request._wagtail_route_for_request = (page, args, kwargs)
        request.route_restored = True


def where_keys(request):
    # What Site.find_for_request and Page.route_for_request look at.
    site = f"{request.content_generation}|{request._get_raw_host()}|{request.get_port()}"
    route = hashlib.sha256(f"{site}|{request.path}".encode()).hexdigest()
    return f"site:{site}", f"route:{route}"


def remember_site(request, response):
    found = "_wagtail_site" in request.__dict__ and not hasattr(request, "site_restored")
    if found and fragment_generation(request) is not None:
        site_key, _ = where_keys(request)
        caches["fragments"].set(site_key, request._wagtail_site, settings.PAGE_CACHE_SECONDS)
    return response


def remember_route(page, request, serve_args, serve_kwargs):
    """A before_serve_page hook: keep the route Wagtail found for an anonymous read."""
    if fragment_generation(request) is not None and not hasattr(request, "route_restored"):
        _, route_key = where_keys(request)
        route = (page, serve_args, serve_kwargs, list(page.get_view_restrictions()))
        caches["fragments"].set(route_key, route, settings.PAGE_CACHE_SECONDS)


def fragment_generation(request):
    """The content generation to keep this request's fragments under, or None to keep
    nothing: previews, signed-in users, requests other than anonymous reads, cache down."""
    if not settings.FRAGMENT_CACHE or request is None or getattr(request, "is_preview", False):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    return getattr(request, "content_generation", None)


def remembered(request, vary_on, compute):
    """compute(), kept in this process's memory under the current content generation and
    vary_on (a name and the values it depends on). Not kept if computing it used the
    CSRF token: that would hand one visitor's token to the next."""
    generation = fragment_generation(request)
    if generation is None:
        return compute()
    where = [request.scheme, request.get_host(), generation, *vary_on]
    key = "fragment:" + hashlib.sha256(repr(where).encode()).hexdigest()
    store = caches["fragments"]
    value = store.get(key)
    if value is None:
        # get_token() sets this flag: clear it to see whether compute() reads the token.
        flagged_before = request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", False)
        value = compute()
        if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            store.set(key, value, settings.PAGE_CACHE_SECONDS)
        if flagged_before:
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return value


def is_anonymous_read(request):
    """Whether this request may be answered with what another visitor saw."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_storable(request, response):
    """Whether nothing in this response belongs to the visitor who asked for it."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    messages = getattr(request, "_messages", None)
    return (
        request.method == "GET"
        and match is not None
        and match.view_name in settings.PAGE_CACHE_VIEWS
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and not getattr(request, "is_preview", False)
        and not (user is not None and user.is_authenticated)
        and not (messages is not None and (messages.added_new or len(messages)))
        and varies_only_by_cookie(response)
        and not cache_control_directives(response) & PERSONAL_DIRECTIVES
        # A CSP header written inside the cache would replay one nonce to everyone.
        and not (used_csp_nonce(request) and response.has_header(CSP_HEADER))
    )


def used_csp_nonce(request):
    """The CSP nonce this page's HTML carries, if any (django-csp's lazy nonce is falsy
    until a template reads it)."""
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce else None


def varies_only_by_cookie(response):
    # Every stored page varies by Cookie (the user bar reads the session), and requests
    # with identifying cookies bypass the cache; anything else would need its own key.
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= {"cookie"}


def cache_control_directives(response):
    directives = set()
    for directive in cc_delim_re.split(response.get("Cache-Control", "")):
        name, _, value = directive.strip().lower().partition("=")
        directives.add("no-store" if name == "max-age" and value == "0" else name)
    return directives


def mark_not_stored(response):
    response[HEADER] = "BYPASS"
    if not response.has_header("Cache-Control"):
        # Tell shared caches (a CDN) this response may be personal.
        patch_cache_control(response, private=True)
    return response


def entry_key(request):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{deployment_fingerprint()}|{url}".encode()).hexdigest()
    return f"{ENTRY_PREFIX}:{digest}"


def lookup(key):
    """(current generation, entry or None) in one round trip; (None, None) if the cache
    does not answer, so the page is rendered and not stored."""
    try:
        found = cache.get_many([GENERATION_KEY, key] if key else [GENERATION_KEY])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, secrets.randbits(48), None)
            generation = cache.get(GENERATION_KEY)
    except Exception:
        logger.exception("Page cache unavailable; serving without it")
        return None, None
    return generation, found.get(key) if key else None


def store(request, key, generation, response):
    if settings.PAGE_CACHE_CDN_SECONDS:
        patch_cache_control(response, public=True, s_maxage=settings.PAGE_CACHE_CDN_SECONDS)
    headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED_HEADERS]
    entry = (generation, headers, response.content, used_csp_nonce(request))
    try:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache unavailable; page not stored")
        response[HEADER] = "BYPASS"
        return
    response[HEADER] = "MISS"


def rebuild(request, entry):
    """The stored page; its CSP nonce replaced by this request's own, which the CSP
    middleware (outside the cache) then puts in the header. None if it cannot be."""
    _generation, headers, content, nonce = entry
    if nonce:
        if not hasattr(request, "csp_nonce"):
            return None
        fresh = str(request.csp_nonce)
        content = content.replace(nonce.encode(), fresh.encode())
    response = HttpResponse(content, headers=headers)
    response[HEADER] = "HIT"
    return response


@memoize
def deployment_fingerprint():
    """Changes with the code, templates and static files, so a deploy never serves
    pages rendered by the previous release (whose CSS names may be gone)."""
    digest = hashlib.sha256()
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)
    ]
    files = [p for root in roots for p in root.rglob("*") if p.suffix in {".py", ".html"}]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    for path in sorted(files) + ([manifest] if manifest.exists() else []):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def invalidate_all():
    """Make every stored page stale for every process sharing the cache."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing stored can match a fresh random one
        cache.add(GENERATION_KEY, secrets.randbits(48), None)
    except Exception:
        logger.exception("Page cache unavailable; could not invalidate")


def invalidate_on_commit(**kwargs):
    # After commit: a request that rendered before the change read the old generation.
    transaction.on_commit(invalidate_all)


def shows_on_pages(model):
    """Whether saving this model may change a public page. Unknown models: yes."""
    if issubclass(model, AbstractRendition):  # written while pages render
        return False
    meta = model._meta
    ignored = settings.PAGE_CACHE_IGNORED_MODELS
    return meta.app_label not in ignored and meta.label_lower not in ignored


def invalidate_if_shown(sender, **kwargs):
    if shows_on_pages(sender):
        invalidate_on_commit()


@checks.register(checks.Tags.caches)
def check_cache_is_shared(app_configs=None, **kwargs):
    shared = not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    if (settings.PAGE_CACHE or settings.FRAGMENT_CACHE) and not shared:
        return [
            checks.Warning(
                "The page or fragment cache is on with a local-memory cache: a change made "
                "through one process does not empty what the others keep.",
                hint="Set REDIS_URL, or serve with a single process, or set PAGE_CACHE=0 "
                "and FRAGMENT_CACHE=0.",
                id="clinic.W001",
            )
        ]
    return []


def connect_signals():
    """Called from ClinicConfig.ready()."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate_on_commit, dispatch_uid=f"page_cache_{id(signal)}")
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(invalidate_if_shown, dispatch_uid=f"page_cache_{id(signal)}")
