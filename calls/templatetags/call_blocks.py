"""The call's parts of composed pages: the transcript and chat on a meeting's page, "spoke at"
on a person's page. Each tag runs a fixed number of queries, named in its docstring."""

from dataclasses import dataclass, field

from django import template
from django.db.models import F, Window
from django.db.models.functions import RowNumber
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
    chat: ChatLog | None = None
    chat_hidden: bool = False
    messages: list = field(default_factory=list)

    @property
    def captions_url(self):
        return self.transcript.captions_url() if self.transcript else ""

    @property
    def hidden(self):
        return self.transcript_hidden or self.chat_hidden


@register.simple_tag(takes_context=True)
def meeting_call(context, meeting):
    """CallParts of `meeting` for the page's audience: 2 or 3 queries (the transcript with its
    rendered cues, the chat log; its messages when the audience may read them)."""
    audience = context.get("audience", access.ANONYMOUS)
    parts = CallParts()
    transcript = Transcript.objects.filter(meeting=meeting).first()
    if transcript is not None:
        if audience.may_see_material(transcript, meeting.committee_id):
            parts.transcript = transcript
            parts.cues_html = mark_safe(transcript.html)  # noqa: S308 - escaped by render()
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
    with the first moments they spoke at: 2 queries (1 when they never spoke).

    The transcripts they spoke in come first, from the (person, transcript) index alone; the
    moments then bring their meetings along. As one join, the planner walked every meeting
    newest first and read each transcript's cues looking for the person (1.4 s at 10,000
    meetings and 10 million cues on PostgreSQL).
    """
    audience = context.get("audience", access.ANONYMOUS)
    spoken_in = list(
        Cue.objects.filter(person=person).order_by().values_list("transcript", flat=True).distinct()
    )
    moments = {}
    if spoken_in:
        visible = Transcript.objects.visible_to(audience).filter(pk__in=spoken_in).values("pk")
        latest = (
            Meeting.objects.filter(transcript__in=visible)
            .order_by("-start")
            .values("pk")[:SPOKE_AT_MEETINGS]
        )
        # Every one of those meetings has a moment of theirs: its first comes with it.
        cues = (
            Cue.objects.filter(person=person, transcript__meeting__in=latest)
            .annotate(
                n=Window(RowNumber(), partition_by=F("transcript"), order_by=F("position").asc())
            )
            .filter(n__lte=MOMENTS_PER_MEETING)
            .select_related("transcript__meeting__committee")
            .only(
                "start_ms",
                "text",
                *(f"transcript__meeting__{name}" for name in ("title", "topic", "start")),
                "transcript__meeting__committee__time_zone",
            )
            .order_by("position")
        )
        for cue in cues:
            moments.setdefault(cue.transcript.meeting, []).append(cue)
    meetings = sorted(moments, key=lambda meeting: meeting.start, reverse=True)
    return {
        "spoke_at": [(m, moments[m]) for m in meetings],
        "limit": SPOKE_AT_MEETINGS,
    }
