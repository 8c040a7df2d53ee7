import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stackmap.landscape import import_landscape
from stackmap.yamlfile import InputError


class Command(BaseCommand):
    help = (
        "Import a landscape2 landscape.yml: its categories, subcategories and items, matched to "
        "projects by name or repository (never duplicated). Idempotent and atomic; errors name "
        "the line. Hosted items whose maturity differs from the project's stage record a stage "
        "change dated --as-of (the snapshot's date, default today)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The landscape.yml file.")
        parser.add_argument("--as-of", help="Date of the snapshot, YYYY-MM-DD (default: today).")
        parser.add_argument("--source-url", default="", help="Where the file comes from.")

    def handle(self, *args, path, as_of=None, source_url="", **options):
        try:
            as_of = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD).") from None
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            summary = import_landscape(text, as_of=as_of, source_url=source_url)
        except InputError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(self.style.SUCCESS(summary))
