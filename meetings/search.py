"""Search sources for meetings (titles, agendas, minutes) and people, for the site search.

On PostgreSQL meetings are found with full-text search: the query is read like a web search
box ("federated learning" -onnx), matched against the document stored on each meeting
(meetings.indexes, served by its GIN index), ranked, and ts_headline says which words of
the results shown matched. On SQLite (the embedded default) every word must appear somewhere
(case-insensitive substring) and rows are ranked by where the words appear. Both cut the
snippet with mwi.lib.search.highlight.

Unpublished minutes are searched only by who may read them (Meeting.record_q): for everyone else a
meeting whose minutes are not public matches only through its title or agenda, and its
snippet never quotes the minutes.
Snippets are plain text as the reader sees it (rendered Markdown without its syntax, mentions
as names, e-mail addresses redacted), escaped, with <mark> around the matched words.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Concat

from mwi.lib import search
from mwi.lib.addresses import may_see_addresses, redact_addresses
from mwi.lib.markdown import plain_text
from participants.models import Person

from .indexes import PUBLIC_WEIGHTS, SEARCH_CONFIG
from .models import Meeting

_FALLBACK_CANDIDATES = 200
# ts_headline marks matches with these; the words between them are what the query matched
# (stemmed: "federated" finds "federation"), and the snippet marks those words.
_START, _STOP = "\x1emwi-mark\x1e", "\x1e/mwi-mark\x1e"
_MARKED = re.compile(re.escape(_START) + "(.*?)" + re.escape(_STOP), re.DOTALL)


def snippet(meeting, terms, *, audience, with_minutes):
    """The meeting's snippet for `audience` (participants.access.Audience): its agenda (and
    minutes, when `with_minutes`) as the reader sees them (plain text, mentions as names,
    addresses redacted), marked by the one highlighter, mwi.lib.search.highlight."""
    text = plain_text(meeting.agenda_html)
    if with_minutes:
        text += " " + plain_text(meeting.minutes_html)
    text = redact_addresses(text, reveal=may_see_addresses(audience))
    return search.highlight(text, terms)


class PublicPart(Func):
    """The title and agenda part of a stored document (its weights A and B): ts_filter."""

    function = "ts_filter"
    template = f"%(function)s(%(expressions)s, '{PUBLIC_WEIGHTS}')"
    output_field = SearchVectorField()


def _matched_words(headline):
    return list(dict.fromkeys(word.casefold() for word in _MARKED.findall(headline or "")))


def _meeting_hit(meeting, snippet_html, rank):
    return search.Hit(
        kind="meeting",
        title=meeting.topic or meeting.title,
        url=meeting.get_absolute_url(),
        snippet_html=snippet_html,
        date=meeting.local_start.date(),
        rank=rank,
    )


class MeetingSource:
    name = "meetings"
    label = "Meetings"

    def search(self, query, *, audience, limit):
        """Minutes count only where the audience may read the meeting's record
        (Meeting.record_q): published or approved ones, and those of the committees whose
        drafts it may read."""
        readable = None if audience.is_staff else Meeting.record_q(audience, prefix="")
        if connection.vendor == "postgresql":
            return self._full_text(query, audience=audience, readable=readable, limit=limit)
        return self._substring(query, audience=audience, readable=readable, limit=limit)

    def _full_text(self, query, *, audience, readable, limit):
        """One query in two steps: rank the matches by their stored document (found through
        its GIN index), then cut headlines for the page of them only.

        ts_headline re-reads a meeting's text, so it runs on the `limit` rows shown, not on
        the thousands a common query matches; ranking reads only the stored tsvectors. Its
        headline is cut from the Markdown source, so only the words it matched are kept: the
        snippet itself is cut from the rendered text, like the fallback's.
        """
        ts_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        public_minutes = readable
        body = Concat("agenda", Value("\n\n"), "minutes", output_field=TextField())
        document = F("search_document")
        matches = Meeting.objects.filter(search_document=ts_query)
        if readable is not None:
            # Unpublished minutes neither match nor rank: only the title and agenda do.
            document = Case(
                When(public_minutes, then=F("search_document")),
                default=PublicPart("search_document"),
                output_field=SearchVectorField(),
            )
            matches = matches.alias(public_part=PublicPart("search_document")).filter(
                public_minutes | Q(public_part=ts_query)
            )
            body = Case(
                When(public_minutes, then=body), default=F("agenda"), output_field=TextField()
            )
        rank = SearchRank(document, ts_query)
        page = matches.annotate(rank=rank).order_by("-rank", "-start").values("pk")[:limit]
        qs = (
            Meeting.objects.select_related("committee")
            .filter(pk__in=page)
            .annotate(
                rank=rank,
                headline=SearchHeadline(
                    body,
                    ts_query,
                    config=SEARCH_CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-start")
            .defer("agenda", "minutes", "search_document")
        )
        return [
            _meeting_hit(
                m,
                snippet(
                    m,
                    _matched_words(m.headline) or search.terms_of(query),
                    audience=audience,
                    with_minutes=m.record_visible_to(audience),
                ),
                m.rank,
            )
            for m in qs
        ]

    def _substring(self, query, *, audience, readable, limit):
        """One query for up to 200 candidates; ranking and snippets in Python."""
        terms = search.terms_of(query)
        if not terms:
            return []
        condition = Q()
        for term in terms:
            minutes = Q(minutes__icontains=term)
            if readable is not None:
                minutes &= readable
            condition &= Q(title__icontains=term) | Q(agenda__icontains=term) | minutes
        rows = Meeting.objects.select_related("committee").filter(condition).order_by("-start")
        scored = []
        for meeting in rows[:_FALLBACK_CANDIDATES]:
            show_minutes = meeting.record_visible_to(audience)
            title, agenda = meeting.title.casefold(), meeting.agenda.casefold()
            minutes = meeting.minutes.casefold() if show_minutes else ""
            score = sum(
                3 * title.count(t) + 2 * min(agenda.count(t), 5) + min(minutes.count(t), 5)
                for t in terms
            )
            scored.append((score, meeting.start, meeting, show_minutes))
        scored.sort(key=lambda row: (row[0], row[1]), reverse=True)
        return [
            _meeting_hit(
                meeting,
                snippet(meeting, terms, audience=audience, with_minutes=show_minutes),
                float(score),
            )
            for score, _, meeting, show_minutes in scored[:limit]
        ]


class PeopleSource:
    name = "people"
    label = "People"

    def search(self, query, *, audience, limit):
        """One query: every word in the name, an alias or an organization (today's or a past
        one; the snippet shows today's). Never e-mails."""
        terms = search.terms_of(query)
        if not terms:
            return []
        condition = Q()
        for term in terms:
            condition &= (
                Q(name__icontains=term)
                | Q(aliases__name__icontains=term)
                | Q(affiliations__organization__name__icontains=term)
                | Q(affiliation_note__icontains=term)
            )
        people = (
            Person.objects.filter(condition).distinct().with_organization().order_by("name")[:limit]
        )
        return [
            search.Hit(
                kind="person",
                title=person.name,
                url=person.get_absolute_url(),
                snippet_html=search.highlight(
                    redact_addresses(person.affiliation, reveal=may_see_addresses(audience)), terms
                ),
            )
            for person in people
        ]
