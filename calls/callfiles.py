"""Reading the files a video call leaves: each recognised by its content, never by its name.

`read(name, file)` gives a Recording, Transcript, Chat or Participants (plain data, no
database), or raises CallFileError(name, line, message):

- a recording: an audio or video container (MP4, M4A, WebM, MP3, Ogg, WAV, FLAC; the type is
  read from the first bytes with `filetype`, as meetings.uploads judges uploads), its duration
  read from the file by mutagen;
- a transcript: text beginning with the `WEBVTT` header, parsed by webvtt-py. Speakers as
  Microsoft Teams writes them (`<v Jane Doe>text</v>` voice spans) or as Zoom does ("Jane Doe:
  text" at the start of the cue);
- a chat log in one of Zoom's formats: the older local file, "HH:MM:SS From Jane Doe to
  Everyone: text" (or "From Jane Doe : text"; a newer client puts the text on the following
  tab-indented lines), and the cloud recording's tab-separated "HH:MM:SS<TAB>Jane Doe:<TAB>
  text". Lines that begin no message continue the one before. Direct messages
  ("to Bob(Direct Message)", "(Privately)") are private: they are left out;
- a participants report (Zoom, Google Meet, Microsoft Teams): whatever
  meetings.attendance_import reads; imported by its `import_attendance`.
"""

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field

import filetype
import mutagen
import webvtt
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from webvtt.errors import MalformedCaptionError, MalformedFileError

from meetings import attendance_import
from meetings.uploads import RECORDING_TYPES
from mwi.lib.importing import InputError

AUDIO_EXTENSIONS = {"mp3", "m4a", "ogg", "wav", "flac"}
SNIFF_BYTES = 64 * 1024
# A transcript or chat log larger than this is not one (a 3-hour transcript is ~1 MB).
TEXT_MAX_BYTES = 20 * 1024 * 1024


class CallFileError(InputError):
    """A file of a call that cannot be imported: `file` (its name), `line` (1-based or None)."""

    def __init__(self, file, line, message):
        self.file = file
        super().__init__(line, message)
        self.args = (str(self),)

    def __str__(self):
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class Recording:
    name: str
    file: object  # the open binary file (django File)
    extension: str
    duration: dt.timedelta | None
    digest: str
    kind = "recording"

    @property
    def media_kind(self):
        return "audio" if self.extension in AUDIO_EXTENSIONS else "video"


@dataclass
class CueData:
    line: int
    start_ms: int
    end_ms: int
    speaker: str
    text: str


@dataclass
class Transcript:
    name: str
    digest: str
    cues: list = field(default_factory=list)
    kind = "transcript"


@dataclass
class Message:
    line: int
    time: dt.time
    sender: str
    text: str


@dataclass
class Chat:
    name: str
    digest: str
    messages: list = field(default_factory=list)
    private_left_out: int = 0
    kind = "chat"


@dataclass
class Participants:
    name: str
    data: bytes
    digest: str
    count: int
    kind = "participants"


def _digest(file):
    sha = hashlib.sha256()
    file.seek(0)
    for chunk in (
        file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
    ):
        sha.update(chunk)
    file.seek(0)
    return sha.hexdigest()


def read(name, file):
    """What the file `name` (an open binary django File) is, read: see the module docstring."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if not head:
        raise CallFileError(name, None, "the file is empty")
    guess = filetype.guess(head)
    if guess is not None:
        extension = {"jpeg": "jpg"}.get(guess.extension, guess.extension)
        if extension in RECORDING_TYPES:
            return _recording(name, file, extension)
        raise CallFileError(
            name, None, f"a {guess.extension.upper()} file ({guess.mime}), which is not a "
            "recording, transcript, chat log or participants report",
        )  # fmt: skip
    size = getattr(file, "size", None)
    if size is not None and size > TEXT_MAX_BYTES:
        raise CallFileError(name, None, "too large for a transcript, chat log or report")
    data = file.read()
    file.seek(0)
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = attendance_import.decode(data)
    except InputError as error:
        raise CallFileError(name, error.line, error.message) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.lstrip("\ufeff").startswith("WEBVTT"):
        return Transcript(name, digest, _cues(name, text))
    first = next((line for line in text.split("\n") if line.strip()), "")
    if _chat_header(first):
        return _chat(name, digest, text)
    try:
        participants = attendance_import.parse(data)
    except InputError as error:
        if error.line is None and "no participants table" in error.message:
            raise CallFileError(
                name, None,
                "not a recording, a WebVTT transcript (it would begin with WEBVTT), a Zoom chat "
                'log ("HH:MM:SS From Name to Everyone: ...") or a participants report (Zoom, '
                "Google Meet or Teams CSV)",
            ) from None  # fmt: skip
        raise CallFileError(name, error.line, f"participants report: {error.message}") from None
    return Participants(name, data, digest, len(participants))


# --- recordings ----------------------------------------------------------------------------------


def _recording(name, file, extension):
    size = getattr(file, "size", None)
    limit = settings.UPLOAD_MAX_BYTES
    if size is not None and size > limit:
        raise CallFileError(
            name, None, f"a recording of {filesizeformat(size)}; the limit for uploaded files "
            f"is {filesizeformat(limit)} (UPLOAD_MAX_BYTES), link it from the meeting instead",
        )  # fmt: skip
    try:
        media = mutagen.File(file)
    except mutagen.MutagenError as error:
        raise CallFileError(
            name, None, f"a damaged {extension.upper()} recording ({error})"
        ) from None
    finally:
        file.seek(0)
    length = getattr(getattr(media, "info", None), "length", None)
    if media is not None and not length:
        raise CallFileError(name, None, f"a {extension.upper()} recording without any length")
    duration = dt.timedelta(seconds=round(length, 3)) if length else None
    return Recording(name, file, extension, duration, _digest(file))


# --- transcripts ---------------------------------------------------------------------------------

_TIMING = re.compile(
    r"^\s*(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}(?:\s+.*)?$"
)
# Zoom writes the speaker before the text: "Jane Doe: what was said".
_ZOOM_SPEAKER = re.compile(r"^(?P<speaker>[^:\n<>]{1,80}?):\s+(?P<text>.+)$", re.DOTALL)


def _blocks(lines):
    """(first line number, [lines]) of each blank-line-separated block after the header."""
    block, start = [], None
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _timing_lines(name, lines):
    """The line number of each cue's timing line; CallFileError naming the line of a cue
    block whose timing cannot be read ("00:00:02,000 -> ..." is SRT's, not WebVTT's)."""
    found = []
    for start, block in list(_blocks(lines))[1:]:
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        at = 0 if "-->" in block[0] or len(block) == 1 else 1
        if not _TIMING.match(block[at]):
            raise CallFileError(
                name, start + at, "not a WebVTT cue timing (HH:MM:SS.mmm --> HH:MM:SS.mmm): "
                f"{block[at].strip()[:80]!r}",
            )  # fmt: skip
        found.append(start + at)
    return found


def _cues(name, text):
    """[CueData] of a WebVTT text, in file order. Raises CallFileError naming the line of a
    timing line webvtt-py cannot read, of a cue ending before it starts, of a cue without text."""
    timing_lines = _timing_lines(name, text.split("\n"))
    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except (MalformedFileError, MalformedCaptionError) as error:
        raise CallFileError(name, None, f"not a readable WebVTT file ({error})") from None
    if len(captions) != len(timing_lines):
        raise CallFileError(name, None, "not a readable WebVTT file (cues without timings)")
    cues = []
    for line, caption in zip(timing_lines, captions, strict=True):
        start, end = caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds()
        if end < start:
            raise CallFileError(
                name, line, f"the cue ends ({caption.end}) before it starts ({caption.start})"
            )
        body = " ".join(caption.text.split())
        speaker = (caption.voice or "").strip()
        if not speaker:
            match = _ZOOM_SPEAKER.match(body)
            if match:
                speaker, body = match["speaker"].strip(), match["text"].strip()
        if not body:
            continue  # an empty cue says nothing
        cues.append(CueData(line, start, end, speaker[:200], body))
    if not cues:
        raise CallFileError(name, None, "a WebVTT file without any cue")
    return cues


# --- chat logs -----------------------------------------------------------------------------------

_TIME = r"(?P<time>\d{1,2}:\d{2}:\d{2})"
# Older Zoom: "10:03:26 From Jane Doe to Everyone: text", "10:03:26	 From  Jane Doe : text".
_OLD = re.compile(
    _TIME + r"\s+From\s+(?P<sender>.+?)(?:\s+to\s+(?P<to>.+?))?\s*:(?:\s(?P<text>.*))?$"
)
# Cloud recording chat: "00:03:26<TAB>Jane Doe:<TAB>text".
_TABBED = re.compile(_TIME + r"\t(?P<sender>[^\t]+?):\t(?P<text>.*)$")
_PRIVATE = re.compile(r"\(\s*(?:direct message|privately)\s*\)", re.IGNORECASE)


def _chat_header(line):
    return _TABBED.match(line) or _OLD.match(line)


def _chat(name, digest, text):
    chat = Chat(name, digest)
    current, private = None, False
    for number, line in enumerate(text.split("\n"), start=1):
        match = _chat_header(line)
        if match is None:
            if current is None and line.strip():
                raise CallFileError(name, number, "a chat line without a time and sender")
            if current is not None and line.strip():
                current.text = f"{current.text}\n{line.strip()}".strip()
            continue
        try:
            hours, minutes, seconds = (int(part) for part in match["time"].split(":"))
            time = dt.time(hours, minutes, seconds)
        except ValueError:
            raise CallFileError(name, number, f"not a time of day: {match['time']}") from None
        to = match.groupdict().get("to") or ""
        private = bool(_PRIVATE.search(to) or _PRIVATE.search(match["sender"]))
        if private:
            chat.private_left_out += 1
            current = Message(number, time, "", "")  # its lines are swallowed, not kept
            continue
        current = Message(
            number, time, match["sender"].strip()[:200], (match["text"] or "").strip()
        )
        chat.messages.append(current)
    chat.messages = [m for m in chat.messages if m.text]
    if not chat.messages:
        raise CallFileError(name, None, "a chat log without any message")
    return chat
