"""Restore a backup archive into an empty database (README: Backups)."""

from django.core.management.base import BaseCommand, CommandError

from clinic.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore ARCHIVE (a file path, or a name in the backup storage) into the configured "
        "database, which must be empty, after checking its SHA-256. Needs the same "
        "FIELD_ENCRYPTION_KEYS as the site that made it."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            restored = restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {archive} (made {restored['created_at']}): database and "
            f"{restored['media_files']} media files. Run `manage.py migrate` if this "
            "version of the site is newer than the backup."
        )
