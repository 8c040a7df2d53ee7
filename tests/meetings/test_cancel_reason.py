"""Cancelling asks first, takes an optional reason, and shows it on the page and in calendars."""

import datetime as dt

from django.utils import timezone

from meetings.models import Meeting
from tests.factories import MeetingFactory, MeetingSeriesFactory


def _series(committee):
    today = timezone.localdate()
    first = today + dt.timedelta(days=(3 - today.weekday()) % 7 + 7)
    return MeetingSeriesFactory(committee=committee, interval_weeks=1, first_date=first)


def test_cancel_asks_for_confirmation_before_cancelling(lead_client, committee):
    series = _series(committee)
    start = series.occurrence_starts(timezone.now(), timezone.now() + dt.timedelta(days=30))[0]
    url = f"/admin/meetings/meetingseries/{series.pk}/occurrences/"
    response = lead_client.post(url, {"action": "cancel", "original_start": start.isoformat()})
    assert response.status_code == 200
    assert "Yes, cancel it" in response.text and 'name="reason"' in response.text
    assert not Meeting.objects.exists()


def test_the_reason_shows_on_the_page_and_in_the_meetings_calendar(
    lead_client, anonymous_client, committee
):
    series = _series(committee)
    start = series.occurrence_starts(timezone.now(), timezone.now() + dt.timedelta(days=30))[0]
    response = lead_client.post(
        f"/admin/meetings/meetingseries/{series.pk}/occurrences/",
        {
            "action": "cancel",
            "confirm": "yes",
            "original_start": start.isoformat(),
            "reason": "Most of us are at  the summit.",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.is_cancelled and meeting.cancel_reason == "Most of us are at the summit."
    page = anonymous_client.get(meeting.get_absolute_url()).text
    assert "This meeting was cancelled. Most of us are at the summit." in page
    ics = anonymous_client.get(f"/meetings/{meeting.pk}/calendar.ics").content.decode()
    assert "Cancelled: Most of us are at the summit." in ics.replace("\r\n ", "")


def test_a_cancelled_one_off_carries_its_reason_in_the_feed(anonymous_client, committee):
    start = timezone.now() + dt.timedelta(days=10)
    MeetingFactory(
        committee=committee, start=start, end=start + dt.timedelta(hours=1),
        status="cancelled", cancel_reason="The room is closed",
    )  # fmt: skip
    feed = anonymous_client.get(f"/committees/{committee.slug}/calendar.ics").content.decode()
    unfolded = feed.replace("\r\n ", "")
    assert "STATUS:CANCELLED" in unfolded and "Cancelled: The room is closed" in unfolded
