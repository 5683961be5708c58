"""Backups that restore: back up, restore into a fresh database, find the same pages,
appointment requests (still encrypted, still readable) and images."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import dj_database_url
import pytest
import wagtail_factories
from django.core.management import call_command
from wagtail.models import Page

from booking.models import AppointmentRequest
from clinic import backups
from tests.clinic.test_security_faults import committed_site_with_an_article
from tests.factories import AppointmentRequestFactory

ROOT = Path(__file__).resolve().parents[2]
REASON = "Sciatica after a fall, numbness in the left foot"

pytestmark = pytest.mark.skipif(
    shutil.which("pg_dump") is None, reason="pg_dump/pg_restore (postgresql-client) missing"
)


@pytest.fixture
def backup_places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "backups"},
        },
    }
    return tmp_path


def manage(*args, database_url, media_root, backup_dir):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "BACKUP_DIR": str(backup_dir),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


SNAPSHOT = """
import hashlib, json
from django.db import connection
from wagtail.images import get_image_model
from wagtail.models import Page
from booking.models import AppointmentRequest
with connection.cursor() as cursor:
    cursor.execute("SELECT reason FROM booking_appointmentrequest")
    stored = [row[0] for row in cursor.fetchall()]
print(json.dumps({
    "pages": sorted(Page.objects.values_list("url_path", flat=True)),
    "reasons": sorted(r.reason for r in AppointmentRequest.objects.all()),
    "stored": stored,
    "images": sorted(
        (image.title, hashlib.sha256(image.file.read()).hexdigest())
        for image in get_image_model().objects.all()
    ),
}))
"""


def snapshot(database_url, media_root):
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        SNAPSHOT,
        database_url=database_url,
        media_root=media_root,
        backup_dir=media_root,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_pages_requests_and_images(
    backup_places, scratch_database
):
    committed_site_with_an_article()
    AppointmentRequestFactory(reason=REASON)
    image = wagtail_factories.ImageFactory(title="Hip stretch")
    with image.file.open("rb") as picture:
        picture_hash = hashlib.sha256(picture.read()).hexdigest()
    pages = sorted(Page.objects.values_list("url_path", flat=True))

    call_command("backup", stdout=open(os.devnull, "w"))  # noqa: SIM115
    [archive] = backups.list_backups()
    folder = backup_places / "backups"
    checksum = (folder / f"{archive}.sha256").read_text().split()[0]
    assert checksum == hashlib.sha256((folder / archive).read_bytes()).hexdigest()
    with tarfile.open(folder / archive) as tar:
        names = tar.getnames()
        dump = tar.extractfile("database.dump").read()
    assert "manifest.json" in names and any(
        name.startswith("media/original_images/") for name in names
    )
    # Health data stays encrypted inside the dump.
    as_sql = subprocess.run(
        ["pg_restore", "--data-only", "-f", "-"], input=dump, capture_output=True, check=True
    ).stdout.decode()
    assert "booking_appointmentrequest" in as_sql and REASON not in as_sql

    restored_media = backup_places / "restored-media"
    result = manage(
        "restore",
        str(folder / archive),
        database_url=scratch_database,
        media_root=restored_media,
        backup_dir=folder,
    )
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout

    after = snapshot(scratch_database, restored_media)
    assert after["pages"] == pages
    assert after["reasons"] == [REASON]
    assert REASON not in after["stored"][0], "still encrypted at rest after the restore"
    assert after["images"] == [["Hip stretch", picture_hash]]

    again = manage(
        "restore",
        str(folder / archive),
        database_url=scratch_database,
        media_root=restored_media,
        backup_dir=folder,
    )
    assert again.returncode != 0
    assert "restore only into an empty database" in again.stderr
    assert AppointmentRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_anything_is_restored(backup_places, scratch_database):
    committed_site_with_an_article()
    call_command("backup", stdout=open(os.devnull, "w"))  # noqa: SIM115
    [archive] = backups.list_backups()
    path = backup_places / "backups" / archive
    with open(path, "r+b") as damaged:
        damaged.seek(-10, os.SEEK_END)
        damaged.write(b"0123456789")
    result = manage(
        "restore",
        str(path),
        database_url=scratch_database,
        media_root=backup_places / "m",
        backup_dir=path.parent,
    )
    assert result.returncode != 0 and "does not match its SHA-256" in result.stderr


def test_only_the_newest_backups_are_kept(backup_places, db):
    storage = backups.backup_storage()
    for day in range(1, 6):
        name = f"clinic-backup-2026110{day}-030000.tar"
        storage.save(name, backups.ContentFile(b"archive"))
        storage.save(f"{name}.sha256", backups.ContentFile(b"x"))
    removed = backups.remove_old_backups(3)
    assert removed == ["clinic-backup-20261101-030000.tar", "clinic-backup-20261102-030000.tar"]
    assert backups.list_backups() == [f"clinic-backup-2026110{day}-030000.tar" for day in (3, 4, 5)]
    assert not storage.exists("clinic-backup-20261101-030000.tar.sha256")


def test_sqlite_databases_are_copied_with_sqlites_own_backup(tmp_path):
    """On a laptop (SQLite), backup copies the database file safely; restore refuses a
    database that already has tables."""
    env_db = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    assert dj_database_url.parse(env_db)["ENGINE"].endswith("sqlite3")
    media, folder = tmp_path / "media", tmp_path / "backups"
    assert (
        manage(
            "migrate", "--noinput", database_url=env_db, media_root=media, backup_dir=folder
        ).returncode
        == 0
    )
    made = manage("backup", database_url=env_db, media_root=media, backup_dir=folder)
    assert made.returncode == 0, made.stderr
    [archive] = [p for p in folder.iterdir() if p.suffix == ".tar"]
    with tarfile.open(archive) as tar:
        assert "database.sqlite3" in tar.getnames()
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert (
        manage(
            "restore", str(archive), database_url=fresh, media_root=media, backup_dir=folder
        ).returncode
        == 0
    )
    refused = manage(
        "restore", str(archive), database_url=fresh, media_root=media, backup_dir=folder
    )
    assert "restore only into an empty database" in refused.stderr
