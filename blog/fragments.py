"""The version of what an article shows besides its own fields: the pages its text links
to, its pictures, its authors, topics and tags, the clinic's phone in its calls to action,
the conditions that link to it, its related posts and its neighbours.

The article's body and the lists below it are a Wagtail fragment cache
(`{% wagtailpagecache %}` in templates/blog/blog_post_page.html, which also keys on the
article's own revision), keyed on this version. Any page published, unpublished, moved
or deleted, and any therapist, topic, tag, image or clinic setting saved, bumps it.
Patients' requests, drafts, previews and sign-ins change nothing here.
"""

from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from clinic.versions import FragmentVersion

ARTICLES = FragmentVersion("articles:version")
version = ARTICLES.current


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        ARTICLES.changed_on_commit()


def connect_signals():
    """Called from BlogConfig.ready()."""
    from blog.models import BlogCategory
    from clinic.models import ClinicSettings, Therapist

    shown = (ClinicSettings, Therapist, BlogCategory, Tag, get_image_model())
    for model in shown:
        for signal in (post_save, post_delete):
            signal.connect(
                ARTICLES.changed_on_commit, sender=model, dispatch_uid=f"articles_{model}"
            )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(ARTICLES.changed_on_commit, dispatch_uid="articles_pages")
    post_delete.connect(page_deleted, dispatch_uid="articles_page_deleted")
