"""The import from WordPress started in the admin, run by the outbox task worker: first a
dry run whose report the clinic reads, then, once confirmed, the import itself."""

import contextlib

from django.db import transaction
from django_tasks import task

from blog.importing_wordpress import Uploads, WordPressImporter, WordPressImportError
from blog.models import WordPressImport

Status = WordPressImport.Status


@task(backend="outbox")
def check_wordpress_export(import_id):
    return _run(import_id, dry_run=True)


@task(backend="outbox")
def import_wordpress_export(import_id):
    return _run(import_id, dry_run=False)


def start_check(wordpress_import):
    """Save the upload and queue its dry run."""
    wordpress_import.status = Status.CHECKING
    wordpress_import.save()
    transaction.on_commit(lambda: check_wordpress_export.enqueue(wordpress_import.pk))


def confirm(wordpress_import):
    """Queue the import the clinic confirmed after reading its dry run."""
    updated = WordPressImport.objects.filter(pk=wordpress_import.pk, status=Status.CHECKED).update(
        status=Status.QUEUED
    )
    if updated:
        transaction.on_commit(lambda: import_wordpress_export.enqueue(wordpress_import.pk))
    return bool(updated)


def _run(import_id, *, dry_run):
    wordpress_import = WordPressImport.objects.filter(pk=import_id).first()
    if wordpress_import is None or not wordpress_import.export:
        return "nothing to import"

    def progress(done, total):
        # A dry run's transaction hides this from the admin until it ends; the import's shows.
        if done == total or done % 10 == 0:
            WordPressImport.objects.filter(pk=import_id).update(done=done, total=total)

    if not dry_run:
        WordPressImport.objects.filter(pk=import_id).update(status=Status.RUNNING)
    try:
        with contextlib.ExitStack() as files:
            export = files.enter_context(wordpress_import.export.open("rb"))
            uploads = None
            if wordpress_import.uploads:
                uploads = Uploads(files.enter_context(wordpress_import.uploads.open("rb")))
            report = WordPressImporter(
                export, wordpress_import.index, uploads=uploads, dry_run=dry_run, progress=progress
            ).run()
    except WordPressImportError as error:
        wordpress_import.status, wordpress_import.error = Status.FAILED, str(error)
        _forget_files(wordpress_import)
        return "failed"
    wordpress_import.refresh_from_db(fields=["done", "total"])
    if dry_run:
        wordpress_import.dry_run_report, wordpress_import.status = report.as_dict(), Status.CHECKED
        wordpress_import.save()
        return "checked"
    wordpress_import.report, wordpress_import.status = report.as_dict(), Status.DONE
    _forget_files(wordpress_import)
    return "imported"


def _forget_files(wordpress_import):
    """The export holds comments (health details, at times): kept no longer than needed."""
    for upload in (wordpress_import.export, wordpress_import.uploads):
        if upload:
            upload.delete(save=False)
    wordpress_import.save()
