"""What a video call leaves behind, stored as part of the meeting's record.

- a recording is a meetings.Recording (its file stored like an upload); RecordingFile keeps the
  SHA-256 of the file it came from, so importing the same file again adds nothing;
- a transcript (WebVTT) is stored as cues: start and end (milliseconds from the start of the
  recording), speaker (as the file names them, and the person matched), text;
- a chat log (Zoom) is stored as messages: time as the log writes it, sender, text.

Transcripts and chat logs are members-only until the lead publishes them: their `visibility`
is the site's (participants.models.Visibility), asked through participants.access.Audience
(`may_see_material`, `visible_materials`), the rule of members-only materials.
"""

from html import escape

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from meetings.indexes import PostgresOnlyGinIndex
from meetings.models import Meeting, Recording
from mwi.lib.text import clock
from participants.models import Person, Visibility

DIGEST_LENGTH = 64  # hex SHA-256


class RecordingFile(models.Model):
    """The file an imported recording was made from: its SHA-256 (hex)."""

    recording = models.OneToOneField(
        Recording, on_delete=models.CASCADE, primary_key=True, related_name="call_file"
    )
    digest = models.CharField(max_length=DIGEST_LENGTH, db_index=True)

    def __str__(self):
        return f"{self.recording} ({self.digest[:12]})"


class PublishedQuerySet(models.QuerySet):
    def visible_to(self, audience):
        """The rows `audience` (participants.access.Audience) may read: public ones, and the
        members-only ones of committees it is a member of (the rule of members-only
        materials)."""
        return audience.visible_materials(self, path="meeting__committee")


class _CallText(models.Model):
    """Shared by Transcript and ChatLog: one per meeting, from one file."""

    visibility = models.CharField(
        max_length=10,
        choices=Visibility,
        default=Visibility.MEMBERS,
        help_text="Members-only until you publish it.",
    )
    file_name = models.CharField(max_length=255, blank=True)
    digest = models.CharField(max_length=DIGEST_LENGTH, editable=False)
    imported = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name.capitalize()} of {self.meeting}"

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC


class Transcript(_CallText):
    """The transcript of a meeting's call (a WebVTT file), as cues.

    `html` is the cue list the meeting page shows, rendered when the cues are written
    (`render()`), as minutes are rendered at save: the page reads one column instead of
    1,500 rows.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="transcript")
    cue_count = models.PositiveIntegerField(default=0, editable=False)
    html = models.TextField(blank=True, editable=False)

    def captions_url(self):
        return reverse("calls:captions", kwargs={"pk": self.meeting_id})

    def render(self):
        """Set `html` and `cue_count` from the stored cues (1 query; save it after)."""
        rows = list(self.cues.values_list("start_ms", "end_ms", "speaker", "text"))
        self.html, self.cue_count = cues_html(rows), len(rows)


def cues_html(rows):
    """The transcript as HTML list items, from (start_ms, end_ms, speaker, text) rows: each a
    link to #t=SECONDS (the first cue of a second is its anchor's target), the speaker and the
    text, every value escaped; data-start/data-end (seconds) for static/js/transcript.js."""
    seen, out = set(), []
    for start_ms, end_ms, speaker, text in rows:
        second = start_ms // 1000
        anchor = "" if second in seen else f' id="t={second}"'
        seen.add(second)
        who = f'<span class="cue-speaker">{escape(speaker)}</span> ' if speaker else ""
        out.append(
            f'<li{anchor} data-start="{start_ms / 1000:g}" data-end="{end_ms / 1000:g}">'
            f'<a href="#t={second}" class="cue-time">{clock(start_ms)}</a> '
            f"{who}{escape(text)}</li>"
        )
    return "".join(out)


class Cue(models.Model):
    """One cue of a transcript: [start_ms, end_ms) of the recording, who spoke, what was said.

    `search_document` is the text's tsvector (PostgreSQL only; written by the importer with
    the text, GIN-indexed like the minutes).
    """

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="cues")
    position = models.PositiveIntegerField()
    start_ms = models.PositiveIntegerField()
    end_ms = models.PositiveIntegerField()
    speaker = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cues",
        db_index=False,  # cue_person_transcript starts with it
    )
    text = models.TextField()
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["transcript", "position"]
        constraints = [
            models.UniqueConstraint(fields=["transcript", "position"], name="cue_position_unique"),
            models.CheckConstraint(
                condition=models.Q(end_ms__gte=models.F("start_ms")), name="cue_ends_after_start"
            ),  # fmt: skip
        ]
        indexes = [
            PostgresOnlyGinIndex(fields=["search_document"], name="cue_search_gin"),
            # The transcripts a person spoke in (their page): read from the index alone, not
            # from the person's thousands of cue rows; their moments come in position order
            # from it too. It also serves person_id on its own.
            models.Index(fields=["person", "transcript", "position"], name="cue_person_transcript"),
        ]

    def __str__(self):
        return f"{self.timestamp} {self.speaker}: {self.text[:60]}"

    @property
    def second(self):
        """The whole second the cue starts at: the page's #t=SECONDS anchor."""
        return self.start_ms // 1000

    @property
    def timestamp(self):
        """H:MM:SS (or M:SS under an hour) of the start, as players show it."""
        return clock(self.start_ms)


class ChatLog(_CallText):
    """The chat of a meeting's call (a Zoom chat file), as messages."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="chat_log")

    class Meta:
        verbose_name = "chat log"


class ChatMessage(models.Model):
    """One message of a chat log. `time` is as the log writes it: the time of day on the
    clock of whoever saved it (Zoom's local chat file) or the time into the recording (the
    cloud recording's chat file). `html` is the text with its links (sanitized)."""

    chat = models.ForeignKey(ChatLog, on_delete=models.CASCADE, related_name="messages")
    position = models.PositiveIntegerField()
    time = models.TimeField()
    sender = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField(editable=False)

    class Meta:
        ordering = ["chat", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["chat", "position"], name="chat_message_position_unique"
            )
        ]

    def __str__(self):
        return f"{self.time} {self.sender}: {self.text[:60]}"
