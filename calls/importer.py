"""Import a call's files into a meeting in one step (`import_call`), the mwi.lib.importing way.

Every file is read first (calls.callfiles: recognised by content, parsed, nothing written);
then everything is applied in one transaction: the recording stored and its duration
recorded, the transcript's cues and the chat's messages written, the participants report
imported by meetings.attendance_import.import_attendance. A file that cannot be read raises
CallFileError naming it (and its line) before anything is written; an error while applying
rolls the whole import back and removes the files stored on the way.

Importing the same files again changes nothing: a recording is known by the SHA-256 of its
file, a transcript and a chat log by their file's; a different transcript or chat log
replaces the meeting's (keeping whether it was published).
"""

import datetime as dt

from django.contrib.postgres.search import SearchVector
from django.core.files.base import File
from django.db import connections, router
from django.utils.html import urlize

from meetings.attendance_import import import_attendance
from meetings.indexes import SEARCH_CONFIG
from meetings.models import Recording
from mwi.lib.importing import Report, applying, create, update
from mwi.lib.markdown import sanitize
from mwi.lib.text import clock, name_key
from participants.models import Person, PersonAlias

from . import callfiles
from .callfiles import CallFileError
from .models import ChatLog, ChatMessage, Cue, RecordingFile, Transcript

BATCH = 1000
LABELS = ("recordings", "transcripts", "chat logs", "attendance", "people", "person aliases")


def read_all(files):
    """[(kind, data)] of `files` ([(name, open binary django File)]); CallFileError on the
    first file that cannot be read, or on two transcripts, chat logs or reports in one import."""
    read = [callfiles.read(name, file) for name, file in files]
    for kind in ("transcript", "chat", "participants"):
        same = [item.name for item in read if item.kind == kind]
        if len(same) > 1:
            raise CallFileError(
                same[1], None, f"a second {kind} file in one import (after {same[0]}): import one"
            )
    return read


def import_call(meeting, files, *, dry_run=False):
    """Import `files` ([(name, open binary file)]) into `meeting`; returns a Report.

    Raises CallFileError (an InputError naming the file and line) and writes nothing when a
    file is unknown or malformed.
    """
    items = read_all(files)
    report = Report()
    stored = []
    try:
        with applying(dry_run=dry_run):
            for item in items:
                {
                    "recording": _recording,
                    "transcript": _transcript,
                    "chat": _chat,
                    "participants": _participants,
                }[item.kind](meeting, item, report, stored)
    except BaseException:
        _remove(stored)
        raise
    if dry_run:
        _remove(stored)
    return report


def _remove(stored):
    for storage, name in stored:
        storage.delete(name)


def _recording(meeting, item, report, stored):
    length = clock(item.duration // dt.timedelta(milliseconds=1)) if item.duration else "unknown"
    report.notes.append(
        f"{item.name}: a {item.media_kind} recording ({item.extension.upper()}, {length})"
    )
    known = RecordingFile.objects.filter(recording__meeting=meeting, digest=item.digest).first()
    if known is not None:
        report.count("recordings", "unchanged", known)
        return
    recording = Recording(
        meeting=meeting,
        title="Recording of the call",
        kind=item.media_kind,
        file_name=item.name[:255],
        duration=item.duration,
    )
    recording.file.save(f"call.{item.extension}", File(item.file), save=False)
    stored.append((recording.file.storage, recording.file.name))
    recording.save()
    RecordingFile.objects.create(recording=recording, digest=item.digest)
    report.count("recordings", "created", recording)
    if item.duration is None:
        report.warnings.append(f"{item.name}: its duration could not be read")


def _people_by_key(names):
    """{name_key: Person} for speaker names, by name or alias: 2 queries."""
    keys = {name_key(n) for n in names} - {""}
    found = {}
    if keys:
        found.update((p.name_key, p) for p in Person.objects.filter(name_key__in=keys))
        for alias in PersonAlias.objects.filter(key__in=keys).select_related("person"):
            found.setdefault(alias.key, alias.person)
    return found


def _replace_text(model, meeting, item, report, label):
    """The meeting's transcript or chat log row for `item`: None when the same file is there
    (unchanged), else the row created or updated (its old cues or messages removed)."""
    row = model.objects.filter(meeting=meeting).first()
    if row is None:
        return create(model, report=report, label=label, meeting=meeting,
                      file_name=item.name[:255], digest=item.digest)  # fmt: skip
    if row.digest == item.digest:
        report.count(label, "unchanged", row)
        return None
    update(row, {"file_name": item.name[:255], "digest": item.digest}, report=report, label=label)
    return row


def _transcript(meeting, item, report, stored):
    transcript = _replace_text(Transcript, meeting, item, report, "transcripts")
    if transcript is None:
        return
    transcript.cues.all().delete()
    people = _people_by_key({cue.speaker for cue in item.cues})
    Cue.objects.bulk_create(
        [
            Cue(
                transcript=transcript,
                position=n,
                start_ms=cue.start_ms,
                end_ms=cue.end_ms,
                speaker=cue.speaker,
                person=people.get(name_key(cue.speaker)),
                text=cue.text,
            )
            for n, cue in enumerate(item.cues)
        ],
        batch_size=BATCH,
    )
    fill_search_documents(Cue.objects.filter(transcript=transcript))
    transcript.render()
    transcript.save(update_fields=["html", "cue_count"])
    report.notes.append(f"{item.name}: a transcript of {len(item.cues)} cues")
    unknown = sorted({c.speaker for c in item.cues if c.speaker} - _matched(people, item.cues))
    if unknown:
        report.warnings.append(
            f"{item.name}: speakers matched to no one (add them as people or aliases, then "
            f"import again): {', '.join(unknown)}"
        )


def _matched(people, cues):
    return {c.speaker for c in cues if name_key(c.speaker) in people}


def fill_search_documents(cues):
    """Write the search document of `cues` (a queryset) from their text: one UPDATE on
    PostgreSQL, nothing elsewhere (SQLite searches the text itself)."""
    if connections[router.db_for_write(Cue)].vendor != "postgresql":
        return 0
    return cues.update(search_document=SearchVector("text", config=SEARCH_CONFIG))


def message_html(text):
    """A chat message as HTML: escaped, its links kept (Django's urlize), sanitized."""
    return sanitize(urlize(text, nofollow=True, autoescape=True).replace("\n", "<br>"))


def _chat(meeting, item, report, stored):
    chat = _replace_text(ChatLog, meeting, item, report, "chat logs")
    if chat is None:
        return
    chat.messages.all().delete()
    ChatMessage.objects.bulk_create(
        [
            ChatMessage(
                chat=chat,
                position=n,
                time=m.time,
                sender=m.sender,
                text=m.text,
                html=message_html(m.text),
            )  # fmt: skip
            for n, m in enumerate(item.messages)
        ],
        batch_size=BATCH,
    )
    report.notes.append(f"{item.name}: a chat log of {len(item.messages)} messages")
    if item.private_left_out:
        report.notes.append(
            f"{item.name}: {item.private_left_out} direct messages left out (they are private)"
        )


def _participants(meeting, item, report, stored):
    attendance, unmatched = import_attendance(meeting, item.data)
    for label, counts in attendance.counts.items():
        for status, n in counts.items():
            report.counts[label][status] += n
    report.warnings += attendance.warnings
    if unmatched:
        report.warnings.append(
            f"{item.name}: {len(unmatched)} participants matched no one and were left out "
            f"(review them on the meeting's Attendance page): "
            + ", ".join(p.name for p in unmatched)
        )
