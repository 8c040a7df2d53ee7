"""Recordings and materials the old wiki mentioned but never linked ("Call was recorded")."""

import datetime as dt

from tests.factories import (
    MaterialFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    RecordingFactory,
)


def test_a_recording_without_link_or_file_reads_not_available(anonymous_client, committee):
    meeting = MeetingFactory(committee=committee)
    RecordingFactory(meeting=meeting, title="Zoom recording", url="")
    MaterialFactory(meeting=meeting, title="The chat", kind="chat", url="")
    page = anonymous_client.get(meeting.get_absolute_url()).text
    assert "Zoom recording <span" in page and "The chat <span" in page
    assert page.count("(not available)") == 2
    assert 'href=""' not in page


def test_a_linked_recording_is_a_link(anonymous_client, committee):
    meeting = MeetingFactory(committee=committee)
    RecordingFactory(meeting=meeting, url="https://zoom.example.org/rec/42")
    page = anonymous_client.get(meeting.get_absolute_url()).text
    assert 'href="https://zoom.example.org/rec/42"' in page
    assert "(not available)" not in page


def test_an_unopened_occurrence_offers_its_ics_download(anonymous_client, committee):
    series = MeetingSeriesFactory(committee=committee, first_date=dt.date(2020, 1, 16))
    page = anonymous_client.get(f"/meetings/series/{series.pk}/2020-07-02/").text
    ics_url = f"/meetings/series/{series.pk}/2020-07-02/calendar.ics"
    assert ics_url in page
    response = anonymous_client.get(ics_url)
    assert response.status_code == 200
    assert "RECURRENCE-ID;TZID=America/New_York:20200702T100000" in response.text


def test_a_meeting_page_keeps_the_committees_time_and_offers_the_visitors(
    anonymous_client, committee
):
    start = dt.datetime(2020, 4, 9, 14, tzinfo=dt.UTC)
    meeting = MeetingFactory(committee=committee, start=start, end=start + dt.timedelta(hours=1))
    page = anonymous_client.get(meeting.get_absolute_url()).text
    # The headline stays in the committee's zone; the script fills in the visitor's below it.
    assert '<time datetime="2020-04-09T14:00:00Z">Thu 9 Apr 2020, 10:00 EDT' in page
    assert "data-localtime-reveal hidden>Your time:" in page
