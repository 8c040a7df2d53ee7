from django.apps import AppConfig


def _resolve_people(names, slugs):
    """Map mention texts to people by name, alias (spelling-insensitive) or slug: 2 queries."""
    from participants.models import Person, PersonAlias, name_key

    keys = {name_key(name): name for name in names}
    result = {}
    if keys:
        for person in Person.objects.filter(name_key__in=keys):
            result[keys[person.name_key]] = person
        for alias in PersonAlias.objects.filter(key__in=keys).select_related("person"):
            result.setdefault(keys[alias.key], alias.person)
    if slugs:
        for person in Person.objects.filter(slug__in=slugs):
            result[person.slug] = person
    return result


def _store_people(meeting, people):
    from .mentions import replace_rows
    from .models import Mention

    replace_rows(meeting, Mention, "person", people)


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from . import mentions
        from .ical import versions

        # Feeds' ETag/Last-Modified follow every change of series, meetings and recordings.
        versions.connect_signals()
        mentions.register(
            mentions.MentionKind(name="person", resolve=_resolve_people, store=_store_people)
        )
        from . import search

        search.register_sources()
