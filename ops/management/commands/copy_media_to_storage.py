"""Copy the local media folder into the configured media storage (the S3 bucket), keeping
every file's name, so the database's file names find their files there.

Idempotent: a file already in the storage with the same size is skipped, one with another
size is replaced; running it again copies nothing. Nothing local is deleted.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management.base import BaseCommand, CommandError


def local_files(root: Path) -> list[tuple[str, Path]]:
    """(storage name, path) of every file under ``root``, in name order."""
    return sorted((path.relative_to(root).as_posix(), path) for path in root.rglob("*") if path.is_file())


def copy_tree(root: Path, *, dry_run: bool = False) -> dict[str, list[str]]:
    """Copy every file under ``root`` to the default storage under the same name."""
    done: dict[str, list[str]] = {"copied": [], "replaced": [], "unchanged": []}
    for name, path in local_files(root):
        size = path.stat().st_size
        if default_storage.exists(name):
            if default_storage.size(name) == size:
                done["unchanged"].append(name)
                continue
            outcome = "replaced"
            if not dry_run:
                # Deleted first, so the save keeps the name instead of choosing a new one.
                default_storage.delete(name)
        else:
            outcome = "copied"
        if not dry_run:
            with path.open("rb") as handle:
                saved = default_storage.save(name, File(handle, name=name))
            if saved != name:
                raise CommandError(f"The storage saved {name} as {saved}; stopping.")
        done[outcome].append(name)
    return done


class Command(BaseCommand):
    help = "Copy the local media folder (MEDIA_ROOT) into the media storage, keeping file names."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="Folder to copy from (default: MEDIA_ROOT).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be copied.")

    def handle(self, *args, source=None, dry_run=False, **options):
        root = Path(source or settings.MEDIA_ROOT).resolve()
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        storage = storages["default"]
        if isinstance(storage, FileSystemStorage) and Path(storage.location).resolve() == root:
            raise CommandError(
                "The media storage is this same folder: set MEDIA_S3_BUCKET (docs/operations.md) first."
            )
        done = copy_tree(root, dry_run=dry_run)
        verb = "Would copy" if dry_run else "Copied"
        for name in done["copied"] + done["replaced"]:
            self.stdout.write(f"{verb} {name}", self.style.SUCCESS if not dry_run else None)
        self.stdout.write(
            f"{len(done['copied'])} copied, {len(done['replaced'])} replaced, "
            f"{len(done['unchanged'])} already there" + (" (dry run)" if dry_run else "") + "."
        )
