"""Meetings with everything a page shows, for query-budget and page tests."""

import datetime as dt

from django.utils import timezone

from tests.factories import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MaterialFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    RecordingFactory,
)


def full_meeting(committee, *, days_ago=28, **kwargs):
    """A past meeting with 2 recordings, 2 materials (one members-only), 3 attendees, 2 action
    items, 1 decision and minutes mentioning someone."""
    start = timezone.now() - dt.timedelta(days=days_ago)
    meeting = MeetingFactory(
        committee=committee, start=start, end=start + dt.timedelta(hours=1), **kwargs
    )
    RecordingFactory.create_batch(2, meeting=meeting)
    MaterialFactory(meeting=meeting)
    MaterialFactory(meeting=meeting, title="Members notes", visibility="members")
    organization = OrganizationFactory()
    for _ in range(3):
        AttendanceFactory(meeting=meeting, person=PersonFactory(organization=organization))
    ActionItemFactory.create_batch(2, meeting=meeting)
    DecisionFactory(meeting=meeting)
    return meeting


def full_meetings(committee, n):
    return [full_meeting(committee, days_ago=7 * (i + 1)) for i in range(n)]
