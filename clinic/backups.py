"""Backups that restore: the database and every media file in one dated tar archive, with
its SHA-256 in a file beside it, in the "backups" storage (a folder or an S3 bucket).

PostgreSQL is dumped with pg_dump's custom format and restored with pg_restore; an SQLite
database (a laptop) is copied with SQLite's own online backup. Encrypted fields stay
encrypted in the dump: restoring needs the same FIELD_ENCRYPTION_KEYS, which must never be
stored with the backups.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.utils import timezone

PREFIX = "clinic-backup-"
MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class Archive:
    name: str
    sha256: str
    size: int
    media_files: int


def backup_storage():
    return storages["backups"]


def is_postgresql():
    return connection.vendor == "postgresql"


def postgres_command(program, *args):
    """pg_dump / pg_restore for the configured database; the password only in the env."""
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or ""), "PGCONNECT_TIMEOUT": "10"}
    target = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    target += ["--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [program, *target, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")
    return result


def dump_database(path):
    if is_postgresql():
        postgres_command(
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)
        )
        return "database.dump"
    source = sqlite3.connect(connection.settings_dict["NAME"])
    target = sqlite3.connect(path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return "database.sqlite3"


def media_names(storage=None, folder=""):
    """Every file in the media storage, as storage names."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from media_names(storage, f"{folder}/{sub}" if folder else sub)


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def create_backup():
    """Write one archive (database + media) and its checksum to the backup storage."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    name = f"{PREFIX}{stamp}.tar"
    with tempfile.TemporaryDirectory(prefix="clinic-backup-") as work:
        dump = Path(work) / "database"
        database_member = dump_database(dump)
        archive_path = Path(work) / name
        media = list(media_names())
        with tarfile.open(archive_path, "w") as archive:
            manifest = {
                "created_at": timezone.now().isoformat(),
                "database": database_member,
                "engine": connection.vendor,
                "media_files": len(media),
            }
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, ContentFile(data))
            archive.add(dump, arcname=database_member)
            for media_name in media:
                info = tarfile.TarInfo(f"{MEDIA}/{media_name}")
                info.size = default_storage.size(media_name)
                with default_storage.open(media_name, "rb") as source:
                    archive.addfile(info, source)
        checksum = sha256_of(archive_path)
        storage = backup_storage()
        with open(archive_path, "rb") as source:
            saved = storage.save(name, File(source, name=name))
        storage.save(f"{saved}.sha256", ContentFile(f"{checksum}  {saved}\n".encode()))
        return Archive(saved, checksum, archive_path.stat().st_size, len(media))


def list_backups():
    """The archives in the backup storage, oldest first (their names sort by date)."""
    try:
        _, files = backup_storage().listdir("")
    except FileNotFoundError:
        return []
    return sorted(name for name in files if name.startswith(PREFIX) and name.endswith(".tar"))


def remove_old_backups(keep):
    """Delete all but the newest `keep` archives (and their checksums); the names removed."""
    storage = backup_storage()
    old = list_backups()[:-keep] if keep > 0 else []
    for name in old:
        storage.delete(name)
        if storage.exists(f"{name}.sha256"):
            storage.delete(f"{name}.sha256")
    return old


def fetch_archive(archive, work):
    """A local copy of the archive and its expected checksum: a path, or a storage name."""
    path = Path(archive)
    if path.is_file():
        checksum_file = path.with_name(path.name + ".sha256")
        if not checksum_file.is_file():
            raise BackupError(f"{checksum_file} is missing: the archive cannot be verified.")
        return path, checksum_file.read_text().split()[0]
    storage = backup_storage()
    if not storage.exists(archive):
        raise BackupError(f"No archive {archive!r} here or in the backup storage.")
    if not storage.exists(f"{archive}.sha256"):
        raise BackupError(f"{archive}.sha256 is missing: the archive cannot be verified.")
    local = Path(work) / PurePosixPath(archive).name
    with storage.open(archive, "rb") as source, open(local, "wb") as target:
        shutil.copyfileobj(source, target, CHUNK)
    with storage.open(f"{archive}.sha256", "rb") as source:
        return local, source.read().decode().split()[0]


def database_tables():
    return connection.introspection.table_names()


def restore_backup(archive):
    """Restore an archive into an empty database and media storage; what was restored."""
    tables = database_tables()
    if tables:
        raise BackupError(
            f"The database holds {len(tables)} tables: restore only into an empty database "
            "(create a new one and point DATABASE_URL at it)."
        )
    with tempfile.TemporaryDirectory(prefix="clinic-restore-") as work:
        local, expected = fetch_archive(archive, work)
        if sha256_of(local) != expected:
            raise BackupError(f"{archive} does not match its SHA-256 checksum: not restored.")
        with tarfile.open(local) as tar:
            manifest = json.load(tar.extractfile(MANIFEST))
            if manifest["engine"] != connection.vendor:
                raise BackupError(
                    f"This archive holds a {manifest['engine']} database; this site uses "
                    f"{connection.vendor}."
                )
            tar.extract(manifest["database"], work, filter="data")
            restore_database(Path(work) / manifest["database"])
            restored = restore_media(tar)
    return {"media_files": restored, "created_at": manifest["created_at"]}


def restore_database(path):
    if is_postgresql():
        postgres_command(
            "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(path)
        )
        return
    connection.close()
    source = sqlite3.connect(path)
    target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    with target:
        source.backup(target)
    source.close()
    target.close()


def restore_media(tar):
    count = 0
    for member in tar.getmembers():
        name = PurePosixPath(member.name)
        if not member.isfile() or name.parts[0] != MEDIA or ".." in name.parts:
            continue
        storage_name = str(PurePosixPath(*name.parts[1:]))
        if default_storage.exists(storage_name):
            continue
        default_storage.save(storage_name, File(tar.extractfile(member), name=storage_name))
        count += 1
    return count
