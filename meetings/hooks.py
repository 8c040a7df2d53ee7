"""What meetings plugs into the shared registries, registered once from MeetingsConfig.ready().

- `@[Person Name]` / `@person-slug` mentions of people in agendas and minutes
  (`meetings.mentions`);
- meetings and people on the search page (`mwi.lib.search`, sources in `meetings.search`);
- re-rendered minutes after people are merged (`participants.signals.people_merged`).

Every app that plugs into another does it from its own `hooks.py`: it registers with the
registries and connects to the signals of the apps below it (the stack map's adds its projects
to the same two registries), so those apps never import it.
"""

from mwi.lib import search as site_search
from participants.models import Person, PersonAlias
from participants.signals import people_merged

from . import mentions, search
from .models import Meeting, Mention


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


def rerender_merged_mentions(sender, keep, moved, **kwargs):
    """people_merged receiver: re-render the minutes that named a merged person, so their
    links lead to the kept one (whose alias the merged name now is). 1 query + 1 save each."""
    rows = moved.get(Mention, ())
    for meeting in Meeting.objects.filter(pk__in={row.meeting_id for row in rows}):
        meeting.save()


def register():
    """Connect and register everything above; called once, from MeetingsConfig.ready()."""
    people_merged.connect(rerender_merged_mentions, dispatch_uid="meetings-merged-mentions")
    mentions.register(
        mentions.MentionKind(
            name="person", resolve=resolve_people, store=store_people, names=people_names
        )
    )
    site_search.register(search.MeetingSource())
    site_search.register(search.PeopleSource())
