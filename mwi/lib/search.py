"""Site-wide search: each app registers what it can search (meetings, people, projects).

The search page asks every registered source for its best hits; sources run their own
queries (PostgreSQL full-text search with ranking where available, a portable fallback on
SQLite) and return Hit objects with a snippet: plain text (never Markdown syntax), escaped,
with the matched words marked by `highlight`, the one snippet cutter of the site.
"""

import re
from dataclasses import dataclass
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import mark_safe


@dataclass
class Hit:
    kind: str  # "meeting", "person", "project"
    title: str
    url: str
    snippet_html: str = ""  # safe HTML: escaped text with <mark> around matched words
    date: object = None  # a date or datetime shown next to the hit, if any
    rank: float = 0.0


class Source(Protocol):
    name: str  # "meetings"
    label: str  # "Meetings"

    def search(self, query: str, *, audience, limit: int) -> list[Hit]:
        """Up to `limit` hits for `query`, of what `audience` (the visitor's rights, an
        Audience of participants.access) may see."""


_sources: dict[str, Source] = {}


def register(source):
    _sources[source.name] = source


def sources():
    return list(_sources.values())


MAX_TERMS = 8
_WORD = re.compile(r"[\w][\w.+#-]*", re.UNICODE)


def terms_of(query):
    """The words of a query, casefolded, each once, at most MAX_TERMS (operators and quotes
    dropped): what a snippet marks when nothing better is known."""
    seen = []
    for word in _WORD.findall((query or "").casefold()):
        word = word.strip(".-")
        if word and word not in seen and word not in {"or", "and"}:
            seen.append(word)
    return seen[:MAX_TERMS]


def highlight(text, terms, *, width=220):
    """The one snippet cutter: an escaped excerpt of plain `text` around the first matched
    term, every match of a term (case-insensitive) wrapped in <mark>.

    `text` is plain text (no Markup; mwi.lib.markdown.plain_text makes it from rendered
    Markdown), already redacted for the reader. Up to `width` characters, "…" where cut.
    """
    text = " ".join((text or "").split())
    if not text:
        return ""
    terms = [t for t in terms if t]
    folded = text.casefold()
    positions = [folded.find(t.casefold()) for t in terms if folded.find(t.casefold()) >= 0]
    first = min(positions) if positions else 0
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    excerpt = text[start : start + width]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    if not terms:
        return escape(prefix + excerpt + suffix)
    by_length = sorted({t.casefold() for t in terms}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in by_length), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(excerpt):
        out.append(escape(excerpt[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(excerpt[last:]))
    return mark_safe(escape(prefix) + "".join(out) + escape(suffix))  # noqa: S308 - escaped
