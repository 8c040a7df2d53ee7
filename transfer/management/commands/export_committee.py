from django.core.management.base import BaseCommand, CommandError

from participants.models import Committee
from transfer import archive


class Command(BaseCommand):
    help = (
        "Write one committee to a ZIP archive: its series, meetings, minutes, attendance, "
        "transcripts, chat logs and announcements record, its people (with their dated "
        "affiliations) and memberships, uploaded files and history, with a checksummed manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The committee's slug, e.g. mwi.")
        parser.add_argument("out", help="The archive to write, e.g. mwi.zip.")

    def handle(self, slug, out, **options):
        committee = Committee.objects.filter(slug=slug).first()
        if committee is None:
            raise CommandError(f"No committee with the slug {slug!r}.")
        counts = archive.write(committee, out)
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(f"Wrote {committee.name} to {out}: {summary}.")
