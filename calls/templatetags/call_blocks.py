"""The call's parts of composed pages: the transcript and chat on a meeting's page, "spoke at"
on a person's page. Each tag runs a fixed number of queries, named in its docstring."""

from dataclasses import dataclass, field

from django import template
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.safestring import mark_safe

from meetings.models import listed_only
from mwi.lib.pagination import Slice
from participants import access

from ..models import ChatLog, Cue, Transcript

register = template.Library()

# A page of meetings, each with its first moments (20 with 60 moments were a third of the
# person page's time).
SPOKE_AT_MEETINGS = 10
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
    SPOKE_AT_MEETINGS a page (GET parameter `spoke`, mwi.lib.pagination.Slice; Http404 past
    the end), with the first moments they spoke at: 2 queries (1 when they spoke at none).

    The latest transcripts they spoke in come first (the (person, transcript) index gives
    them), with their meetings; then the moments: their first MOMENTS_PER_MEETING positions in
    each, numbered from that index alone, and only those cues are read. No cue reads its
    transcript's row: on SQLite a transcript's meeting_id sits behind its rendered cue list
    (hundreds of KB), and joining every cue to it cost 14 ms a page at scale. As one join
    from meetings, the planner walked every meeting newest first and read each transcript's
    cues looking for the person (1.4 s at 10,000 meetings and 10 million cues on PostgreSQL).
    """
    audience = context.get("audience", access.ANONYMOUS)
    spoken_in = Cue.objects.filter(person=person).order_by().values("transcript")
    transcripts = Slice(
        Transcript.objects.visible_to(audience)
        .filter(pk__in=spoken_in)
        .select_related("meeting__committee")
        .only(*listed_only("meeting__"))
        .order_by("-meeting__start", "-pk"),
        SPOKE_AT_MEETINGS,
        context.get("request"),
        param="spoke",
    )
    moments = {t.pk: [] for t in transcripts}
    if transcripts:
        first = (
            Cue.objects.filter(person=person, transcript__in=list(moments))
            .annotate(
                n=Window(RowNumber(), partition_by=F("transcript"), order_by=F("position").asc())
            )
            .filter(n__lte=MOMENTS_PER_MEETING)
            .values("pk")
        )
        cues = Cue.objects.filter(pk__in=first).only("transcript_id", "start_ms", "text")
        for cue in cues.order_by("position"):
            moments[cue.transcript_id].append(cue)
    return {
        "spoke_at": [(t.meeting, moments[t.pk]) for t in transcripts],
        "page": transcripts,
        "request": context.get("request"),
    }
