"""The demo blog: enough real articles that every feature shows something."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model

from blog.models import BlogCategory, BlogIndexPage, BlogPostAuthor, BlogPostPage

pytestmark = pytest.mark.django_db


def test_demo_blog_is_complete_and_loading_it_again_changes_nothing():
    call_command("load_demo", stdout=StringIO())

    posts = BlogPostPage.objects.live()
    assert posts.count() >= 8
    assert BlogCategory.objects.filter(posts__in=posts).distinct().count() >= 4
    authors = {credit.therapist.name for credit in BlogPostAuthor.objects.all()}
    assert authors == {"Maya Okafor", "Daniel Reyes", "Hannah Lindqvist"}
    assert len({post.hero_alt for post in posts}) == posts.count(), "one scene per article"
    for post in posts:
        assert post.hero_image and post.hero_alt == post.hero_image.description, post.title
        assert post.reviewed_by and post.last_reviewed
        assert post.has_block("advice") and post.has_block("cta"), post.title
        assert post.tags.exists()
    assert BlogIndexPage.objects.get().url == "/blog/"
    pinned = BlogPostPage.objects.get(slug="why-do-my-lower-back-and-hip-hurt-at-the-same-time")
    assert len(pinned.pinned_related_ids()) == 3

    counts = (BlogPostPage.objects.count(), get_image_model().objects.count())
    post = posts.first()
    post.title = "Edited by the clinic"
    post.save_revision().publish()
    call_command("load_demo", stdout=StringIO())

    assert (BlogPostPage.objects.count(), get_image_model().objects.count()) == counts
    assert BlogPostPage.objects.get(pk=post.pk).title == "Edited by the clinic"
