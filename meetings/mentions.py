"""Mentions in agendas and minutes: `@[Person Name]` or `@person-slug`.

Meetings know only the registry below. Each app that has mentionable things registers a
MentionKind from its AppConfig.ready() (participants' people from meetings.apps; the stack map
adds its projects), so meetings never imports the apps that build on it. Every kind resolves
its texts the same way, by `resolve_by_key`, and stores its rows by `replace_rows`.

Mentions are found by mwi.lib.markdown on the token stream (never in code, links, URLs,
e-mail addresses or HTML typed as text), and one rendering gives the three things that must
agree: the HTML with its links, the objects mentioned (the stored rows, i.e. backlinks) and
the names that matched nothing (shown as plain text; the admin warns the lead about them).
"""

from dataclasses import dataclass, field

from django.db.models import Q

from mwi.lib import markdown
from mwi.lib.text import name_key


@dataclass
class MentionKind:
    """One kind of mentionable thing.

    resolve(names, slugs) returns {text: obj} for every text it knows, in one or two queries
    (write it with resolve_by_key). store(meeting, objs) replaces the meeting's stored
    mentions of this kind (write it with replace_rows).
    """

    name: str
    resolve: callable
    store: callable
    url: callable = field(default=lambda obj: obj.get_absolute_url())
    # names() -> [(text, mention markup)]: every name this kind answers to and how to mention
    # it (for finding names written in minutes without a mention; meetings.unlinked).
    names: callable = None


_kinds: dict[str, MentionKind] = {}


def register(kind):
    _kinds[kind.name] = kind


def kinds():
    return list(_kinds.values())


def resolve_by_key(objects, names, slugs, *, aliases=None, alias_field=""):
    """{text: obj} for the names and slugs that `objects` (a queryset) knows: 1-2 queries.

    A name matches an object whose `name_key` is the name's spelling-insensitive key
    (participants.models.name_key), else one of its `aliases` (a queryset of rows with a
    `key` and a foreign key `alias_field` to the object); a slug matches `slug`. Names win
    over aliases; a text matching nothing is absent.
    """
    keys = {}
    for name in names:
        keys.setdefault(name_key(name), []).append(name)
    keys.pop("", None)
    result = {}
    if not keys and not slugs:
        return result
    for obj in objects.filter(Q(name_key__in=list(keys)) | Q(slug__in=list(slugs))):
        for name in keys.get(obj.name_key, []):
            result[name] = obj
        if obj.slug in slugs:
            result[obj.slug] = obj
    missing = {key for key, texts in keys.items() if not any(t in result for t in texts)}
    if aliases is not None and missing:
        for alias in aliases.filter(key__in=missing).select_related(alias_field):
            for name in keys[alias.key]:
                result.setdefault(name, getattr(alias, alias_field))
    return result


def resolve(mentions):
    """{Mention: (kind, obj)} for every mention a registered kind knows; the first kind wins.

    Costs each kind's look-ups (1-2 queries for people or projects), however many mentions.
    """
    names = {m.text for m in mentions if m.by_name}
    slugs = {m.text for m in mentions if not m.by_name}
    resolved = {}
    for kind in _kinds.values():
        for text, obj in kind.resolve(names, slugs).items():
            for by_name in (True, False):
                mention = markdown.Mention(text, by_name)
                if mention in mentions:
                    resolved.setdefault(mention, (kind, obj))
        names -= {m.text for m in resolved if m.by_name}
        slugs -= {m.text for m in resolved if not m.by_name}
    return resolved


def links_for(resolved):
    """{Mention: Link} for mwi.lib.markdown.render: a name shows as written, a slug as the
    object's name."""
    return {
        mention: markdown.Link(kind.url(obj), mention.text if mention.by_name else str(obj))
        for mention, (kind, obj) in resolved.items()
    }


@dataclass
class Rendering:
    html: str
    found: dict  # kind name -> list of objects, each once, in order of first mention
    unresolved: list  # names written @[...] that matched nothing, sorted


def rendering(rendered, resolved):
    """A Rendering from mwi.lib.markdown's result and the resolved mentions it was given."""
    found = {}
    for mention in rendered.linked:
        kind, obj = resolved[mention]
        objs = found.setdefault(kind.name, [])
        if obj not in objs:
            objs.append(obj)
    return Rendering(rendered.html, found, rendered.unmatched)


def render(*texts):
    """Render Markdown texts with their mentions linked, looking every mention up once.

    Returns one Rendering per text. Costs the kinds' look-ups (none when no text mentions
    anything); Markdown is parsed twice per text (once to find mentions, once to render).
    """
    resolved = resolve(markdown.mentions_in(*texts))
    links = links_for(resolved)
    return [rendering(markdown.render(text, links), resolved) for text in texts]


def merge_found(*renderings):
    """{kind name: [objects]} mentioned in any of the renderings, each object once."""
    found = {}
    for one in renderings:
        for kind, objs in one.found.items():
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
