"""Site-wide search: each app registers what it can search (meetings, people, projects).

The search page asks every registered source for its best hits; sources run their own
queries (PostgreSQL full-text search with ranking where available, a portable fallback on
SQLite) and return Hit objects with a sanitized, highlighted snippet.
"""

from dataclasses import dataclass
from typing import Protocol


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
