"""Therapists writing in the Wagtail admin: page rules, drafts, preview, review, scheduling."""

import datetime
import time

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from blog.models import BlogIndexPage, BlogPostPage
from clinic.models import HomePage
from tests.factories import (
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    TherapistFactory,
    clinic_settings,
)


def post_form_data(categories, **fields):
    """Form data of a new article; categories are checkboxes, which nested_form_data would
    number like a formset."""
    data = nested_form_data({"comments": inline_formset([]), **fields})
    data["categories"] = [category.pk for category in categories]
    return data


def edit_form_data(client, page, **changes):
    """The page's edit form as the browser would post it.

    The StreamField editor is drawn by JavaScript, so its data is written here: the article
    body becomes one revised paragraph.
    """
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    body = nested_form_data(
        {"body": streamfield([("paragraph", rich_text("<p>Revised by the author.</p>"))])}
    )
    for name, value in {**body, **changes}.items():
        data[name] = value
    return data


class ArticlePagesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        clinic_settings()
        home = Site.objects.get(is_default_site=True).root_page
        cls.index = BlogIndexPageFactory(parent=home)
        cls.maya = TherapistFactory(name="Maya Okafor")
        cls.back_pain = BlogCategoryFactory(name="Back pain")

    def test_articles_live_only_under_an_article_index(self):
        self.assertCanCreateAt(BlogIndexPage, BlogPostPage)
        self.assertCanCreateAt(HomePage, BlogIndexPage)
        self.assertCanNotCreateAt(HomePage, BlogPostPage)
        self.assertCanNotCreateAt(BlogPostPage, BlogPostPage)
        self.assertAllowedParentPageTypes(BlogPostPage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(BlogIndexPage, {BlogPostPage})
        self.assertAllowedSubpageTypes(BlogPostPage, set())

    def test_therapist_writes_and_publishes_an_article_in_the_admin(self):
        self.login()
        self.assertCanCreate(
            self.index,
            BlogPostPage,
            post_form_data(
                [self.back_pain],
                **{
                    "title": "Sleeping with back pain",
                    "intro": "Small changes for better nights.",
                    "body": streamfield(
                        [
                            ("heading", {"text": "1. Pillows", "level": "h2", "anchor": ""}),
                            ("paragraph", rich_text("<p>A pillow between the knees.</p>")),
                            (
                                "advice",
                                {"label": "What to do", "text": rich_text("<p>Try it.</p>")},
                            ),
                            ("quote", {"quote": "I sleep again.", "attribution": "A patient"}),
                            ("cta", {"heading": "", "text": "", "offer_guide": "on"}),
                        ]
                    ),
                    "post_authors": inline_formset([{"therapist": self.maya.pk}]),
                    "tags": "sleep, pillows",
                    "date_published": "2025-05-01",
                },
            ),
        )
        post = BlogPostPage.objects.get(slug="sleeping-with-back-pain")
        assert post.live
        assert [block.block_type for block in post.body] == [
            "heading",
            "paragraph",
            "advice",
            "quote",
            "cta",
        ]
        assert post.authors == [self.maya]
        assert sorted(post.tags.names()) == ["pillows", "sleep"]

    def test_an_article_without_an_author_is_refused(self):
        self.login()
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", self.index.pk]),
            post_form_data(
                [self.back_pain],
                **{
                    "title": "Anonymous",
                    "slug": "anonymous",
                    "intro": "No one wrote this.",
                    "body": streamfield([("paragraph", rich_text("<p>Text</p>"))]),
                    "post_authors": inline_formset([]),
                    "date_published": "2025-05-01",
                    "action-publish": "publish",
                },
            ),
        )
        assert response.status_code == 200
        assert not BlogPostPage.objects.filter(slug="anonymous").exists()

    def test_index_routes_and_post_render(self):
        post = BlogPostPageFactory(
            parent=self.index, authors=[self.maya], categories=[self.back_pain]
        )
        self.assertPageIsRoutable(post)
        self.assertPageIsRenderable(post)
        for route in ["", "category/back-pain/", "tag/sleep/", "feed/", "category/back-pain/feed/"]:
            self.assertPageIsRoutable(self.index, route)
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.index, "category/back-pain/")
        self.assertPageIsRenderable(self.index, "feed/")
        self.assertPageIsRenderable(self.index, "category/unknown/", accept_404=True)

    def test_articles_are_editable_and_previewable(self):
        post = BlogPostPageFactory(
            parent=self.index, authors=[self.maya], categories=[self.back_pain]
        )
        self.login()
        data = edit_form_data(self.client, post)
        self.assertPageIsEditable(post, post_data=data)
        self.assertPageIsPreviewable(post, post_data=data)


# Moderation, drafts, preview, scheduling and revisions, as the clinic's people use them.

pytestmark = pytest.mark.django_db


def member_of(group_name, username):
    user = User.objects.create_user(username, f"{username}@harborpt.example", "a-long-password-1")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def draft(blog_index, maya, back_pain, clinic):
    return BlogPostPageFactory(
        parent=blog_index,
        title="Hip pain at night",
        authors=[maya],
        categories=[back_pain],
        publish=False,
    )


def test_a_draft_is_not_public(client, draft):
    assert client.get(draft.url).status_code == 404


def test_therapist_submits_for_moderation_and_a_moderator_approves(client, draft):
    client.force_login(member_of("Editors", "maya"))
    data = edit_form_data(client, draft, title="Hip pain at night: what helps")
    data["action-submit"] = "Submit"

    response = client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    workflow_state = draft.current_workflow_state
    assert workflow_state.status == "in_progress"
    assert workflow_state.requested_by.username == "maya"
    assert not draft.live

    client.force_login(member_of("Moderators", "clinic-director"))
    task_state = workflow_state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]),
        {"comment": "Medically sound."},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    assert draft.title == "Hip pain at night: what helps"
    client.logout()
    assert client.get(draft.url).status_code == 200


def test_editors_cannot_publish_on_their_own(client, draft):
    client.force_login(member_of("Editors", "daniel"))
    data = edit_form_data(client, draft)
    data["action-publish"] = "publish"

    client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)

    draft.refresh_from_db()
    assert not draft.live


def test_preview_shows_the_unsaved_draft(admin_client, draft):
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk])
    data = edit_form_data(admin_client, draft, intro="A draft sentence nobody has seen yet.")

    assert admin_client.post(preview_url, data).json()["is_valid"]
    response = admin_client.get(preview_url)

    assert response.status_code == 200
    assert "A draft sentence nobody has seen yet." in response.content.decode()
    draft.refresh_from_db()
    assert draft.intro != "A draft sentence nobody has seen yet."


def test_preview_shows_the_drafts_own_authors(admin_client, draft):
    hannah = TherapistFactory(name="Hannah Lindqvist")
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk])
    data = edit_form_data(admin_client, draft, **{"post_authors-0-therapist": hannah.pk})

    assert admin_client.post(preview_url, data).json()["is_valid"]
    html = admin_client.get(preview_url).content.decode()

    assert "Hannah Lindqvist" in html
    assert "Maya Okafor" not in html


def test_scheduled_article_goes_live_when_its_time_comes(client, draft):
    draft.go_live_at = timezone.now() + datetime.timedelta(seconds=2)
    draft.save_revision().publish()
    draft.refresh_from_db()
    assert not draft.live
    assert client.get(draft.url).status_code == 404

    time.sleep(2.1)  # The go-live time passes; the scheduler runs every few minutes.
    call_command("publish_scheduled")

    draft.refresh_from_db()
    assert draft.live
    assert client.get(draft.url).status_code == 200


def test_every_save_is_a_revision_that_can_be_viewed_again(admin_client, post):
    first = post.latest_revision
    post.title = "A better title"
    post.save_revision().publish()

    assert post.revisions.count() == 2
    old = admin_client.get(reverse("wagtailadmin_pages:revisions_view", args=[post.pk, first.pk]))
    assert old.status_code == 200
    assert "Why do my back and hip hurt?" in old.content.decode()


def test_preview_of_a_new_article_before_it_is_ever_saved(
    admin_client, blog_index, maya, back_pain
):
    preview_url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["blog", "blogpostpage", blog_index.pk]
    )
    data = post_form_data(
        [back_pain],
        title="Knee pain on stairs",
        slug="knee-pain-on-stairs",
        intro="Why stairs hurt first.",
        body=streamfield([("advice", {"label": "What to do", "text": rich_text("<p>Rail.</p>")})]),
        post_authors=inline_formset([{"therapist": maya.pk}]),
        date_published="2025-05-01",
    )

    assert admin_client.post(preview_url, data).json()["is_valid"]
    response = admin_client.get(preview_url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Knee pain on stairs" in html and "By Maya Okafor" in html
    assert not BlogPostPage.objects.filter(slug="knee-pain-on-stairs").exists()
