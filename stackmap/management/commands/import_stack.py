from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mwi.lib.importing import InputError, applying
from participants.models import Committee
from stackmap.stackfile import import_stack


def committee_option(slug):
    """The committee whose meetings the file's dates refer to: --committee, else the only one."""
    if slug:
        try:
            return Committee.objects.get(slug=slug)
        except Committee.DoesNotExist:
            raise CommandError(f"No committee with slug {slug!r}.") from None
    committees = list(Committee.objects.all()[:2])
    return committees[0] if len(committees) == 1 else None


class Command(BaseCommand):
    help = (
        "Import the committee's stack file (blocks, projects, stages, mappings, integrations, "
        "use cases). Idempotent and atomic: all or nothing; bad input is reported with its line "
        "and writes nothing. Facts whose source is a committee meeting link to that "
        "committee's meeting on that date when it exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The stack YAML file.")
        parser.add_argument(
            "--committee",
            help="Slug of the committee that held the meetings (default: the only one).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, write nothing."
        )

    def handle(self, *args, path, committee=None, dry_run=False, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            with applying(dry_run=dry_run):
                report = import_stack(text, committee=committee_option(committee))
        except InputError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(str(report))
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written (rolled back)."))
        elif report.changed:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing changed: the map already matches."))
