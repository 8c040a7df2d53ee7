"""Feeds follow a meeting or a series that moves between committees: both committees' feeds
get a new ETag (no 304 for the old copy) and the event leaves the one and joins the other
(docs/calendar.md, "HTTP")."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import CommitteeFactory, MeetingFactory, MeetingSeriesFactory

from .ics import events, parse

pytestmark = pytest.mark.django_db


def feed(client, committee, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(reverse("calendar:committee_feed", args=[committee.slug]), headers=headers)


def uids(response):
    return {str(e["UID"]) for e in events(parse(response.content))}


@pytest.fixture
def committees(db):
    return CommitteeFactory(), CommitteeFactory()


def moved_between(client, a, b, item, move):
    """ETags of both feeds before, then `move()`; returns the responses to the old ETags."""
    etag_a, etag_b = feed(client, a)["ETag"], feed(client, b)["ETag"]
    assert str(item.uid) in uids(feed(client, a))
    assert str(item.uid) not in uids(feed(client, b))
    move()
    after_a, after_b = feed(client, a, etag_a), feed(client, b, etag_b)
    assert after_a.status_code == after_b.status_code == 200
    assert after_a["ETag"] != etag_a and after_b["ETag"] != etag_b
    assert str(item.uid) not in uids(after_a)
    assert str(item.uid) in uids(after_b)


def test_committee_move_of_a_meeting_by_save_changes_both_feeds(anonymous_client, committees):
    a, b = committees
    meeting = MeetingFactory(committee=a)

    def move():
        meeting.committee = b
        meeting.save()

    moved_between(anonymous_client, a, b, meeting, move)


def test_committee_move_of_a_meeting_saving_only_the_committee_changes_both_feeds(
    anonymous_client, committees
):
    a, b = committees
    meeting = MeetingFactory(committee=a)

    def move():
        meeting.committee = b
        meeting.save(update_fields=["committee"])

    moved_between(anonymous_client, a, b, meeting, move)


def test_committee_move_of_a_series_changes_both_feeds(anonymous_client, committees):
    a, b = committees
    series = MeetingSeriesFactory(committee=a, first_date=dt.date(2026, 1, 15))

    def move():
        series.committee = b
        series.save()

    moved_between(anonymous_client, a, b, series, move)


def test_committee_move_changes_the_site_feed_once_and_keeps_the_event(
    anonymous_client, committees
):
    a, b = committees
    meeting = MeetingFactory(committee=a)
    site = reverse("calendar:feed")
    etag = anonymous_client.get(site)["ETag"]
    meeting.committee = b
    meeting.save()
    response = anonymous_client.get(site, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert [str(e["UID"]) for e in events(parse(response.content))].count(str(meeting.uid)) == 1
