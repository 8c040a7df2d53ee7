"""Values derived from every meeting, computed once per write to the meetings table.

The archive's year filter lists the years that have meetings: DISTINCT over every meeting's
truncated date, which SQLite computes in Python (275 ms at 10,000 meetings on a busy machine).
It is kept under the version "meetings" of mwi.lib.invalidation, replaced when a transaction
that wrote the meetings table commits.
"""

from mwi.lib import invalidation

VERSION = "meetings"
SECONDS = 24 * 3600

invalidation.watch(VERSION, lambda table: table == "meetings_meeting")


def archive_years():
    """[year], newest first, of every meeting's start (in the current time zone)."""
    from .models import Meeting

    def compute():
        return [d.year for d in Meeting.objects.dates("start", "year", order="DESC")]

    return invalidation.remember(VERSION, ("archive-years",), compute, SECONDS)
