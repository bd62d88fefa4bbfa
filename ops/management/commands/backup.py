"""manage.py backup [FOLDER]: the database, then every media file (ops/backup.py)."""

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and then the media into a new folder (default var/backups/<UTC time>)."

    def add_arguments(self, parser):
        parser.add_argument("destination", nargs="?", help="A new or empty folder.")

    def handle(self, *args, destination=None, **options):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(destination) if destination else Path(settings.VAR_DIR) / "backups" / stamp
        try:
            manifest = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up the {manifest['database']} database and {manifest['media_files']} media files "
            f"({manifest['media_bytes']} bytes) to {target}"
        )
