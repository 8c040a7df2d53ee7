from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mwi.lib.importing import InputError
from stackmap.landscape import export_landscape


class Command(BaseCommand):
    help = (
        "Write a landscape back as its landscape2 landscape.yml (to PATH, or to standard output "
        "with - or no PATH): the file as imported, with only what changed here rewritten "
        "(items edited, added or deleted in the admin; on the foundation's own landscape, "
        "each item's maturity following its project's current stage)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-")
        parser.add_argument(
            "--name", default="", help="Which landscape (default: the foundation's own)."
        )

    def handle(self, *args, path="-", name="", **options):
        try:
            text = export_landscape(name or None)
        except InputError as error:
            raise CommandError(str(error)) from None
        if path == "-":
            self.stdout.write(text, ending="")
        else:
            Path(path).write_bytes(text.encode("utf-8"))
            self.stderr.write(f"Wrote {path}.")
