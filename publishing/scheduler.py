"""Periodic management commands: ``settings.SCHEDULED_COMMANDS``, run by ``manage.py run_scheduler``.

Each entry is ``{"name": "publish_scheduled", "command": "publish_scheduled", "every_seconds": 60}``
with optional ``"args": [...]``. A job is due when it never ran or its last start is at least
``every_seconds`` ago; the database decides, not a process's memory, so a restarted scheduler
carries on where the last one stopped and two schedulers never run a job twice per interval
(``claim``). Every run's start, finish and outcome is kept in ``ScheduledJobRun``.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, get_commands
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from publishing.models import ScheduledJobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    command: str
    every: timedelta
    args: tuple[str, ...] = field(default=())


def configured_jobs() -> list[ScheduledJob]:
    """``settings.SCHEDULED_COMMANDS`` checked: unknown commands or bad intervals fail loudly."""
    jobs: list[ScheduledJob] = []
    known = get_commands()
    for entry in getattr(settings, "SCHEDULED_COMMANDS", []):
        name, command, every = entry.get("name"), entry.get("command"), entry.get("every_seconds")
        if not name or not command:
            raise ImproperlyConfigured(f"SCHEDULED_COMMANDS entry {entry!r} needs a name and a command.")
        if command not in known:
            raise ImproperlyConfigured(f"SCHEDULED_COMMANDS job {name!r}: no management command {command!r}.")
        if not isinstance(every, int) or every < 1:
            raise ImproperlyConfigured(
                f"SCHEDULED_COMMANDS job {name!r}: every_seconds must be a positive integer."
            )
        if any(job.name == name for job in jobs):
            raise ImproperlyConfigured(f"SCHEDULED_COMMANDS has two jobs named {name!r}.")
        jobs.append(ScheduledJob(name, command, timedelta(seconds=every), tuple(entry.get("args", ()))))
    return jobs


def claim(job: ScheduledJob, *, now: datetime) -> bool:
    """Mark ``job`` as started at ``now`` if it is due; False when it is not (or another
    scheduler claimed it first). One conditional UPDATE, so the check and the claim are one step."""
    # A little early counts as due: cron starts `run_scheduler --once` on the minute, give or
    # take a moment, and a job every 60 s must not skip every other minute.
    slack = min(job.every / 10, timedelta(seconds=5))
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every + slack)
    claimed = ScheduledJobRun.objects.filter(due, name=job.name).update(
        last_started_at=now, last_finished_at=None, last_succeeded=None, last_error=""
    )
    if claimed:
        return True
    try:
        with transaction.atomic():
            ScheduledJobRun.objects.create(name=job.name, last_started_at=now)
    except IntegrityError:
        return False  # the row exists: the job ran recently, or another scheduler has it
    return True


def run_job(job: ScheduledJob) -> bool:
    """Run ``job`` now (already claimed) and record how it went. Never raises."""
    output = io.StringIO()
    error = ""
    try:
        call_command(job.command, *job.args, stdout=output, stderr=output)
    except Exception as exc:  # a failing job must not stop the others
        error = f"{type(exc).__name__}: {exc}"[:500]
        logger.exception("scheduled job %s failed", job.name)
    succeeded = not error
    ScheduledJobRun.objects.filter(name=job.name).update(
        last_finished_at=timezone.now(), last_succeeded=succeeded, last_error=error
    )
    if succeeded:
        logger.info("scheduled job %s done: %s", job.name, " / ".join(output.getvalue().split("\n"))[:300])
    return succeeded


def run_due_jobs(jobs: list[ScheduledJob], *, now: datetime | None = None) -> list[str]:
    """Run every job that is due; return the names of those that ran."""
    ran = []
    for job in jobs:
        if claim(job, now=now or timezone.now()):
            run_job(job)
            ran.append(job.name)
    return ran


def seconds_until_next(jobs: list[ScheduledJob], *, now: datetime | None = None) -> float:
    """How long until the soonest job is due (0 when one is due already)."""
    now = now or timezone.now()
    started = dict(
        ScheduledJobRun.objects.filter(name__in=[j.name for j in jobs]).values_list("name", "last_started_at")
    )
    waits = []
    for job in jobs:
        last = started.get(job.name)
        waits.append(0.0 if last is None else (last + job.every - now).total_seconds())
    return max(0.0, min(waits, default=60.0))
