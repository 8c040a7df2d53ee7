"""Attendance from a video call's participants report: Zoom, Google Meet, Microsoft Teams.

Formats read (the header row is found wherever the vendor's preamble puts it):

- Zoom participants report (CSV): "Name (Original Name)", "User Email", "Join Time",
  "Leave Time", "Duration (Minutes)", "Guest". A person who rejoined has several rows;
  "Jane Doe (Jane D.)" is a renamed participant whose original name is in parentheses.
- Google Meet attendance (CSV): "First name", "Last name", "Email", "Duration",
  "Time joined", "Time exited" (older exports: "Full Name", "Email", ...).
- Microsoft Teams attendance report: tab- or comma-separated, UTF-16 or UTF-8, with a summary
  section before the participants' "Name", "First Join", "Last Leave", "Email",
  "Participant ID (UPN)", "Role" table.

Rows are grouped per participant, then matched to people by e-mail, then by name or alias with
the key mentions use (participants.models.name_key). The import follows mwi.lib.importing:
parse -> match -> apply in one transaction; a malformed file raises InputError(line, message)
and writes nothing; importing the same file again changes nothing.
"""

import io
import re
from dataclasses import dataclass, field

from mwi.lib import csvsafe
from mwi.lib.importing import InputError, Report, applying, create, upsert
from participants.models import Person, PersonAlias, name_key

from .models import Attendance

NAME_COLUMNS = ("name (original name)", "name", "full name", "participant", "display name")
EMAIL_COLUMNS = ("user email", "email", "email address", "participant id (upn)")
FIRST_LAST = ("first name", "last name")
# Zoom's "Display Name (Original Name)"; the original may hold parentheses of its own.
_ORIGINAL = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<original>.+)\)\s*$")


@dataclass
class Participant:
    """One person of the report: their rows' lines, name(s) and e-mail."""

    name: str
    email: str = ""
    other_names: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    person: Person | None = None

    @property
    def key(self):
        return self.email.casefold() or name_key(self.name)


def decode(data):
    """Text of a report: UTF-16 (Teams) when it has a UTF-16 BOM or NUL bytes, else UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:200]:
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(None, "the file looks like UTF-16 but cannot be decoded") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            line, "not UTF-8 or UTF-16 text (is this a participants report?)"
        ) from None


def _columns(row):
    return [cell.strip().strip('"').casefold() for cell in row]


def _header(columns):
    """(name index or (first, last) indexes, email index or None) if this row is the header."""
    email = next((columns.index(c) for c in EMAIL_COLUMNS if c in columns), None)
    if all(c in columns for c in FIRST_LAST):
        return (columns.index(FIRST_LAST[0]), columns.index(FIRST_LAST[1])), email
    name = next((columns.index(c) for c in NAME_COLUMNS if c in columns), None)
    if name is None:
        return None
    # "Name" alone is too common a word: a header also names an e-mail, join time or duration.
    if email is None and not any("join" in c or "duration" in c for c in columns):
        return None
    return name, email


def parse(data):
    """[Participant] of a report (bytes), in order of first appearance; rejoins merged.

    Raises InputError naming the line: no participants header, a row with fewer cells than
    the header, a row with neither name nor e-mail.
    """
    text = decode(data)
    lines = text.splitlines()
    sample = "\n".join(lines[:50])
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = list(csvsafe.reader(io.StringIO(text), delimiter=delimiter))
    header_at, header = None, None
    for number, row in enumerate(rows):
        header = _header(_columns(row))
        if header:
            header_at = number
            break
    if header is None:
        raise InputError(
            None,
            "no participants table found: expected a header row such as Zoom's "
            '"Name (Original Name), User Email, Join Time", Google Meet\'s "First name, '
            'Last name, Email" or Teams\' "Name, First Join, Email"',
        )
    name_at, email_at = header
    width = len(rows[header_at])
    participants = {}
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) == 1 and row[0].strip().startswith(("3.", "In-Meeting", "Meeting")):
            break  # Teams: the next section begins
        if len(row) < width:
            raise InputError(offset, f"{len(row)} cells where the header has {width}")
        if isinstance(name_at, tuple):
            name = " ".join(row[i].strip() for i in name_at if row[i].strip())
        else:
            name = row[name_at].strip()
        email = row[email_at].strip() if email_at is not None else ""
        if email and "@" not in email:
            email = ""  # Teams writes a Participant ID, not always an address
        original = ""
        match = _ORIGINAL.match(name)
        if match:
            name, original = match["name"].strip(), match["original"].strip()
        if not name and not email:
            raise InputError(offset, "a row with neither a name nor an e-mail")
        participant = Participant(name=name or email, email=email)
        known = participants.get(participant.key)
        if known is None:
            known = participants[participant.key] = participant
        if original and original not in known.other_names and original != known.name:
            known.other_names.append(original)
        known.lines.append(offset)
    return list(participants.values())


def match(participants):
    """Fill in each participant's person: by e-mail, then by name, original name or alias.

    Two queries for any number of participants.
    """
    emails = {p.email.casefold() for p in participants if p.email}
    by_email = {}
    for person in Person.objects.filter(email__iregex=_any_of(emails)) if emails else []:
        by_email[person.email.casefold()] = person
    keys = {name_key(n) for p in participants for n in [p.name, *p.other_names]} - {""}
    by_key = {}
    if keys:
        for person in Person.objects.filter(name_key__in=keys):
            by_key[person.name_key] = person
        for alias in PersonAlias.objects.filter(key__in=keys).select_related("person"):
            by_key.setdefault(alias.key, alias.person)
    for p in participants:
        p.person = by_email.get(p.email.casefold()) if p.email else None
        for name in (p.name, *p.other_names):
            p.person = p.person or by_key.get(name_key(name))
    return participants


def _any_of(emails):
    return "^(" + "|".join(re.escape(e) for e in sorted(emails)) + ")$"


def import_attendance(meeting, data, *, dry_run=False, decisions=None):
    """Record everyone of a report as present at `meeting`; returns (Report, [unmatched]).

    `decisions` maps a participant's key to "new" (add as a new person) or a Person (an alias
    of them: the report's name becomes their alias). Unmatched participants without a
    decision are left out and returned. Existing attendance is kept (regrets become present).
    """
    participants = match(parse(data))
    decisions = decisions or {}
    report = Report()
    unmatched = []
    with applying(dry_run=dry_run):
        for p in participants:
            person = p.person
            choice = decisions.get(p.key)
            if person is None and choice == "new":
                person = create(Person, report=report, name=p.name, email=p.email)
            elif person is None and isinstance(choice, Person):
                person = choice
                upsert(PersonAlias, {"key": name_key(p.name)}, {"person": person, "name": p.name},
                       report=report)  # fmt: skip
            if person is None:
                unmatched.append(p)
                continue
            upsert(
                Attendance, {"meeting": meeting, "person": person},
                {"status": Attendance.Status.PRESENT}, report=report,
            )  # fmt: skip
    return report, unmatched
