"""Values derived from every person, computed once per write to the participants tables.

The people directory orders everyone by today's organization and splits current from former
participants: two correlated subqueries and two counts per person (95 ms at 2,000 people on
PostgreSQL, the page's whole cost). Its rows are kept under the version "participants" of
mwi.lib.invalidation, replaced when a transaction that wrote a participants table commits,
and per day, since "today" decides both the organization and who is former.
"""

from django.db.models import Count, Q

from mwi.lib import invalidation

VERSION = "participants"
SECONDS = 24 * 3600

invalidation.watch(VERSION, lambda table: table.startswith("participants_"))


def directory(today):
    """The people directory on `today` (a date): a list of (current, former) lists of dicts
    {pk, name, slug, affiliation_note, organization_name, organization_slug}, each in the order
    of PersonQuerySet.for_directory.

    Former: everyone whose every role has ended (one who stepped down as lead but stays a
    member is current; one whose role starts later is not former)."""
    from .models import Person

    def compute():
        rows = Person.objects.for_directory().annotate(
            ended_roles=Count("memberships", filter=Q(memberships__end__lte=today)),
            any_roles=Count("memberships"),
        )
        fields = ("pk", "name", "slug", "affiliation_note", "organization_name",
                  "organization_slug", "ended_roles", "any_roles")  # fmt: skip
        current, former = [], []
        for row in rows.values(*fields):
            is_former = row["any_roles"] and row.pop("ended_roles") == row.pop("any_roles")
            (former if is_former else current).append(row)
        return current, former

    return invalidation.remember(VERSION, ("directory", today.isoformat()), compute, SECONDS)
