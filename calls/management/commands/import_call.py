"""python manage.py import_call MEETING_PK FILE... [--dry-run]

The files of one call (recording, WebVTT transcript, Zoom chat log, participants report), each
recognised by its content, imported into the meeting in one transaction (calls.importer).
"""

from pathlib import Path

from django.core.files.base import File
from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from mwi.lib.importing import InputError

from ...importer import LABELS, import_call


class Command(BaseCommand):
    help = (
        "Import a video call's files into a meeting: recording (MP4, M4A...), WebVTT transcript "
        "(Zoom, Teams), Zoom chat log, participants report (Zoom, Google Meet, Teams). Each "
        "file is recognised by its content; nothing is written if any file cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="the meeting's id (its page's last number)")
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="read and check, write nothing")

    def handle(self, *args, meeting, files, dry_run, **options):
        found = Meeting.objects.filter(pk=meeting).select_related("committee").first()
        if found is None:
            raise CommandError(f"No meeting with id {meeting}.")
        handles = []
        try:
            for path in files:
                try:
                    handles.append((path.name, File(path.open("rb"), name=path.name)))
                except OSError as error:
                    raise CommandError(f"{path}: {error.strerror}") from None
            report = import_call(found, handles, dry_run=dry_run)
        except InputError as error:
            raise CommandError(str(error)) from None
        finally:
            for _, handle in handles:
                handle.close()
        self.stdout.write("\n".join(report.notes + report.table(LABELS)))
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(f"Meeting page: {found.get_absolute_url()}")
