"""What meetings plugs into the shared registries, registered once from MeetingsConfig.ready().

- `@[Person Name]` / `@person-slug` mentions of people in agendas and minutes
  (`meetings.mentions`);
- meetings and people on the search page (`mwi.lib.search`, sources in `meetings.search`);
- the calendar feeds' versions, bumped by signals on series, meetings and recordings.

Every app that plugs into another registers from its own `hooks.py` (the stack map's adds its
projects to the same two registries), so the registries never import the apps.
"""

from mwi.lib import search as site_search
from participants.models import Person, PersonAlias

from . import mentions, search
from .ical import versions
from .models import Mention


def resolve_people(names, slugs):
    """Map mention texts to people by name, alias (spelling-insensitive) or slug: 1-2 queries."""
    return mentions.resolve_by_key(
        Person.objects.all(), names, slugs, aliases=PersonAlias.objects, alias_field="person"
    )


def people_names():
    """[(text, mention)]: every person's name and alias, as `@[text]` (2 queries)."""
    names = [
        *Person.objects.values_list("name", flat=True),
        *PersonAlias.objects.values_list("name", flat=True),
    ]
    return [(name, f"@[{name}]") for name in names]


def store_people(meeting, people):
    mentions.replace_rows(meeting, Mention, "person", people)


def register():
    """Connect and register everything above; called once, from MeetingsConfig.ready()."""
    # Feeds' ETag/Last-Modified follow every change of series, meetings and recordings.
    versions.connect_signals()
    mentions.register(
        mentions.MentionKind(
            name="person", resolve=resolve_people, store=store_people, names=people_names
        )
    )
    site_search.register(search.MeetingSource())
    site_search.register(search.PeopleSource())
