from django.core.management.base import BaseCommand, CommandError

from transfer import archive


class Command(BaseCommand):
    help = (
        "Restore a committee archive (written by export_committee on another site) as a new "
        "committee of this site. People already here are reused (matched by e-mail, then by "
        "name) and listed, keeping their affiliations here. An announcement whose Message-ID "
        "this site already has is skipped and listed. A damaged archive, or one of another "
        "format version, is refused; on any error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive to read, e.g. mwi.zip.")

    def handle(self, **options):
        try:
            result = archive.restore(options["archive"])
        except archive.ArchiveError as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        summary = ", ".join(f"{n} {what}" for what, n in result.created.items())
        self.stdout.write(f"Imported {result.committee.name}: {summary}.")
        for name, person, how in result.reused:
            self.stdout.write(f"  reused {person} (already here; matched {name!r} by {how})")
        for note in result.notes:
            self.stdout.write(f"  {note}")
