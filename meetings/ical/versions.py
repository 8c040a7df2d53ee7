"""The HTTP validators of the feeds (ETag, Last-Modified) and what makes them change.

Feed clients poll (Google every few hours, Thunderbird every half hour by default), so a feed's
validators must be cheap (no meeting read) and must change whenever its bytes would:

- the data: every save or delete of a series, meeting or recording bumps its committee's
  `calendar_version`/`calendar_changed` columns in the same transaction as the write (durable,
  and shared by every worker with or without Redis); a meeting or series moved to another
  committee bumps both committees (docs/calendar.md, "HTTP");
- the code: FORMAT_VERSION is a hash of the source of the modules that write the bytes, so
  a release that writes differently gives every feed a new ETag by itself;
- the site: its base URL and name are written into the feed.
"""

import hashlib
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db.models import Count, F, Max, Sum
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from participants.models import Committee

from ..models import Meeting, MeetingSeries, Recording


def _format_version():
    """SHA-256 of the writing modules' source and icalendar's version: the output's version."""
    digest = hashlib.sha256(metadata.version("icalendar").encode())
    for name in ("document.py", "writer.py", "vtimezone.py"):
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()[:16]


FORMAT_VERSION = _format_version()


def feed_validator(committee, base_url):
    """(ETag, Last-Modified) of a feed without reading a meeting: 1 query for the site feed
    (committee None), none for a committee already loaded (its row carries
    calendar_version/calendar_changed). `base_url` as for meetings.ical.document."""
    if committee is not None:
        parts = (committee.pk, committee.updated, committee.calendar_version, 1)
        changed = [committee.updated, committee.calendar_changed]
    else:
        agg = Committee.objects.aggregate(
            updated=Max("updated"),
            changed=Max("calendar_changed"),
            version=Sum("calendar_version"),
            count=Count("pk"),
        )
        parts = (agg["updated"], agg["changed"], agg["version"], agg["count"])
        changed = [agg["updated"], agg["changed"]]
    key = "|".join(str(p) for p in (FORMAT_VERSION, base_url, settings.SITE_NAME, *parts))
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    known = [c for c in changed if c is not None]
    return etag, max(known) if known else None


def bump(*committee_ids):
    """Note that these committees' calendars changed (their feeds get a new ETag and
    Last-Modified): 1 UPDATE, in the caller's transaction."""
    ids = {pk for pk in committee_ids if pk is not None}
    if ids:
        Committee.objects.filter(pk__in=ids).update(
            calendar_version=F("calendar_version") + 1, calendar_changed=timezone.now()
        )


def _remember_committee(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a series or meeting is saved: its stored committee (1 query), so a move from one
    committee to another bumps the one it leaves too."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "committee" not in update_fields:
        return
    instance._calendar_committee_before = (
        sender.objects.filter(pk=instance.pk).values_list("committee_id", flat=True).first()
    )


def _on_series_or_meeting_save(sender, instance, **kwargs):
    bump(instance.committee_id, instance.__dict__.pop("_calendar_committee_before", None))


def _on_series_delete(sender, instance, **kwargs):
    bump(instance.committee_id)


def _on_meeting_delete(sender, instance, **kwargs):
    # A deleted cancelled row removes an EXDATE, a deleted moved row an override: both change
    # the master, so its SEQUENCE rises as for a cancellation.
    if instance.series_id and (instance.is_cancelled or instance.is_moved):
        MeetingSeries.objects.filter(pk=instance.series_id).update(
            sequence=F("sequence") + 1, updated=timezone.now()
        )
    bump(instance.committee_id)


def _on_recording_change(sender, instance, **kwargs):
    # Past meetings' descriptions link their recordings.
    committee_id = (
        Meeting.objects.filter(pk=instance.meeting_id)
        .values_list("committee_id", flat=True)
        .first()
    )
    bump(committee_id)


def connect_signals():
    """Keep the feeds' validators current; called from MeetingsConfig.ready().

    Signals (not save()) because admin bulk deletes and cascades call no delete() method.
    """
    for model in (MeetingSeries, Meeting):
        pre_save.connect(_remember_committee, sender=model, dispatch_uid=f"cal-before-{model}")
        post_save.connect(_on_series_or_meeting_save, sender=model, dispatch_uid=f"cal-{model}")
    post_delete.connect(_on_series_delete, sender=MeetingSeries, dispatch_uid="cal-sd")
    post_delete.connect(_on_meeting_delete, sender=Meeting, dispatch_uid="cal-md")
    post_save.connect(_on_recording_change, sender=Recording, dispatch_uid="cal-rs")
    post_delete.connect(_on_recording_change, sender=Recording, dispatch_uid="cal-rd")
