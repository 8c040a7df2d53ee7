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
