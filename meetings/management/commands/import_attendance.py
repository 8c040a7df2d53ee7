from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.attendance_import import import_attendance
from meetings.models import Meeting
from mwi.lib.importing import InputError


class Command(BaseCommand):
    help = (
        "Record a meeting's attendance from a video call's participants report: Zoom's "
        "participants CSV, Google Meet's attendance CSV or Microsoft Teams' attendance report "
        "(tab- or comma-separated, UTF-8 or UTF-16). People are matched by e-mail, then by "
        "name or alias; rows that match nobody are listed (add them in the admin's attendance "
        "page, as new people or aliases). One transaction: a malformed file names its line and "
        "writes nothing. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="The meeting's id (in its admin URL).")
        parser.add_argument("path", help="The participants report.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, write nothing."
        )

    def handle(self, *args, meeting, path, dry_run, **options):
        found = Meeting.objects.select_related("committee").filter(pk=meeting).first()
        if found is None:
            raise CommandError(f"No meeting has the id {meeting}.")
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            report, unmatched = import_attendance(found, data, dry_run=dry_run)
        except InputError as error:
            where = f", line {error.line}" if error.line else ""
            raise CommandError(f"{path}{where}: {error.message}") from None
        self.stdout.write(f"{found}:")
        self.stdout.write(str(report) if report.counts else "Nothing to record.")
        for p in unmatched:
            lines = ", ".join(str(n) for n in p.lines)
            email = f" <{p.email}>" if p.email else ""
            self.stdout.write(f"Matches nobody: {p.name}{email} (line {lines})")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif not report.changed:
            self.stdout.write("Nothing changed: the attendance already says this.")
