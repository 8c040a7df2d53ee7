import dj_database_url
from django.core.management.base import BaseCommand, CommandError

from mwi.lib.backups import BackupError, restore_backup, verify


class Command(BaseCommand):
    help = (
        "Replace the database and the media files with those of a backup archive. The archive "
        "is verified first (manifest, checksums, safe names): a corrupt archive changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A file written by `manage.py backup`.")
        parser.add_argument(
            "--into",
            metavar="DATABASE_URL",
            help="Restore into this database instead of the configured one (e.g. a scratch "
            "database, to test a backup). Media files are then left alone.",
        )
        parser.add_argument(
            "--check", action="store_true", help="Only verify the archive; change nothing."
        )
        parser.add_argument("--no-input", action="store_true", help="Do not ask to confirm.")

    def handle(self, *args, archive, into=None, check=False, no_input=False, **options):
        try:
            if check:
                opened, manifest = verify(archive)
                opened.close()
                self.stdout.write(
                    self.style.SUCCESS(f"{archive} is intact ({_describe(manifest)}).")
                )
                return
            try:
                target = dj_database_url.parse(into) if into else None
            except ValueError as error:
                raise CommandError(f"--into: {error}") from None
            if not no_input and not into:
                answer = input(
                    "This replaces the database and media files with the backup's. Type 'yes': "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing was changed.")
            manifest = restore_backup(archive, db=target, restore_media=not into)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {archive} ({_describe(manifest)})."))


def _describe(manifest):
    media = sum(1 for name in manifest["files"] if name.startswith("media/"))
    return f"{manifest['database']} database made {manifest['created']}, {media} media file(s)"
