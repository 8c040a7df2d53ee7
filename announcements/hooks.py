"""What announcements plugs into the apps below it (its hooks, as every app has): saving a meeting.

Connected from AnnouncementsConfig.ready() to Meeting's post_save (meetings knows nothing of
announcements): publishing minutes writes the minutes row, and a change of time or status of a
meeting whose agenda was sent (its SEQUENCE rose above the agenda's) writes a change notice.
Every cancellation and move ends in Meeting.save (the admin, meetings.occurrences), so this
one signal sees them all. The rows are sent after the commit (tasks.enqueue_after_commit).
"""

from django.db.models.signals import post_save

from meetings.models import Meeting

from . import sending, tasks


def _on_meeting_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    rows = sending.meeting_changed(instance)
    if rows:
        base = sending.base_url() if sending.current_request() is not None else None
        tasks.enqueue_after_commit(rows, base_url=base)


def register():
    """Connect the receiver above; called once, from AnnouncementsConfig.ready()."""
    post_save.connect(_on_meeting_save, sender=Meeting, dispatch_uid="announcements.meeting")
