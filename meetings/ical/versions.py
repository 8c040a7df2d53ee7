"""The HTTP validators of the feeds (ETag, Last-Modified) and what makes them change.

Feed clients poll (Google every few hours, Thunderbird every half hour by default), so a feed's
validators must be cheap (no query) and must change whenever its bytes would:

- the data: the named version "feeds" of mwi.lib.invalidation, which every committed write to
  a table a feed reads (committees, series, meetings, recordings) replaces, bulk updates,
  cascades and other processes' writes included; a write to any other table leaves it
  (docs/calendar.md, "HTTP"). Its time of change is the Last-Modified;
- the code: FORMAT_VERSION is a hash of the source of the modules that write the bytes, so
  a release that writes differently gives every feed a new ETag by itself;
- the site: its base URL and name are written into the feed.
"""

import hashlib
from importlib import metadata
from pathlib import Path

from django.conf import settings

from mwi.lib import invalidation
from participants.models import Committee

from ..models import Meeting, MeetingSeries, Recording

VERSION = "feeds"
# The tables whose rows a feed shows.
TABLES = frozenset(
    model._meta.db_table.lower() for model in (Committee, MeetingSeries, Meeting, Recording)
)
invalidation.watch(VERSION, TABLES.__contains__, always=True)


def _format_version():
    """SHA-256 of the writing modules' source and icalendar's version: the output's version."""
    digest = hashlib.sha256(metadata.version("icalendar").encode())
    for name in ("document.py", "writer.py", "vtimezone.py"):
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()[:16]


FORMAT_VERSION = _format_version()


def feed_validator(committee, base_url):
    """(ETag, Last-Modified: an aware datetime) of a committee's feed, or of the site feed for
    None, without a query (1 cache read). `base_url` as for meetings.ical.document."""
    value, changed = invalidation.stamp(VERSION)
    scope = "site" if committee is None else committee.pk
    key = "|".join(str(p) for p in (FORMAT_VERSION, base_url, settings.SITE_NAME, scope, value))
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"', changed
