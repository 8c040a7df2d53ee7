"""Transcripts in the site search: the cues that say the words, linked to the second.

A hit is one cue: its meeting (title and date), speaker and a snippet of what was said, and a
link to the meeting page at `#t=SECONDS`, which seeks the player there. Only transcripts the
visitor may read are searched (Transcript.objects.visible_to: the members-only rule).

On PostgreSQL the query is read like a web search box and matched against each cue's stored
tsvector (Cue.search_document, GIN-indexed, written at import), the latest transcripts first; the
words ts_headline marks (stemmed: "deploying" finds "deployed") are the ones the snippet
marks. On SQLite every word must appear in the cue's text (case-insensitive).
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import Q

from meetings.indexes import SEARCH_CONFIG
from meetings.models import listed_only
from mwi.lib import search
from mwi.lib.addresses import may_see_addresses, redact_addresses

from .models import Cue, Transcript

_START, _STOP = "\x1emwi-mark\x1e", "\x1e/mwi-mark\x1e"
_MARKED = re.compile(re.escape(_START) + "(.*?)" + re.escape(_STOP), re.DOTALL)


class TranscriptSource:
    name = "transcripts"
    label = "Said in meetings"

    def search(self, query, *, audience, limit):
        """Up to `limit` cues, the latest transcripts first: one query.

        Two steps in it, like the minutes' search: the page of matching cues is chosen first
        (newest transcript first, by the (transcript, position) index, so PostgreSQL may walk
        it backwards for a common word or take the GIN index's few matches for a rare one),
        then ts_headline runs on those rows only."""
        terms = search.terms_of(query)
        if not terms:
            return []
        visible = Transcript.objects.visible_to(audience).values("pk")
        matches = Cue.objects.filter(transcript__in=visible)
        headline = None
        if connection.vendor == "postgresql":
            ts_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
            matches = matches.filter(search_document=ts_query)
            headline = SearchHeadline(
                "text", ts_query, config=SEARCH_CONFIG, start_sel=_START, stop_sel=_STOP,
                highlight_all=True,
            )  # fmt: skip
        else:
            condition = Q()
            for term in terms:
                condition &= Q(text__icontains=term)
            matches = matches.filter(condition)
        order = ("-transcript_id", "position")
        page = matches.order_by(*order).values("pk")[:limit]
        cues = (
            Cue.objects.filter(pk__in=page)
            .select_related("transcript__meeting__committee")
            # What a hit shows: a transcript's rendered cue list (hundreds of KB) is not read
            # for each of its cues, nor the meeting's texts.
            .only(
                "transcript_id",
                "start_ms",
                "speaker",
                "text",
                "transcript__meeting_id",
                *listed_only("transcript__meeting__"),
            )
            .order_by(*order)
        )
        if headline is not None:
            cues = cues.annotate(headline=headline)
        reveal = may_see_addresses(audience)
        hits = []
        for cue in cues:
            meeting = cue.transcript.meeting
            marked = getattr(cue, "headline", None)
            words = list(dict.fromkeys(w.casefold() for w in _MARKED.findall(marked or "")))
            text = redact_addresses(cue.text, reveal=reveal)
            hits.append(
                search.Hit(
                    kind="transcript",
                    title=f"{meeting.topic or meeting.title} — {cue.speaker or 'unknown speaker'}"
                    f" at {cue.timestamp}",
                    url=f"{meeting.get_absolute_url()}#t={cue.second}",
                    snippet_html=search.highlight(text, words or terms),
                    date=meeting.local_start.date(),
                    rank=1.0,
                )
            )
        return hits
