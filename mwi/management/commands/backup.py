import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mwi.lib.backups import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded media into one archive file (tar with a manifest "
        "of checksums). SQLite is copied with its online backup API, PostgreSQL with pg_dump; "
        "the site can keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Archive file to write (default: backups/mwi-<UTC time>.tar under the project).",
        )

    def handle(self, *args, output=None, **options):
        if not output:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            output = Path(settings.BASE_DIR) / "backups" / f"mwi-{stamp}.tar"
        try:
            manifest = make_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        files = manifest["files"]
        media = sum(1 for name in files if name.startswith("media/"))
        size = sum(f["size"] for f in files.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: {manifest['database']} database and {media} media "
                f"file(s), {size} bytes."
            )
        )
