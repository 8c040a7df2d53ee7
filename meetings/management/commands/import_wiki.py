from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings import wiki
from meetings.wiki_import import LABELS, import_page
from mwi.lib.importing import InputError, applying


class Command(BaseCommand):
    help = (
        "Import a committee's wiki page (a Markdown export with HTML table cells): the "
        "committee, its participants, and its meetings with minutes, recordings and slides. "
        'The cadence sentence ("Every 4 weeks on Thursday, 10am EST") becomes a meeting series '
        "in the zone the abbreviation names (EST: America/New_York, daylight saving included), "
        "anchored on the listed meetings: the largest group of them that fall on one rhythm of "
        "the cadence starts the series and become its occurrences; the others stay one-offs. "
        "Linked names become mentions of people (names and aliases, spelling-insensitive); "
        "linked texts that match no one stay plain text and are listed. One transaction: a "
        "malformed page changes nothing. Running it again changes nothing and says so."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The wiki page export (UTF-8 text).")
        parser.add_argument(
            "--committee", default="", help="Slug of the committee (default: from its name)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, write nothing."
        )
        parser.add_argument(
            "--person",
            action="append",
            default=[],
            metavar="NAME",
            help="Add a person the page links but does not list (repeatable).",
        )
        parser.add_argument(
            "--alias",
            action="append",
            default=[],
            metavar="SPELLING=KNOWN NAME",
            help="Record a spelling as another name of a known person (repeatable).",
        )

    def handle(self, *args, path, committee, dry_run, person, alias, **options):
        aliases = []
        for pair in alias:
            spelling, _, known = (part.strip() for part in pair.partition("="))
            if not spelling or not known:
                raise CommandError(f'--alias {pair!r}: write it as "Spelling=Known Name".')
            aliases.append((spelling, known))
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            page = wiki.parse_page(data)
            with applying(dry_run=dry_run):
                report = import_page(page, committee_slug=committee, people=person, aliases=aliases)
        except InputError as error:
            raise CommandError(f"{path}, {error}" if error.line else str(error)) from None
        self._print(report, dry_run)

    def _print(self, report, dry_run):
        write = self.stdout.write
        write(f"{report.committee.name} ({report.committee.slug})")
        for note in report.notes:
            write(note)
        write("")
        for line in report.table(LABELS):
            write(line)
        if report.unlinked:
            write("")
            write(
                "Linked texts that match no one, kept as plain text (--person NAME adds a person,"
                ' --alias "TEXT=Known Name" names a known one):'
            )
            for text, entry in sorted(
                report.unlinked.items(), key=lambda item: (-len(item[1]["lines"]), item[0])
            ):
                lines = sorted(set(entry["lines"]))
                where = f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}"
                became = (
                    f"; became {' and '.join(sorted(entry['became']))}" if entry["became"] else ""
                )
                write(f"  {text!r} ×{len(entry['lines'])} ({where}){became}")
        for warning in report.warnings:
            write(self.style.WARNING(f"Warning: {warning}"))
        write("")
        if dry_run:
            write(self.style.WARNING("Dry run: nothing was written (rolled back)."))
        elif report.changed:
            write(self.style.SUCCESS("Imported."))
        else:
            write(self.style.SUCCESS("Nothing changed: the database already matches the page."))
