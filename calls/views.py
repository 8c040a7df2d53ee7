"""A meeting's captions: its transcript's cues as a WebVTT file, for the player's <track>."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from mwi.lib.addresses import may_see_addresses, redact_addresses

from .models import Transcript


def _timestamp(ms):
    seconds, ms = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def _escape(text):
    # WebVTT cue text escapes like HTML: &, < and > (W3C WebVTT §4.2.2).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt_of(cues, *, reveal_addresses):
    """The WebVTT text of `cues` (Cue rows, in order), speakers as voice spans (<v Name>).

    Written by hand: the format is the header and one timing line and text per cue, and
    webvtt-py (used to read transcripts) writes no voice spans.
    """
    out = ["WEBVTT", ""]
    for cue in cues:
        text = _escape(redact_addresses(cue.text, reveal=reveal_addresses))
        if cue.speaker:
            text = f"<v {_escape(cue.speaker)}>{text}"
        out += [f"{_timestamp(cue.start_ms)} --> {_timestamp(cue.end_ms)}", text, ""]
    return "\n".join(out)


@require_safe
def captions(request, pk):
    """/meetings/<pk>/captions.vtt: 2 queries (the transcript with its committee, the cues)."""
    # meeting__pk, not meeting_id: Django answers "no row" for an id past the column's range
    # on a primary key, where a foreign key's own column overflows (a 500 on SQLite).
    transcript = get_object_or_404(
        Transcript.objects.select_related("meeting__committee"), meeting__pk=pk
    )
    audience = request.audience
    if not audience.may_see_material(transcript, transcript.meeting.committee_id):
        if not audience.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404("No such transcript.")
    cues = transcript.cues.only("start_ms", "end_ms", "speaker", "text")
    response = HttpResponse(
        webvtt_of(cues, reveal_addresses=may_see_addresses(audience)),
        content_type="text/vtt; charset=utf-8",
    )
    if not transcript.is_public:
        response["Cache-Control"] = "private, no-cache"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
