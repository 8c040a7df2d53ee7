"""Values derived from every meeting, computed once per write to the meetings table.

The archive's year filter lists the years that have meetings: DISTINCT over every meeting's
truncated date, which SQLite computes in Python (275 ms at 10,000 meetings on a busy machine).
It is kept under the version "meetings" of mwi.lib.invalidation, replaced when a transaction
that wrote the meetings table commits. The unlinked-name regexes of the lead's workspace
(meetings.unlinked: a trie of 4,500 names, 0.5 s to build) are kept under "mention-names",
replaced by a write to a table of people or of the stack map; the names they find in the
latest minutes (15 ms per view of a busy committee's workspace) under both. The workspace's
summary counts its committees' meetings under "meetings" too (meetings.admin_workspace). The
open action items' list (which ones an audience reads, in order) is kept under "action-items",
replaced by a write to action items or meetings.
"""

from mwi.lib import invalidation

VERSION = "meetings"
SECONDS = 24 * 3600

invalidation.watch(VERSION, lambda table: table == "meetings_meeting")

# Which action items are open, on a meeting whose record an audience reads, in the list's order.
ACTION_ITEMS_VERSION = "action-items"
invalidation.watch(
    ACTION_ITEMS_VERSION, lambda table: table in ("meetings_actionitem", "meetings_meeting")
)

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


def open_action_item_keys(audience):
    """[pk] of the open action items `audience` (participants.access.Audience) may read, in
    the list's order (oldest meeting first, ActionItemQuerySet.for_list). Per audience class,
    once per write to action items or meetings: counting them and ordering them by their
    meeting's start read every open item's meeting (8-10 ms a query at 2,000 open items)."""
    from .models import ActionItem, Meeting

    def compute():
        items = ActionItem.objects.open().filter(Meeting.record_q(audience))
        return list(items.order_by("meeting__start", "pk").values_list("pk", flat=True))

    return invalidation.remember(
        ACTION_ITEMS_VERSION, ("open", audience.cache_class), compute, SECONDS
    )


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
