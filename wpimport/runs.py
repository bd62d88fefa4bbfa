"""Service: dry runs and imports of an export uploaded in the admin, run by the task worker.

The upload is stored in the database (``StoredExport``), an ``ImportRun`` is queued
(``wpimport.tasks.queue_run``), and the worker streams the stored export to a temporary file
and runs ``import_wordpress`` on it. While it runs, its progress is in the shared cache, not the
database: the import writes everything in one transaction, so a progress row written inside it
would be invisible to the admin until the end (and on SQLite would wait for the import's lock).
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from wpimport.importer import ImportRefused, import_wordpress
from wpimport.models import ExportChunk, ImportRun, StoredExport
from wpimport.wxr import WxrError

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
PROGRESS_EVERY_SECONDS = 0.5
PROGRESS_CACHE_SECONDS = 24 * 60 * 60
UNEXPECTED_ERROR = (
    "The run stopped on an unexpected error and imported nothing; the server's log has the details."
)


class UploadsRefused(Exception):
    """The uploads folder named is not a folder under ``WORDPRESS_UPLOADS_ROOT``."""


def uploads_root() -> Path | None:
    root = getattr(settings, "WORDPRESS_UPLOADS_ROOT", "")
    return Path(root).resolve() if root else None


def uploads_folder(value: str) -> Path:
    """The folder ``value`` names (relative to ``WORDPRESS_UPLOADS_ROOT``, or absolute inside
    it), or ``UploadsRefused``: the admin never reads a folder outside that root."""
    root = uploads_root()
    if root is None:
        raise UploadsRefused("Images cannot be brought from the server: WORDPRESS_UPLOADS_ROOT is not set.")
    path = (root / value.strip()).resolve()
    if not path.is_relative_to(root):
        raise UploadsRefused(f"The uploads folder must be inside {root}.")
    if not path.is_dir():
        raise UploadsRefused(f"There is no folder {path} on the server.")
    return path


def store_export(file: UploadedFile) -> StoredExport:
    """Keep an uploaded export in the database, a chunk at a time."""
    with transaction.atomic():
        export = StoredExport.objects.create(name=Path(file.name).name[:255], size=file.size)
        file.seek(0)
        # read() pieces, not chunks(): an in-memory upload's chunks() is the whole file at once.
        for index, data in enumerate(iter(lambda: file.read(CHUNK_BYTES), b"")):
            ExportChunk.objects.create(export=export, index=index, data=data)
    return export


@contextlib.contextmanager
def export_file(export: StoredExport) -> Iterator[Path]:
    """The stored export written out to a temporary file, deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="wpimport-") as folder:
        path = Path(folder) / "export.xml"
        with path.open("wb") as out:
            chunks = export.chunks.order_by("index").values_list("data", flat=True)
            for data in chunks.iterator(chunk_size=1):
                out.write(data)
        yield path


def progress_key(run_id: int) -> str:
    return f"wpimport:run:{run_id}:progress"


def progress(run: ImportRun) -> tuple[int, int]:
    """(done, total) items of the export: live from the worker while it runs."""
    if run.status == ImportRun.Status.RUNNING:
        live = cache.get(progress_key(run.pk))
        if live:
            return tuple(live)
    return run.done, run.total


def execute(run_id: int) -> str:
    """Run a queued run once and record its outcome; the worker's entry point."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id, status=ImportRun.Status.QUEUED).first()
        if run is None:  # already run, or deleted
            return "skipped"
        run.status = ImportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])

    counted = {"done": 0, "total": 0, "at": 0.0}

    def report_progress(done: int, total: int) -> None:
        counted.update(done=done, total=total)
        now = time.monotonic()
        if done == total or now - counted["at"] >= PROGRESS_EVERY_SECONDS:
            counted["at"] = now
            cache.set(progress_key(run.pk), (done, total), PROGRESS_CACHE_SECONDS)

    try:
        uploads = uploads_folder(run.uploads) if run.uploads else None
        with export_file(run.export) as path:
            report = import_wordpress(
                path,
                uploads=uploads,
                dry_run=run.kind == ImportRun.Kind.DRY_RUN,
                overwrite=run.overwrite,
                user=run.started_by,
                progress=report_progress,
            )
    except (WxrError, ImportRefused, UploadsRefused) as exc:
        run.status = ImportRun.Status.FAILED
        run.error = " ".join(str(exc).split())[:500]
    except Exception:
        logger.exception("WordPress import run %s stopped", run.pk)
        run.status = ImportRun.Status.FAILED
        run.error = UNEXPECTED_ERROR
    else:
        run.status = ImportRun.Status.DONE
        run.report = report.as_dict()
    run.done, run.total = counted["done"], counted["total"]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "report", "done", "total", "finished_at"])
    cache.delete(progress_key(run.pk))
    return run.status


def prune(*, before) -> tuple[int, int]:
    """Delete exports uploaded before ``before`` with their runs, unless a run of theirs was
    queued since (it may still be going, and its report is recent). A run queued before then
    that never finished lost its worker, and goes too. Returns (exports, runs) deleted."""
    recent = ImportRun.objects.filter(created_at__gte=before)
    old = StoredExport.objects.filter(created_at__lt=before).exclude(pk__in=recent.values("export_id"))
    _, deleted = old.delete()
    return deleted.get("wpimport.StoredExport", 0), deleted.get("wpimport.ImportRun", 0)
