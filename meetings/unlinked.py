"""Names the wiki never linked: known people and projects written in published minutes as
plain text, offered to the lead to turn into mentions one at a time (never automatically).

The names come from the mention kinds' `names()` (meetings.mentions); text already inside a
mention or a Markdown link is not searched. Names are matched case-sensitively on word
boundaries, and names shorter than MIN_LENGTH are left out (too many false hits).
"""

import re
from dataclasses import dataclass

from . import cache, mentions
from .models import Meeting

MIN_LENGTH = 4
RECENT_MEETINGS = 100  # per page view: the latest published minutes of the lead's committees
CONTEXT = 50
# Spans that already link: @[...] / @slug mentions, [text](url) links, <autolinks>.
_LINKED = re.compile(r"@\[[^\]\n]*\]|@[a-z0-9][a-z0-9-]+|\[[^\]\n]*\]\([^)\n]*\)|<[^>\n]*>")


@dataclass
class Unlinked:
    meeting: Meeting
    name: str
    kind: str
    context: str  # the text around it, plain
    mention: str  # what linking writes: "@[Name]" or "@slug"


def _blank_linked(text):
    """`text` with linked spans replaced by spaces (positions kept)."""
    return _LINKED.sub(lambda m: " " * len(m.group(0)), text or "")


def _pattern(names):
    """One regex finding any of `names` (the longest at a position) on word boundaries.

    The alternatives form a trie (common prefixes written once), so the regex engine drops a
    position after a character or two; a flat alternation of 4,500 names tried each name at
    every position of every minutes text (11 s for the workspace at foundation scale).
    Hand-written: no maintained library builds trie regexes for Python's re.
    """
    names = {n.strip() for n in names if len(n.strip()) >= MIN_LENGTH}
    if not names:
        return None
    trie = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here
    return re.compile(r"(?<![\w@\[])(" + _trie_regex(trie) + r")(?![\w\]])")


def _trie_regex(node):
    """The regex of a trie node: longer continuations first, so the longest name is tried
    first and a shorter one only when the longer cannot match (as sorting names by length)."""
    branches = [
        re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def find_unlinked(text, pattern):
    """[(name, start)] of the names `pattern` finds in `text` outside mentions and links."""
    if pattern is None:
        return []
    return [(m.group(1), m.start()) for m in pattern.finditer(_blank_linked(text))]


def unlinked_names(committee_ids):
    """{committee id: [Unlinked]}, one per (meeting, name), newest meetings first.

    One query per mention kind for the names, one for the minutes; kept until a meeting or a
    name changes (meetings.cache).
    """
    ids = sorted(committee_ids)
    return cache.from_minutes_and_names(
        f"unlinked:{','.join(map(str, ids))}", lambda: _unlinked_names(ids)
    )


def _unlinked_names(committee_ids):
    markup, patterns = _patterns()
    meetings = (
        Meeting.objects.with_public_minutes()
        .filter(committee__in=committee_ids)
        .select_related("committee")
        .only("pk", "committee", "start", "title", "topic", "minutes")
        .order_by("-start")[:RECENT_MEETINGS]
    )
    found = {}
    for meeting in meetings:
        seen = set()
        for kind, pattern in patterns.items():
            for name, start in find_unlinked(meeting.minutes, pattern):
                if name in seen:
                    continue
                seen.add(name)
                text = meeting.minutes
                context = " ".join(
                    text[max(0, start - CONTEXT) : start + len(name) + CONTEXT].split()
                )
                found.setdefault(meeting.committee_id, []).append(
                    Unlinked(meeting, name, kind, context, markup[kind][name])
                )
    return found


def _patterns():
    """({kind: {name: mention}}, {kind: regex or None}) of every mention kind with names,
    built once per change of the names (meetings.cache), not per view of the workspace."""

    def compute():
        kinds = [k for k in mentions.kinds() if k.names]
        markup = {k.name: dict(k.names()) for k in kinds}
        sources = {}
        for kind, pairs in markup.items():
            pattern = _pattern(pairs)
            sources[kind] = pattern.pattern if pattern else None
        return markup, sources

    markup, sources = cache.from_mention_names("unlinked-patterns", compute)
    # re keeps the compiled patterns of recent sources: compiled once per process.
    return markup, {kind: re.compile(s) if s else None for kind, s in sources.items()}


def link_first(meeting, name):
    """Turn the first plain occurrence of `name` in the minutes into its mention and save.

    Returns whether it found one (False when it is linked already, gone, or not a known name).
    """
    known = {}
    for kind in mentions.kinds():
        if kind.names:
            known = {**dict(kind.names()), **known}  # the first kind wins, as in resolve()
    mention = known.get(name)
    hits = find_unlinked(meeting.minutes, _pattern([name])) if mention else []
    if not hits:
        return False
    _, start = hits[0]
    meeting.minutes = f"{meeting.minutes[:start]}{mention}{meeting.minutes[start + len(name) :]}"
    meeting.save()
    return True
