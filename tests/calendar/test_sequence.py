"""SEQUENCE rises on every change of time, duration, recurrence, EXDATE or status.

docs/calendar.md rule 5.
"""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import Meeting, MeetingSeries
from tests.factories import MeetingFactory, MeetingSeriesFactory

from .ics import events, parse

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 15, 15, tzinfo=dt.UTC)


@pytest.fixture
def series(committee):
    return MeetingSeriesFactory(committee=committee, first_date=dt.date(2026, 1, 15))


def occurrence_row(series, **kwargs):
    return MeetingFactory(
        committee=series.committee,
        series=series,
        original_start=START,
        start=START,
        end=START + dt.timedelta(hours=1),
        **kwargs,
    )


def seq(obj):
    return type(obj).objects.values_list("sequence", flat=True).get(pk=obj.pk)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_time", dt.time(11)),
        ("duration", dt.timedelta(minutes=90)),
        ("interval_weeks", 2),
        ("until", dt.date(2027, 1, 1)),
        ("time_zone", "Europe/Berlin"),
    ],
)
def test_a_series_sequence_rises_when_its_schedule_changes(series, field, value):
    setattr(series, field, value)
    series.save()
    assert seq(series) == 1


def test_a_series_sequence_stays_when_only_its_title_changes(series):
    series.title = "Renamed"
    series.save()
    assert seq(series) == 0


def test_a_stale_instance_does_not_lower_the_stored_sequence(series):
    stale = MeetingSeries.objects.get(pk=series.pk)
    occurrence_row(series, status=Meeting.Status.CANCELLED)  # raises the stored sequence
    stale.title = "Renamed"
    stale.save()
    assert seq(series) == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda m: setattr(m, "start", m.start - dt.timedelta(days=1)),
        lambda m: setattr(m, "end", m.end + dt.timedelta(minutes=30)),
        lambda m: setattr(m, "status", Meeting.Status.CANCELLED),
    ],
    ids=["moved", "longer", "cancelled"],
)
def test_a_meetings_sequence_rises_when_its_time_or_status_changes(committee, change):
    meeting = MeetingFactory(committee=committee)
    change(meeting)
    meeting.save()
    assert seq(meeting) == 1


def test_a_meetings_sequence_stays_when_its_agenda_changes(committee):
    meeting = MeetingFactory(committee=committee)
    meeting.agenda = "New agenda"
    meeting.save(update_fields=["agenda"])
    assert seq(meeting) == 0


def test_cancelling_an_occurrence_raises_the_series_sequence_too(series):
    row = occurrence_row(series)
    assert seq(series) == 0
    row.status = Meeting.Status.CANCELLED
    row.save()
    assert (seq(row), seq(series)) == (1, 1)
    row.status = Meeting.Status.SCHEDULED
    row.save()
    assert (seq(row), seq(series)) == (2, 2)


def test_deleting_a_cancelled_occurrence_raises_the_series_sequence(series):
    row = occurrence_row(series, status=Meeting.Status.CANCELLED)
    assert seq(series) == 1
    row.delete()
    assert seq(series) == 2


def test_a_cancelled_one_off_stays_in_the_feed_cancelled_with_a_raised_sequence(
    anonymous_client, committee
):
    meeting = MeetingFactory(committee=committee)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    url = reverse("calendar:committee_feed", args=[committee.slug])
    (event,) = events(parse(anonymous_client.get(url).content))
    assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", 1)


def test_the_feed_writes_the_raised_sequences(anonymous_client, series):
    row = occurrence_row(series, agenda="Has a page")
    row.start += dt.timedelta(hours=2)
    row.end += dt.timedelta(hours=2)
    row.save()
    series.duration = dt.timedelta(minutes=90)
    series.save()
    url = reverse("calendar:committee_feed", args=[series.committee.slug])
    by_kind = {
        "RECURRENCE-ID" in e: e["SEQUENCE"]
        for e in events(parse(anonymous_client.get(url).content))
    }
    assert by_kind == {False: 1, True: 1}
