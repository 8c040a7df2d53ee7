from pathlib import Path

from django.core.management.base import BaseCommand

from stackmap.landscape import export_landscape


class Command(BaseCommand):
    help = (
        "Write the imported landscape as a landscape2 landscape.yml (to PATH, or to standard "
        "output with - or no PATH). Items are written as imported; a project's maturity follows "
        "its current stage in MWI."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-")

    def handle(self, *args, path="-", **options):
        text = export_landscape()
        if path == "-":
            self.stdout.write(text, ending="")
        else:
            Path(path).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {path}.")
