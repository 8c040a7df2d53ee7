"""The call's parts of composed pages: the transcript and chat on a meeting's page, "spoke at"
on a person's page. Each tag runs a fixed number of queries, named in its docstring."""

from dataclasses import dataclass, field

from django import template
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import mark_safe

from meetings.models import Meeting
from participants import access

from ..models import ChatLog, Cue, Transcript

register = template.Library()

SPOKE_AT_MEETINGS = 20
MOMENTS_PER_MEETING = 3


@dataclass
class CallParts:
    """What a meeting page shows of the call, for one audience."""

    transcript: Transcript | None = None
    transcript_hidden: bool = False  # there is one, members-only
    cues_html: str = ""
    cue_count: int = 0
    chat: ChatLog | None = None
    chat_hidden: bool = False
    messages: list = field(default_factory=list)

    @property
    def captions_url(self):
        return self.transcript.captions_url() if self.transcript else ""

    @property
    def hidden(self):
        return self.transcript_hidden or self.chat_hidden


def cues_html(cues):
    """The transcript as list items: each a link to #t=SECONDS (the first cue of a second is
    its anchor's target), the speaker and the text. Built here rather than in a template
    loop: a 1,500-cue transcript renders in a few milliseconds instead of tens."""
    seen, out = set(), []
    for cue in cues:
        second = cue.second
        anchor = "" if second in seen else f' id="t={second}"'
        seen.add(second)
        speaker = f'<span class="cue-speaker">{escape(cue.speaker)}</span> ' if cue.speaker else ""
        out.append(
            f'<li{anchor} data-start="{cue.start_ms / 1000:g}" data-end="{cue.end_ms / 1000:g}">'
            f'<a href="#t={second}" class="cue-time">{cue.timestamp}</a> '
            f"{speaker}{escape(cue.text)}</li>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above


@register.simple_tag(takes_context=True)
def meeting_call(context, meeting):
    """CallParts of `meeting` for the page's audience: 2 to 4 queries (the transcript and chat
    rows; their cues and messages when the audience may read them)."""
    audience = context.get("audience", access.ANONYMOUS)
    parts = CallParts()
    transcript = Transcript.objects.filter(meeting=meeting).first()
    if transcript is not None:
        if audience.may_see_material(transcript, meeting.committee_id):
            cues = list(transcript.cues.only("start_ms", "end_ms", "speaker", "text"))
            parts.transcript, parts.cues_html, parts.cue_count = (
                transcript, cues_html(cues), len(cues)
            )  # fmt: skip
        else:
            parts.transcript_hidden = True
    chat = ChatLog.objects.filter(meeting=meeting).first()
    if chat is not None:
        if audience.may_see_material(chat, meeting.committee_id):
            parts.chat, parts.messages = chat, list(chat.messages.all())
        else:
            parts.chat_hidden = True
    return parts


@register.inclusion_tag("calls/person_spoke_at.html", takes_context=True)
def person_spoke_at(context, person):
    """Meetings whose transcript the visitor may read where the person spoke, newest first,
    with the first moments they spoke at: 2 queries."""
    audience = context.get("audience", access.ANONYMOUS)
    visible = Transcript.objects.visible_to(audience).values("pk")
    meetings = list(
        Meeting.objects.filter(transcript__in=visible, transcript__cues__person=person)
        .select_related("committee")
        .distinct()
        .order_by("-start")[:SPOKE_AT_MEETINGS]
    )
    moments = {}
    if meetings:
        cues = (
            Cue.objects.filter(person=person, transcript__meeting__in=meetings)
            .annotate(
                n=Window(RowNumber(), partition_by=F("transcript"), order_by=F("position").asc())
            )
            .filter(n__lte=MOMENTS_PER_MEETING)
            .select_related("transcript")
            .only("start_ms", "text", "transcript__meeting_id")
            .order_by("position")
        )
        for cue in cues:
            moments.setdefault(cue.transcript.meeting_id, []).append(cue)
    return {
        "spoke_at": [(m, moments.get(m.pk, [])) for m in meetings],
        "limit": SPOKE_AT_MEETINGS,
    }
