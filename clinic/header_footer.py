"""The version of what every page's header, menus and footer show.

Those parts are Wagtail fragment caches (`{% wagtailcache %}` in templates/base.html),
keyed on this version: the clinic's settings, its locations with their hours and
closures, its images, and the pages that menus and links name (the site root's children,
the contact page, the privacy page). Any change to one of them bumps the version, so
every web process sharing the cache renders them afresh on its next request. Publishing
an article, patients' requests, drafts and sign-ins change nothing here and bump nothing.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from clinic.versions import FragmentVersion

HEADER_FOOTER = FragmentVersion("header-footer:version")
version = HEADER_FOOTER.current
changed = HEADER_FOOTER.changed
changed_on_commit = HEADER_FOOTER.changed_on_commit
# The main menu lists the site root's children: pages this deep or less.
MENU_DEPTH = 3


def shown_in_header_or_footer(page):
    from clinic.models import ClinicSettings, ContactPage

    return (
        page.depth <= MENU_DEPTH
        or isinstance(page, ContactPage)
        or ClinicSettings.objects.filter(privacy_page=page).exists()
    )


def page_changed(sender, instance, **kwargs):
    if shown_in_header_or_footer(instance):
        changed_on_commit()


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and shown_in_header_or_footer(instance):
        changed_on_commit()


def connect_signals():
    """Called from ClinicConfig.ready()."""
    from clinic.models import ClinicSettings, HolidayClosure, Location, OpeningHours

    for model in (ClinicSettings, Location, OpeningHours, HolidayClosure, get_image_model()):
        for signal in (post_save, post_delete):
            signal.connect(changed_on_commit, sender=model, dispatch_uid=f"header_footer_{model}")
    for signal in (page_published, page_unpublished):
        signal.connect(page_changed, dispatch_uid="header_footer_pages")
    # A move may take a page out of the menu: any move counts (moves are rare).
    post_page_move.connect(changed_on_commit, dispatch_uid="header_footer_pages")
    post_delete.connect(page_deleted, dispatch_uid="header_footer_page_deleted")
