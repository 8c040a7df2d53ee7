"""Mentions in agendas and minutes: `@[Person Name]` or `@person-slug`.

Meetings know only the registry below. Each app that has mentionable things registers a
MentionKind from its AppConfig.ready() (participants' people here; the stack map adds its
projects), so meetings never imports the apps that build on it.

A mention that matches nothing is left as plain text and reported back, so the admin can
warn the lead instead of guessing.
"""

import re
from dataclasses import dataclass, field

# `@[Any Name]` or `@slug`; not inside an e-mail address or a word.
MENTION_RE = re.compile(
    r"(?<![\w@.])@(?:\[(?P<name>[^\]\n]{1,200})\]|(?P<slug>[a-z0-9][a-z0-9-]{1,98}[a-z0-9]))"
)


@dataclass
class MentionKind:
    """One kind of mentionable thing.

    resolve(names, slugs) returns {text: obj} for every text it knows, in one or two queries.
    store(meeting, objs) replaces the meeting's stored mentions of this kind.
    """

    name: str
    resolve: callable
    store: callable
    url: callable = field(default=lambda obj: obj.get_absolute_url())


_kinds: dict[str, MentionKind] = {}


def register(kind):
    _kinds[kind.name] = kind


def kinds():
    return list(_kinds.values())


@dataclass
class Expansion:
    markdown: str
    found: dict  # kind name -> list of objects
    unresolved: list  # texts written as @[...] that matched nothing


def _escape_label(text):
    return re.sub(r"([\\\[\]*_`<>])", r"\\\1", text)


def mention_texts(*texts):
    """The names (`@[...]`) and slugs (`@slug`) mentioned in some Markdown texts."""
    names, slugs = set(), set()
    for text in texts:
        for match in MENTION_RE.finditer(text or ""):
            if match["name"]:
                names.add(match["name"].strip())
            else:
                slugs.add(match["slug"])
    return names, slugs


def resolve(names, slugs):
    """{text: (kind, obj)} for every text a registered kind knows; the first kind wins.

    Costs each kind's look-ups (2 queries for people or projects), however many texts.
    """
    resolved = {}
    for kind in _kinds.values():
        for key, obj in kind.resolve(names - resolved.keys(), slugs - resolved.keys()).items():
            resolved.setdefault(key, (kind, obj))
    return resolved


def expand(text, resolved=None):
    """Turn mentions in Markdown into links to what they name.

    `resolved` (from resolve()) lets a caller expanding many texts look every name up once;
    without it the names of this text are looked up here.
    """
    if not MENTION_RE.search(text or ""):
        return Expansion(text or "", {}, [])
    if resolved is None:
        resolved = resolve(*mention_texts(text))

    found, unresolved = {}, []

    def replace(match):
        key = match["name"].strip() if match["name"] else match["slug"]
        if key not in resolved:
            if match["name"]:
                unresolved.append(key)
                return _escape_label(key)
            return match.group(0)
        kind, obj = resolved[key]
        found.setdefault(kind.name, [])
        if obj not in found[kind.name]:
            found[kind.name].append(obj)
        label = key if match["name"] else str(obj)
        return f"[{_escape_label(label)}]({kind.url(obj)})"

    markdown = MENTION_RE.sub(replace, text)
    return Expansion(markdown, found, sorted(set(unresolved)))


def merge_found(*expansions):
    """{kind name: [objects]} mentioned in any of the expansions, each object once."""
    found = {}
    for expansion in expansions:
        for kind, objs in expansion.found.items():
            found.setdefault(kind, [])
            found[kind].extend(o for o in objs if o not in found[kind])
    return found


def store(meeting, found):
    """Replace the meeting's stored mentions with what was found, kind by kind."""
    for kind in _kinds.values():
        kind.store(meeting, found.get(kind.name, []))


def replace_rows(meeting, model, field, objs):
    """Make `model` hold exactly one (meeting, field=obj) row per obj: 2-3 queries.

    The shared `store` of every MentionKind: it deletes the rows no longer mentioned and adds
    the new ones, leaving unchanged rows (and their ids) alone.
    """
    wanted = {obj.pk for obj in objs}
    rows = model.objects.filter(meeting=meeting)
    existing = set(rows.values_list(f"{field}_id", flat=True))
    if existing - wanted:
        rows.filter(**{f"{field}_id__in": existing - wanted}).delete()
    model.objects.bulk_create(
        [model(meeting=meeting, **{f"{field}_id": pk}) for pk in wanted - existing],
        ignore_conflicts=True,
    )
