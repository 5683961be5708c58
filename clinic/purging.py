"""Keeping the HTTP cache in front (Varnish, or a CDN) right: every change purges the
pages that show it, through Wagtail's frontend cache (`wagtail.contrib.frontend_cache`).

- A page published, unpublished or deleted: its own addresses and those of the pages
  that list it (its ancestors up to the home page, each with `get_cached_paths()`: the
  article index's feeds, categories and tags), the pages linking to it (Wagtail's
  reference index) and the sitemap.
- A snippet or image saved: the pages that show it (reference index).
- A site-wide change (Clinic settings, a location's hours in every footer, the main
  menu, a move that changes addresses under it): everything, with one BAN on Varnish
  (CDNs without a "ban" get every live page's addresses).

Purges are sent by the worker, never inside the editor's request: Wagtail's own purge
task and `ban_everything` are queued on the database backend ("outbox") in a queue of
their own ("purge"), which a worker polling often runs after the change has committed, so
a slow task (an email to a mail server that does not answer, a backup) never holds one up.
The changed page's own addresses are a task of their own, ahead of any list's.
"""

import http.client
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_delete
from django_tasks import task
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

QUEUE = "outbox"
PURGE_QUEUE = "purge"
# Above the default priority (0): a page's own addresses before the lists showing it.
OWN_PAGE_PRIORITY = 10


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP backend (PURGE per address), plus BAN: empty the cache at once.

    The VCL (deploy/varnish/default.vcl) takes a PURGE of a path as every query string of
    that path (pagination, campaign links), and a BAN as everything: so a batch sends one
    PURGE per path, over one kept-alive connection.
    """

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        paths = sorted({(address_host(url), urlsplit(url).path or "/") for url in urls})
        with CacheConnection(self.cache_scheme, self.cache_netloc) as cache:
            for sent, (host, path) in enumerate(paths):
                if not cache.send("PURGE", path, host):
                    logger.error(
                        "%d purges not sent: the HTTP cache does not answer.", len(paths) - sent
                    )
                    return

    def ban(self):
        with CacheConnection(self.cache_scheme, self.cache_netloc) as cache:
            cache.send("BAN", "/", self.cache_netloc)


def address_host(url):
    """The Host a purge names, as Wagtail's HTTPBackend sends it (with a port if given)."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname


class CacheConnection:
    """One HTTP connection to the cache for a series of PURGE or BAN requests."""

    def __init__(self, scheme, netloc):
        kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        self.http = kind(netloc, timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.http.close()

    def send(self, method, path, host):
        """False when the cache cannot be reached, even on a new connection (the one kept
        alive may have been closed by the cache); an answer other than 200 is logged."""
        headers = {"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"}
        for attempt in (1, 2):
            try:
                self.http.request(method, path, headers=headers)
                answer = self.http.getresponse()
                answer.read()
                break
            except (OSError, http.client.HTTPException) as error:
                self.http.close()  # the next request opens a new connection
                if attempt == 2:
                    logger.error(
                        "Could not %s %s%s at the HTTP cache: %s", method, host, path, error
                    )
                    return False
        if answer.status != 200:
            logger.error(
                "Could not %s %s%s at the HTTP cache: %d %s",
                method,
                host,
                path,
                answer.status,
                answer.reason,
            )
        return True


def configured():
    """A front cache to purge; without one, changes cost no lookups at all."""
    return bool(settings.WAGTAILFRONTENDCACHE)


def enqueue_purge(urls, priority=0):
    if urls:
        purge_urls_from_cache_task.using(
            backend=QUEUE, queue_name=PURGE_QUEUE, priority=priority
        ).enqueue(sorted(urls))


@task(backend=QUEUE, queue_name=PURGE_QUEUE)
def ban_everything():
    """Empty every configured front cache (a site-wide change)."""
    others = {}
    for name, backend in get_backends().items():
        if isinstance(backend, VarnishBackend):
            backend.ban()
        else:
            others[name] = backend
    if others:
        batch = PurgeBatch()
        batch.add_pages(Page.objects.live().public().specific())
        purge_urls_from_cache_task.call(sorted(batch.urls), backends=list(others))


def purge_everything():
    ban_everything.enqueue()


def in_main_menu(page):
    """A site root's child may be in the main menu (every page's header), or leave it."""
    parent = page.get_parent()
    return parent is not None and Site.objects.filter(root_page=parent).exists()


def listing_batch(page):
    """The page and every page that lists or links to it, with each site's sitemap."""
    batch = PurgeBatch()
    batch.add_page(page)
    batch.add_pages(page.get_ancestors().filter(depth__gt=1).live().specific())
    batch.add_pages(pages_showing(page))
    for site in Site.objects.all():
        batch.add_url(f"{site.root_url}/sitemap.xml")
    return batch


def pages_showing(instance):
    """The live pages whose content refers to `instance` (Wagtail's reference index)."""
    page_ids = (
        ReferenceIndex.get_references_to(instance)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return Page.objects.filter(pk__in={int(pk) for pk in page_ids}).live().specific()


def purge_page(page):
    if in_main_menu(page):
        purge_everything()
    else:
        own = PurgeBatch()
        own.add_page(page)
        enqueue_purge(own.urls, priority=OWN_PAGE_PRIORITY)
        enqueue_purge(listing_batch(page).urls - own.urls)


def purge_pages_showing(instance):
    batch = PurgeBatch()
    batch.add_pages(pages_showing(instance))
    enqueue_purge(batch.urls)


# Signal receivers (connected in clinic.apps).


def page_changed(instance, **kwargs):
    if configured():
        purge_page(instance)


def page_deleted(instance, **kwargs):
    # Before the delete: the page's addresses are still known. Sent for each page of a
    # deleted subtree; the purge itself runs after the delete has committed.
    if configured() and isinstance(instance, Page) and instance.live and instance.depth > 1:
        purge_page(instance.specific_deferred)


def addresses_changed(instance, **kwargs):
    """A move or a new slug changes every address under the page: start afresh."""
    if configured():
        purge_everything()


def snippet_saved(instance, **kwargs):
    if configured():
        purge_pages_showing(instance)


def therapist_saved(instance, **kwargs):
    """Bylines through the reference index; the team page and the home page list them all."""
    from clinic.models import HomePage, TeamPage

    if not configured():
        return
    batch = PurgeBatch()
    batch.add_pages(pages_showing(instance))
    batch.add_pages(TeamPage.objects.live().specific())
    batch.add_pages(HomePage.objects.live().specific())
    enqueue_purge(batch.urls)


def site_wide_change(**kwargs):
    if configured():
        purge_everything()


def connect_signals():
    from blog.models import BlogCategory
    from clinic.models import ClinicSettings, Location, Testimonial, Therapist

    page_published.connect(page_changed, dispatch_uid="purge_published")
    page_unpublished.connect(page_changed, dispatch_uid="purge_unpublished")
    post_page_move.connect(addresses_changed, dispatch_uid="purge_moved")
    page_slug_changed.connect(addresses_changed, dispatch_uid="purge_slug_changed")
    pre_delete.connect(page_deleted, dispatch_uid="purge_deleted")
    for model in (get_image_model(), get_document_model()):
        post_save.connect(snippet_saved, sender=model, dispatch_uid=f"purge_{model.__name__}")
    post_save.connect(therapist_saved, sender=Therapist, dispatch_uid="purge_therapist")
    # Shown on every page (footer, header, category lists), or too widely to track.
    for model in (ClinicSettings, Location, Testimonial, BlogCategory):
        post_save.connect(site_wide_change, sender=model, dispatch_uid=f"purge_{model.__name__}")
        pre_delete.connect(
            site_wide_change, sender=model, dispatch_uid=f"purge_deleted_{model.__name__}"
        )
