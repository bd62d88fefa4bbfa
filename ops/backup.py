"""Backup and restore of the whole site: the database, then the media (docs/operations.md,
"Backup and restore").

A backup is a folder holding

- ``database.sqlite3`` (SQLite's online backup API, consistent while the site runs) or
  ``database.pgdump`` (``pg_dump --format=custom``);
- ``media.tar``: every file of the media storage (local folder or bucket), read through
  the storage API, so the same code backs up either;
- ``manifest.json``, written last: a folder without it is an unfinished backup.

The database is dumped first and the media copied after it, so every file the dump names
(images, renditions, documents) existed when the media were read: files are only ever
added under new names while the site runs. Restore goes in the same order, then checks that
every file the restored database names is in the storage, and empties the caches.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class RestoreReport:
    database: str
    media_restored: int
    media_unchanged: int
    missing_files: list[str]


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _pg_args_and_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def storage_files(directory: str = "") -> list[str]:
    """Every file name in the media storage, in order (an absent local folder has none)."""
    try:
        dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    prefix = f"{directory}/" if directory else ""
    names = [f"{prefix}{name}" for name in files]
    for sub in dirs:
        names += storage_files(f"{prefix}{sub}")
    return sorted(names)


def dump_database(path: Path) -> None:
    if _vendor() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        args, env = _pg_args_and_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file", str(path), *args], env)


def archive_media(path: Path) -> list[dict]:
    entries = []
    with tarfile.open(path, "w") as archive:
        for name in storage_files():
            info = tarfile.TarInfo(name)
            info.size = default_storage.size(name)
            info.mtime = int(timezone.now().timestamp())
            with default_storage.open(name, "rb") as handle:
                archive.addfile(info, handle)
            entries.append({"name": name, "size": info.size})
    return entries


def backup(destination: Path) -> dict:
    """Write a backup into ``destination`` (a new or empty folder); return its manifest."""
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty.")
    vendor = _vendor()
    started = timezone.now()
    dump_database(destination / DATABASE_FILES[vendor])
    files = archive_media(destination / MEDIA_ARCHIVE)
    manifest = {
        "format": FORMAT_VERSION,
        "database": vendor,
        "database_file": DATABASE_FILES[vendor],
        "started_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "media_files": len(files),
        "media_bytes": sum(entry["size"] for entry in files),
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} has no {MANIFEST}: not a backup, or an unfinished one.") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def restore_database(path: Path, vendor: str) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        # pg_restore replaces every table; this process's own connection must not hold locks.
        connection.close()
        args, env = _pg_args_and_env()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            env,
        )


def restore_media(path: Path) -> tuple[int, int]:
    """Put every archived file back under its name; one already there with the same size
    is left alone (a restore can be repeated). Returns (restored, unchanged)."""
    restored = unchanged = 0
    with tarfile.open(path, "r") as archive:
        for member in archive:
            if not member.isfile():
                continue
            name = member.name
            if default_storage.exists(name):
                if default_storage.size(name) == member.size:
                    unchanged += 1
                    continue
                default_storage.delete(name)
            handle = archive.extractfile(member)
            saved = default_storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"The storage saved {name} as {saved}.")
            restored += 1
    return restored, unchanged


def files_named_by_the_database() -> list[str]:
    """Every media file name the database refers to: images, renditions and documents."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    image_model = get_image_model()
    querysets = [
        image_model.objects.values_list("file", flat=True),
        image_model.get_rendition_model().objects.values_list("file", flat=True),
        get_document_model().objects.values_list("file", flat=True),
    ]
    return sorted({name for queryset in querysets for name in queryset if name})


def restore(source: Path) -> RestoreReport:
    """Restore the backup in ``source`` over this site's database and media storage."""
    manifest = read_manifest(source)
    vendor = _vendor()
    if manifest["database"] != vendor:
        raise BackupError(f"This backup is of a {manifest['database']} database; this site uses {vendor}.")
    restore_database(source / manifest["database_file"], vendor)
    restored, unchanged = restore_media(source / MEDIA_ARCHIVE)
    present = set(storage_files())
    missing = [name for name in files_named_by_the_database() if name not in present]
    # Cached responses and renditions describe the site before the restore.
    for alias in settings.CACHES:
        caches[alias].clear()
    return RestoreReport(
        database=manifest["database_file"],
        media_restored=restored,
        media_unchanged=unchanged,
        missing_files=missing,
    )
