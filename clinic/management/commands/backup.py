"""Back up the database and media into a dated archive with its SHA-256 (README: Backups)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic.backups import BackupError, create_backup, remove_old_backups


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump custom format; SQLite copied) and every media file to "
        "clinic-backup-<date>.tar in the backup storage (BACKUP_DIR or BACKUP_BUCKET_NAME), "
        "with a .sha256 beside it; then keep only the newest BACKUP_KEEP archives."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Archives to keep (default BACKUP_KEEP; 0 keeps all).",
        )

    def handle(self, *args, keep=None, **options):
        try:
            archive = create_backup()
        except BackupError as error:
            raise CommandError(str(error)) from error
        removed = remove_old_backups(settings.BACKUP_KEEP if keep is None else keep)
        self.stdout.write(
            f"Backup written: {archive.name} ({archive.size / 1_048_576:.1f} MB, "
            f"{archive.media_files} media files), SHA-256 {archive.sha256}."
        )
        if removed:
            self.stdout.write(f"Removed {len(removed)} older archive(s).")
