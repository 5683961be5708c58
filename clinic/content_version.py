"""The version of what pages show besides their own fields: the lists of other pages on
them (latest and related articles, neighbours, conditions, the team), the pages their
text links to, pictures, therapists, testimonials, topics and tags, and the clinic's
phone in their calls to action.

Those parts are Wagtail fragment caches (`{% wagtailpagecache %}`, which also keys on
the page's own revision: an article's head tags, body and lists, the home page's
sections, an article list's cards), keyed on this version. Publishing, unpublishing,
moving or deleting any page, and saving any of the snippets, images or settings they
show, bumps it. Patients' requests, drafts, previews and sign-ins change nothing here.
A page reads the version in `get_context`, before anything the fragments show: what it
read before an editor's commit is kept under the old version, never served again.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from clinic.versions import FragmentVersion

CONTENT = FragmentVersion("content:version")
version = CONTENT.current


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        CONTENT.changed_on_commit()


def shown_by_pages(*models):
    """Bump the version whenever one of `models` is saved or deleted (each app names its
    own: blog its topics and tags)."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(CONTENT.changed_on_commit, sender=model, dispatch_uid=f"content_{model}")


def connect_signals():
    """Called from ClinicConfig.ready()."""
    from clinic.models import ClinicSettings, Testimonial, Therapist

    shown_by_pages(ClinicSettings, Therapist, Testimonial, get_image_model())
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(CONTENT.changed_on_commit, dispatch_uid="content_pages")
    post_delete.connect(page_deleted, dispatch_uid="content_page_deleted")
