"""Settings -> Import from WordPress: upload, read the dry run, confirm, follow the import."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage

from blog.models import BlogPostPage, WordPressImport
from blog.tasks import check_wordpress_export, import_wordpress_export
from tests.blog.fixtures.wxr import Post, attachment, export, reference_post

pytestmark = pytest.mark.django_db

URL = "/admin/import-from-wordpress/"


def uploads_zip():
    picture = io.BytesIO()
    PILImage.new("RGB", (1200, 800), "#8a6").save(picture, "JPEG")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("wp-content/uploads/2024/11/hip-stretch.jpg", picture.getvalue())
    return SimpleUploadedFile("uploads.zip", archive.getvalue(), "application/zip")


def the_export():
    hero = attachment(900, "2024/11/hip-stretch.jpg", alt="Woman with lower back and hip pain")
    others = [Post(wp_id=121, title="Back Pain and Exercise", slug="exercise", content="Move.")]
    data = export([*others, reference_post(), hero])
    return SimpleUploadedFile("physio.WordPress.2024-11-12.xml", data, "text/xml")


def queued(task):
    return DBTaskResult.objects.filter(task_path__endswith=task.func.__name__)


def test_the_owner_uploads_reads_the_dry_run_confirms_and_the_report_is_kept(
    admin_client, blog_index, clinic, commit
):
    assert URL in admin_client.get("/admin/").content.decode(), "Settings -> Import from WordPress"

    with commit():
        response = admin_client.post(
            URL, {"export": the_export(), "uploads": uploads_zip(), "index": blog_index.pk}
        )

    wordpress_import = WordPressImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{wordpress_import.pk}/"
    assert queued(check_wordpress_export).count() == 1
    checking = admin_client.get(response["Location"]).content.decode()
    assert "Checking (dry run)" in checking and 'http-equiv="refresh"' in checking

    check_wordpress_export.call(wordpress_import.pk)

    wordpress_import.refresh_from_db()
    assert wordpress_import.status == "checked"
    assert wordpress_import.dry_run_report["counts"] == {"created": 2, "skipped": 1}
    assert not BlogPostPage.objects.exists(), "a dry run changes nothing"
    page = admin_client.get(response["Location"]).content.decode()
    assert "Dry run: what the import would do" in page
    assert "No therapist is named &#x27;Andrew Vertson&#x27;" in page
    assert f"Import into {blog_index.title}" in page

    with commit():
        confirmed = admin_client.post(f"{URL}{wordpress_import.pk}/confirm/")
    assert confirmed.status_code == 302
    assert queued(import_wordpress_export).count() == 1

    import_wordpress_export.call(wordpress_import.pk)

    wordpress_import.refresh_from_db()
    assert wordpress_import.status == "done"
    assert (wordpress_import.done, wordpress_import.total) == (2, 2)
    assert wordpress_import.report["counts"] == {"created": 2, "skipped": 1}
    assert wordpress_import.report["images"] == 1
    assert not wordpress_import.export and not wordpress_import.uploads, "files deleted"
    post = BlogPostPage.objects.get(title="Why Do I Have Lower Back and Hip Pain?")
    assert post.live and post.hero_image.width == 1200
    done = admin_client.get(response["Location"]).content.decode()
    assert '<h2 class="w-h3">Report</h2>' in done and 'http-equiv="refresh"' not in done

    again = admin_client.post(f"{URL}{wordpress_import.pk}/confirm/", follow=True)
    assert "already confirmed" in again.content.decode()
    assert queued(import_wordpress_export).count() == 1


def test_a_file_that_is_not_an_export_is_refused_with_the_reason(admin_client, blog_index):
    response = admin_client.post(
        URL,
        {
            "export": SimpleUploadedFile("notes.txt", b"Dear patients", "text/plain"),
            "uploads": SimpleUploadedFile("pics.zip", b"not a zip", "application/zip"),
            "index": blog_index.pk,
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "This is not a WordPress export" in html
    assert "must be one .zip file" in html
    assert f'<option value="{blog_index.pk}" selected>' in html, "the choice is kept"
    assert not WordPressImport.objects.exists()


def test_an_export_that_cannot_be_read_is_reported_on_its_page(admin_client, blog_index, commit):
    broken = SimpleUploadedFile("broken.xml", b"<?xml version='1.0'?><rss><channel>", "text/xml")
    with commit():
        admin_client.post(URL, {"export": broken, "index": blog_index.pk})
    wordpress_import = WordPressImport.objects.get()

    check_wordpress_export.call(wordpress_import.pk)

    page = admin_client.get(f"{URL}{wordpress_import.pk}/").content.decode()
    assert "Could not be read" in page and "not a readable WordPress file" in page


def test_only_people_allowed_to_import_see_the_page(client, blog_index):
    editor = User.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    response = client.get(URL)  # Wagtail sends a refused editor back to the dashboard
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert URL not in client.get("/admin/").content.decode()


def test_a_running_import_shows_its_progress_and_refreshes(admin_client, blog_index):
    running = WordPressImport.objects.create(
        index=blog_index, status=WordPressImport.Status.RUNNING, done=150, total=200
    )

    page = admin_client.get(f"{URL}{running.pk}/").content.decode()

    assert "150 of 200 posts and pages (75%)" in page
    assert 'http-equiv="refresh"' in page
