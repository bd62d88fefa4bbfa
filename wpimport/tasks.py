"""Background work of the WordPress import (django-tasks): the admin's dry runs and imports."""

from django.db import transaction
from django_tasks import task

from wpimport import runs
from wpimport.models import ImportRun, StoredExport


@task()
def run_import(run_id: int) -> str:
    """Run a queued dry run or import (``wpimport.runs.execute``)."""
    return runs.execute(run_id)


def queue_run(
    *, export: StoredExport, kind: str, user, uploads: str = "", overwrite: bool = False
) -> ImportRun:
    """Record a run of ``export`` and queue it for the task worker once the record is committed
    (the worker must find it)."""
    run = ImportRun.objects.create(
        export=export, kind=kind, uploads=uploads, overwrite=overwrite, started_by=user
    )
    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run
