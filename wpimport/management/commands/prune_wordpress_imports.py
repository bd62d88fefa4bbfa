"""Delete WordPress exports uploaded in the admin, with their runs' reports, once they are
``WORDPRESS_IMPORT_RETENTION_DAYS`` old: an export holds commenters' emails and the authors'
accounts. An export with a run queued within that time stays until that run is as old.
Idempotent; run daily (``SCHEDULED_COMMANDS``, beside ``purge_personal_data``)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wpimport.runs import prune


class Command(BaseCommand):
    help = "Delete uploaded WordPress exports and their runs past WORDPRESS_IMPORT_RETENTION_DAYS."

    def handle(self, *args, **options):
        days = settings.WORDPRESS_IMPORT_RETENTION_DAYS
        if days < 1:
            raise CommandError(f"WORDPRESS_IMPORT_RETENTION_DAYS must be at least 1 day, got {days}.")
        exports, runs = prune(before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Removed: {exports} WordPress export(s) and {runs} run(s) older than {days} days.")
