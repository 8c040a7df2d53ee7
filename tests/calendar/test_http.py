"""The feeds over HTTP (docs/calendar.md rules 14 and 16); identical bytes when nothing changed."""

import datetime as dt
import gzip

import pytest
from django.urls import reverse

from meetings.ical import versions
from meetings.models import Meeting
from mwi.lib import invalidation
from stackmap.models import Project
from tests.factories import (
    CommitteeFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    PersonFactory,
    RecordingFactory,
)

from .ics import events, parse

pytestmark = pytest.mark.django_db


def feed_url(committee=None):
    if committee is None:
        return reverse("calendar:feed")
    return reverse("calendar:committee_feed", args=[committee.slug])


@pytest.fixture
def filled(committee):
    MeetingSeriesFactory(committee=committee)
    MeetingFactory(committee=committee)
    return committee


@pytest.mark.parametrize("site", [False, True])
def test_feeds_answer_get_without_accept_header_as_utf8_calendar(anonymous_client, filled, site):
    response = anonymous_client.get(feed_url(None if site else filled))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "no-store" not in response.get("Cache-Control", "")
    parse(response.content)


@pytest.mark.parametrize("site", [False, True])
def test_head_gets_the_same_headers_without_a_body(anonymous_client, filled, site):
    get = anonymous_client.get(feed_url(None if site else filled))
    head = anonymous_client.head(feed_url(None if site else filled))
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == get["Content-Type"]


def test_post_is_refused(anonymous_client, filled):
    assert anonymous_client.post(feed_url(filled)).status_code == 405


def test_two_gets_without_a_change_return_identical_bytes(anonymous_client, filled):
    first = anonymous_client.get(feed_url(filled))
    second = anonymous_client.get(feed_url(filled))
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]


def test_an_unknown_committee_is_a_404(anonymous_client, db):
    assert anonymous_client.get(feed_url(CommitteeFactory.build(slug="nope"))).status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_a_matching_etag_gets_304_from_the_committee_row_alone(
    anonymous_client, committee, rows, django_assert_num_queries
):
    MeetingFactory.create_batch(rows, committee=committee)
    etag = anonymous_client.get(feed_url(committee))["ETag"]
    # 1 query: the committee (the validators come from the feeds' version in the cache).
    with django_assert_num_queries(1):
        response = anonymous_client.get(feed_url(committee), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


@pytest.mark.parametrize("rows", [1, 30])
def test_a_current_if_modified_since_gets_304_on_the_site_feed_without_a_query(
    anonymous_client, committee, rows, django_assert_num_queries
):
    MeetingFactory.create_batch(rows, committee=committee)
    last_modified = anonymous_client.get(feed_url())["Last-Modified"]
    # No query: the validators come from the feeds' version in the cache.
    with django_assert_num_queries(0):
        response = anonymous_client.get(feed_url(), headers={"if-modified-since": last_modified})
    assert response.status_code == 304


@pytest.mark.parametrize("rows", [1, 30])
def test_the_full_feed_takes_a_fixed_number_of_queries(
    anonymous_client, committee, rows, django_assert_num_queries
):
    series = MeetingSeriesFactory(committee=committee, first_date=dt.date(2020, 1, 16))
    for n in range(rows):
        start = dt.datetime(2020, 1, 16, 15, tzinfo=dt.UTC) + dt.timedelta(weeks=4 * n)
        meeting = MeetingFactory(
            committee=committee,
            series=series,
            original_start=start,
            start=start,
            end=start + dt.timedelta(hours=1),
        )
        RecordingFactory(meeting=meeting)
    # 1 committee (validator) 2 series 3 meetings 4 recordings (the committee is not reloaded).
    with django_assert_num_queries(4):
        response = anonymous_client.get(feed_url(committee))
    assert len(events(parse(response.content))) == rows + 1


def test_the_feed_changes_after_an_edit(anonymous_client, filled):
    before = anonymous_client.get(feed_url(filled))
    meeting = Meeting.objects.get()
    meeting.title = "Renamed"
    meeting.save()
    after = anonymous_client.get(feed_url(filled), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert b"Renamed" in after.content.replace(b"\r\n ", b"")


def test_the_feed_changes_after_a_delete(anonymous_client, filled):
    extra = MeetingFactory(committee=filled, title="Goes away")
    before = anonymous_client.get(feed_url(filled))
    site_before = anonymous_client.get(feed_url())
    extra.delete()
    after = anonymous_client.get(feed_url(filled), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert b"Goes away" in before.content and b"Goes away" not in after.content
    site_after = anonymous_client.get(feed_url(), headers={"if-none-match": site_before["ETag"]})
    assert site_after.status_code == 200


def test_the_feed_changes_when_a_recording_is_added(anonymous_client, filled):
    before = anonymous_client.get(feed_url(filled))
    RecordingFactory(meeting=Meeting.objects.get(), url="https://video.example.org/new")
    after = anonymous_client.get(feed_url(filled), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert b"video.example.org/new" in after.content.replace(b"\r\n ", b"")  # unfolded


def test_the_site_feed_holds_every_committees_meetings(anonymous_client, filled):
    other = CommitteeFactory()
    MeetingFactory(committee=other, title="Other committee's meeting")
    body = anonymous_client.get(feed_url()).content
    titles = {str(e["SUMMARY"]) for e in events(parse(body))}
    assert "Other committee's meeting" in titles
    assert len(titles) == 3


def test_a_meetings_ics_is_an_attachment_with_the_feeds_identity(anonymous_client, scenario):
    feed = parse(anonymous_client.get(feed_url(scenario["committee"])).content)
    for key in ("moved", "with_agenda", "one_off", "cancelled_one_off"):
        meeting = scenario[key]
        response = anonymous_client.get(reverse("calendar:meeting_ics", args=[meeting.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert b"X-WR-CALNAME" not in response.content
        (event,) = events(parse(response.content))
        (in_feed,) = [
            e
            for e in events(feed)
            if e["UID"] == event["UID"]
            and e.get("RECURRENCE-ID", None) is not None
            and event.get("RECURRENCE-ID") is not None
            and e["RECURRENCE-ID"].dt == event["RECURRENCE-ID"].dt
            or (e["UID"] == event["UID"] and "RECURRENCE-ID" not in e and "RRULE" not in e)
        ]
        assert event["SEQUENCE"] == in_feed["SEQUENCE"]
        assert event.DTSTART == in_feed.DTSTART


def test_an_occurrence_without_a_row_downloads_by_series_and_day(anonymous_client, scenario):
    series = scenario["series"]
    url = reverse("calendar:occurrence_ics", args=[series.pk, "2026-06-04"])
    response = anonymous_client.get(url)
    assert response.status_code == 200
    (event,) = events(parse(response.content))
    assert str(event["UID"]) == str(series.uid)
    assert event["SEQUENCE"] == series.sequence
    assert event["RECURRENCE-ID"].to_ical() == b"20260604T100000"
    assert event["RECURRENCE-ID"].params["TZID"] == "America/New_York"
    assert dt.datetime(2026, 6, 4, 14, tzinfo=dt.UTC) == event.DTSTART


def test_an_occurrence_with_a_row_downloads_the_rows_event(anonymous_client, scenario):
    series = scenario["series"]
    response = anonymous_client.get(
        reverse("calendar:occurrence_ics", args=[series.pk, "2026-02-12"])
    )
    (event,) = events(parse(response.content))
    assert str(event["SUMMARY"]) == "MWI call (moved)"


@pytest.mark.parametrize("day", ["2026-06-05", "not-a-date", "2030-01-01"])
def test_a_day_without_an_occurrence_is_a_404(anonymous_client, scenario, day):
    # Written out: the route's date converter does not reverse "not-a-date".
    url = f"/meetings/series/{scenario['series'].pk}/{day}/calendar.ics"
    assert anonymous_client.get(url).status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_a_repeated_get_without_validators_is_served_from_the_cache(
    anonymous_client, committee, rows, django_assert_num_queries
):
    MeetingFactory.create_batch(rows, committee=committee)
    first = anonymous_client.get(feed_url(committee))
    # 1 query: the committee; the body built for its ETag comes from the cache.
    with django_assert_num_queries(1):
        second = anonymous_client.get(feed_url(committee))
    assert second.content == first.content


@pytest.mark.parametrize("site", [False, True])
def test_a_client_that_accepts_gzip_gets_the_same_feed_compressed_with_a_weak_etag(
    anonymous_client, filled, site, django_assert_num_queries
):
    url = feed_url(None if site else filled)
    plain = anonymous_client.get(url)
    zipped = anonymous_client.get(url, headers={"accept-encoding": "gzip, deflate"})
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] == f"W/{plain['ETag']}"
    # Revalidating the gzip copy: a 304 from the validator alone (the committee's row for its
    # feed, no query for the site's), weak ETag kept.
    with django_assert_num_queries(0 if site else 1):
        again = anonymous_client.get(
            url, headers={"accept-encoding": "gzip", "if-none-match": zipped["ETag"]}
        )
    assert again.status_code == 304
    assert again["ETag"] == zipped["ETag"]


def test_a_body_cached_compressed_is_served_plain_to_a_client_without_gzip(
    anonymous_client, filled
):
    url = feed_url(filled)
    zipped = anonymous_client.get(url, headers={"accept-encoding": "gzip"})  # builds, caches
    plain = anonymous_client.get(url)  # from the cache, decompressed
    assert plain.content == gzip.decompress(zipped.content)
    parse(plain.content)


def test_a_bulk_update_of_a_shown_row_changes_the_etag(anonymous_client, filled):
    before = anonymous_client.get(feed_url(filled))["ETag"]
    Meeting.objects.update(title="Renamed in bulk")  # no save(), no signal
    after = anonymous_client.get(feed_url(filled), headers={"if-none-match": before})
    assert after.status_code == 200
    assert b"Renamed in bulk" in after.content.replace(b"\r\n ", b"")


@pytest.mark.parametrize(
    "write",
    [
        lambda: PersonFactory(name="Not in any feed"),
        lambda: Project.objects.create(name="Milvus", slug="milvus"),
    ],
    ids=["person", "stack-map-project"],
)
def test_a_write_to_a_table_no_feed_shows_keeps_the_etag(anonymous_client, filled, write):
    before = {url: anonymous_client.get(url)["ETag"] for url in (feed_url(filled), feed_url())}
    write()
    for url, etag in before.items():
        assert anonymous_client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_a_committed_write_in_another_process_changes_the_etag(
    anonymous_client, filled, django_capture_on_commit_callbacks
):
    # Another process's write reaches this one through the shared cache only, on its commit.
    before = anonymous_client.get(feed_url(filled))["ETag"]
    invalidation._read.discard(versions.VERSION)  # this process has not read the version since
    with django_capture_on_commit_callbacks(execute=True):
        Meeting.objects.update(title="Renamed elsewhere")
    after = anonymous_client.get(feed_url(filled), headers={"if-none-match": before})
    assert after.status_code == 200
