"""Announce the meetings that are due and send every unsent announcement whose time has come.

Run it from cron or a systemd timer (README, "Announcements"), every few minutes: running it
more often sends nothing twice. Exits with an error when a message could not be sent; that
message stays unsent and is retried by a later run after its back-off.
"""

from django.core.management.base import BaseCommand, CommandError

from announcements import sending


class Command(BaseCommand):
    help = "Write the agenda announcements that are due, then send every due announcement once."

    def handle(self, *args, **options):
        scheduled = sending.schedule_due_agendas()
        sent, failed = sending.send_due()
        self.stdout.write(f"{len(scheduled)} agenda(s) due, {sent} message(s) sent.")
        if failed:
            raise CommandError(
                f"{failed} message(s) could not be sent; they are kept and retried by a later "
                "run (see Announcements in the admin)."
            )
