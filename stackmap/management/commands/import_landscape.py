import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mwi.lib.importing import InputError
from stackmap.landscape import import_landscape


class Command(BaseCommand):
    help = (
        "Import a landscape2 data file (landscape.yml; `landscape:` or `categories:` layout). "
        "Each item names the project with exactly its name; a rename is recognised by an "
        "unchanged repository; items that leave the file get a 'left the landscape' event. "
        "Validated like landscape2's `validate data`: every error is listed with its line and "
        "nothing is written. Idempotent and atomic. --external imports another foundation's "
        "landscape: its items stay external projects, their maturity kept as data."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The landscape.yml file.")
        parser.add_argument(
            "--external",
            action="store_true",
            help="Another foundation's landscape (needs --name): nothing becomes hosted here.",
        )
        parser.add_argument(
            "--name",
            default="",
            help="The foundation whose landscape it is (default: the foundation's own).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report; write nothing."
        )
        parser.add_argument("--as-of", help="Date of the snapshot, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--source-url", default="", help="Where the file comes from (http/https)."
        )

    def handle(self, *args, path, as_of=None, **options):
        try:
            as_of = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD).") from None
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text (byte {error.start}).") from None
        try:
            summary = import_landscape(
                text,
                name=options["name"] or None,
                external=options["external"],
                as_of=as_of,
                source_url=options["source_url"],
                dry_run=options["dry_run"],
            )
        except InputError as error:
            raise CommandError(f"{path}: nothing was imported.\n{error}") from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
