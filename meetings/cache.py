"""Values derived from every meeting, computed once per write to the meetings table.

The archive's year filter lists the years that have meetings: DISTINCT over every meeting's
truncated date, which SQLite computes in Python (275 ms at 10,000 meetings on a busy machine).
It is kept under the version "meetings" of mwi.lib.invalidation, replaced when a transaction
that wrote the meetings table commits. The unlinked-name regexes of the lead's workspace
(meetings.unlinked: a trie of 4,500 names, 0.5 s to build) are kept under "mention-names",
replaced by a write to a table of people or of the stack map; the names they find in the
latest minutes (15 ms per view of a busy committee's workspace) under both. The workspace's
summary counts its committees' meetings under "meetings" too (meetings.admin_workspace).
"""

from mwi.lib import invalidation

VERSION = "meetings"
SECONDS = 24 * 3600

invalidation.watch(VERSION, lambda table: table == "meetings_meeting")

# The names mentions answer to (people, their aliases, projects: meetings.mentions), and what
# is derived from them alone: the unlinked-name regexes of the lead's workspace.
NAMES_VERSION = "mention-names"
invalidation.watch(NAMES_VERSION, lambda table: table.startswith(("participants_", "stackmap_")))


def archive_years():
    """[year], newest first, of every meeting's start (in the current time zone)."""
    from .models import Meeting

    def compute():
        return [d.year for d in Meeting.objects.dates("start", "year", order="DESC")]

    return invalidation.remember(VERSION, ("archive-years",), compute, SECONDS)


def from_mention_names(part, compute):
    """`compute()`, a value derived from the mention kinds' names only, once per change of
    the people, aliases or projects (and per `part`, its name)."""
    return invalidation.remember(NAMES_VERSION, (part,), compute, SECONDS)


def from_minutes_and_names(part, compute):
    """`compute()`, a value derived from the meetings and the mention kinds' names, once per
    change of either (and per `part`, its name and arguments)."""
    if not invalidation.enabled():
        return compute()
    names = invalidation.version(NAMES_VERSION)
    return invalidation.remember(VERSION, (part, names), compute, SECONDS)
