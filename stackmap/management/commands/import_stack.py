from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from participants.models import Committee
from stackmap.stackfile import import_stack
from stackmap.yamlfile import InputError


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
        "use cases). Idempotent and atomic: all or nothing. Facts whose source is a committee "
        "meeting link to that committee's meeting on that date when it exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The stack YAML file.")
        parser.add_argument(
            "--committee",
            help="Slug of the committee that held the meetings (default: the only one).",
        )

    def handle(self, *args, path, committee=None, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            summary = import_stack(text, committee=committee_option(committee))
        except InputError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(self.style.SUCCESS(summary))
