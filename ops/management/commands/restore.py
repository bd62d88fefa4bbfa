"""manage.py restore FOLDER --yes: the database, then the media, then a check that every
file the database names is there (ops/backup.py). Stop the app servers, the worker and the
scheduler first; run `manage.py migrate` after restoring an older backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and restore the media from a backup folder made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A folder made by manage.py backup.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: this site's database is replaced by the backup's."
        )

    def handle(self, *args, source, yes=False, **options):
        if not yes:
            raise CommandError("Restoring replaces this site's whole database: add --yes to go ahead.")
        try:
            report = restore(Path(source))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the database from {report.database}; media: {report.media_restored} restored, "
            f"{report.media_unchanged} already there."
        )
        if report.missing_files:
            for name in report.missing_files:
                self.stderr.write(f"Missing: {name}")
            raise CommandError(f"{len(report.missing_files)} files named by the database are missing.")
        self.stdout.write("Every image, rendition and document the database names is present.")
