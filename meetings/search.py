"""Search sources for meetings (titles, agendas, minutes) and people, for the site search.

On PostgreSQL meetings are found with full-text search: the query is read like a web search
box ("federated learning" -onnx), matched against the document stored on each meeting
(meetings.indexes, served by its GIN index), ranked, and a highlighted snippet is cut by
ts_headline for the results shown. On SQLite (the
embedded default) every word must appear somewhere (case-insensitive substring), rows are
ranked by where the words appear, and the snippet is cut in Python.

Draft minutes are searched for staff only: for everyone else a meeting whose minutes are not
public matches only through its title or agenda, and its snippet never quotes the minutes.
Snippets are escaped text with <mark> around the matched words, whatever the source text.
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
from django.utils.html import escape

from mwi.lib import search
from participants.models import Person

from .indexes import PUBLIC_WEIGHTS, SEARCH_CONFIG
from .models import Meeting

MAX_TERMS = 8
_FALLBACK_CANDIDATES = 200
# ts_headline marks matches with these; they are swapped for <mark> after escaping the text.
_START, _STOP = "\x1emwi-mark\x1e", "\x1e/mwi-mark\x1e"
_WORD = re.compile(r"[\w][\w.+#-]*", re.UNICODE)


def terms_of(query):
    """The words of a query, for the substring fallback (operators and quotes dropped)."""
    seen = []
    for word in _WORD.findall(query.casefold()):
        word = word.strip(".-")
        if word and word not in seen and word not in {"or", "and"}:
            seen.append(word)
    return seen[:MAX_TERMS]


def highlight(text, terms, *, width=220):
    """An escaped excerpt of `text` around the first matched term, terms wrapped in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    folded = text.casefold()
    positions = [folded.find(t) for t in terms if t and folded.find(t) >= 0]
    first = min(positions) if positions else 0
    start = max(0, first - width // 3)
    excerpt = text[start : start + width]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    if not terms:
        return escape(prefix + excerpt + suffix)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    out, last = [], 0
    for match in pattern.finditer(excerpt):
        out.append(escape(excerpt[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(excerpt[last:]))
    return escape(prefix) + "".join(out) + escape(suffix)


class PublicPart(Func):
    """The title and agenda part of a stored document (its weights A and B): ts_filter."""

    function = "ts_filter"
    template = f"%(function)s(%(expressions)s, '{PUBLIC_WEIGHTS}')"
    output_field = SearchVectorField()


def _marked(headline):
    return escape(headline).replace(escape(_START), "<mark>").replace(escape(_STOP), "</mark>")


def _meeting_hit(meeting, snippet_html, rank):
    return search.Hit(
        kind="meeting",
        title=meeting.title,
        url=meeting.get_absolute_url(),
        snippet_html=snippet_html,
        date=meeting.local_start.date(),
        rank=rank,
    )


class MeetingSource:
    name = "meetings"
    label = "Meetings"

    def search(self, query, *, audience, limit):
        """Minutes count only where the audience may read them (participants.access): published
        or approved ones, and drafts of the committees it manages."""
        readable = None
        if not audience.is_staff:
            readable = audience.readable_minutes_q(Q(minutes_status__in=Meeting.PUBLIC_MINUTES))
        if connection.vendor == "postgresql":
            return self._full_text(query, readable=readable, limit=limit)
        return self._substring(query, audience=audience, readable=readable, limit=limit)

    def _full_text(self, query, *, readable, limit):
        """One query in two steps: rank the matches by their stored document (found through
        its GIN index), then cut headlines for the page of them only.

        ts_headline re-reads a meeting's text, so it runs on the `limit` rows shown, not on
        the thousands a common query matches; ranking reads only the stored tsvectors.
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
            .defer("agenda", "minutes", "agenda_html", "minutes_html", "search_document")
        )
        return [_meeting_hit(m, _marked(m.headline), m.rank) for m in qs]

    def _substring(self, query, *, audience, readable, limit):
        """One query for up to 200 candidates; ranking and snippets in Python."""
        terms = terms_of(query)
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
            show_minutes = meeting.minutes_are_public or audience.may_see_draft_minutes(
                meeting.committee_id
            )
            title, agenda = meeting.title.casefold(), meeting.agenda.casefold()
            minutes = meeting.minutes.casefold() if show_minutes else ""
            score = sum(
                3 * title.count(t) + 2 * min(agenda.count(t), 5) + min(minutes.count(t), 5)
                for t in terms
            )
            body = meeting.agenda + ("\n\n" + meeting.minutes if show_minutes else "")
            scored.append((score, meeting.start, meeting, body))
        scored.sort(key=lambda row: (row[0], row[1]), reverse=True)
        return [
            _meeting_hit(meeting, highlight(body, terms), float(score))
            for score, _, meeting, body in scored[:limit]
        ]


class PeopleSource:
    name = "people"
    label = "People"

    def search(self, query, *, audience, limit):
        """One query: every word in the name, an alias or the organization. Never e-mails."""
        terms = terms_of(query)
        if not terms:
            return []
        condition = Q()
        for term in terms:
            condition &= (
                Q(name__icontains=term)
                | Q(aliases__name__icontains=term)
                | Q(organization__name__icontains=term)
                | Q(affiliation_note__icontains=term)
            )
        people = (
            Person.objects.filter(condition)
            .select_related("organization")
            .distinct()
            .order_by("name")[:limit]
        )
        return [
            search.Hit(
                kind="person",
                title=person.name,
                url=person.get_absolute_url(),
                snippet_html=highlight(person.affiliation, terms),
            )
            for person in people
        ]
