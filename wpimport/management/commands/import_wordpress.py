"""manage.py import_wordpress EXPORT.xml [--uploads DIR] [--dry-run] [--overwrite]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wpimport.importer import ImportRefused, import_wordpress
from wpimport.wxr import WxrError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools › Export, WXR): posts become articles, categories and "
        "tags topics, authors Author snippets, comments comments, old URLs redirects. Running it "
        "again updates what changed and duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The .xml file WordPress exported.")
        parser.add_argument(
            "--uploads", type=Path, help="The wp-content/uploads folder of a backup, for images."
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace posts edited in the CMS since their import.",
        )

    def handle(self, *args, export: Path, uploads: Path | None, dry_run: bool, overwrite: bool, **options):
        if not export.is_file():
            raise CommandError(f"{export}: no such file.")
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"{uploads}: not a folder.")
        try:
            report = import_wordpress(export, uploads=uploads, dry_run=dry_run, overwrite=overwrite)
        except (WxrError, ImportRefused) as exc:
            raise CommandError(f"{export}: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
