"""A series' time changes from a date on: the old master ends, a new one begins.

docs/calendar.md rule 10.
"""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import Meeting, MeetingSeries
from tests.factories import MeetingSeriesFactory

from .conftest import EXPECTED_UTC_STARTS, WINDOW
from .ics import expand_python

pytestmark = pytest.mark.django_db


def split_url(series):
    return reverse("admin:meetings_meetingseries_split", args=[series.pk])


def test_the_split_loses_and_duplicates_nothing(anonymous_client, scenario):
    body = anonymous_client.get(
        reverse("calendar:committee_feed", args=[scenario["committee"].slug])
    ).content
    starts = [s for _, s, _, status in expand_python(body, *WINDOW) if status != "CANCELLED"]
    assert starts == EXPECTED_UTC_STARTS
    assert len({s.date() for s in starts}) == len(starts)


def test_the_old_series_keeps_its_start_and_ends_before_the_date(scenario):
    old, new = scenario["series"], scenario["new_series"]
    assert (old.first_date, old.start_time, old.until) == (
        dt.date(2026, 1, 15),
        dt.time(10),
        dt.date(2026, 8, 31),
    )
    assert (new.previous, new.first_date, new.start_time) == (
        old,
        dt.date(2026, 9, 24),
        dt.time(11),
    )
    assert new.uid != old.uid
    assert old.sequence >= 1  # its recurrence (UNTIL) changed


def test_rows_from_the_date_on_move_to_the_new_series(scenario):
    october, november = scenario["october"], scenario["november"]
    assert october.series == november.series == scenario["new_series"]
    # Not moved: follows the new time. Moved to Friday 09:00: keeps it.
    assert october.start == dt.datetime(2026, 10, 22, 15, tzinfo=dt.UTC)
    assert november.original_start == dt.datetime(2026, 11, 19, 16, tzinfo=dt.UTC)
    assert november.start == dt.datetime(2026, 11, 20, 14, tzinfo=dt.UTC)
    assert scenario["with_agenda"].series == scenario["series"]


def test_the_lead_changes_the_time_from_a_date_on_in_the_admin(lead_client, committee):
    series = MeetingSeriesFactory(committee=committee, first_date=dt.date(2020, 1, 16))
    change = lead_client.get(reverse("admin:meetings_meetingseries_change", args=[series.pk]))
    assert split_url(series).encode() in change.content
    assert lead_client.get(split_url(series)).status_code == 200
    response = lead_client.post(
        split_url(series),
        {"from_date": "2024-06-01", "start_time": "11:30", "duration_minutes": "90"},
    )
    new = MeetingSeries.objects.get(previous=series)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:meetings_meetingseries_change", args=[new.pk])
    series.refresh_from_db()
    assert series.until == dt.date(2024, 5, 31)
    assert (new.start_time, new.duration, new.first_date) == (
        dt.time(11, 30),
        dt.timedelta(minutes=90),
        dt.date(2024, 6, 27),  # the series' next meeting on or after the date
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"from_date": "2019-01-01", "start_time": "11:00", "duration_minutes": "60"}, b"first"),
        ({"from_date": "2024-06-01", "start_time": "10:00", "duration_minutes": "60"}, b"Nothing"),
        ({"from_date": "soon", "start_time": "25:00", "duration_minutes": "-1"}, b"valid"),
    ],
)
def test_a_split_that_cannot_be_made_is_a_form_error(lead_client, committee, data, message):
    series = MeetingSeriesFactory(committee=committee, first_date=dt.date(2020, 1, 16))
    response = lead_client.post(split_url(series), data)
    assert response.status_code == 200
    assert message in response.content
    assert not MeetingSeries.objects.filter(previous=series).exists()


def test_a_series_already_continued_cannot_be_split_again(lead_client, committee):
    series = MeetingSeriesFactory(committee=committee, first_date=dt.date(2020, 1, 16))
    data = {"from_date": "2024-06-01", "start_time": "11:00", "duration_minutes": "60"}
    lead_client.post(split_url(series), data)
    response = lead_client.post(split_url(series), {**data, "start_time": "12:00"})
    assert b"already continues" in response.content


def test_a_begun_series_offers_the_split_instead_of_editing_its_rule(lead_client, committee):
    series = MeetingSeriesFactory(committee=committee, first_date=dt.date(2020, 1, 16))
    response = lead_client.get(reverse("admin:meetings_meetingseries_change", args=[series.pk]))
    assert b'name="start_time"' not in response.content
    assert b'name="duration"' in response.content


def test_members_cannot_split(member_client, committee):
    series = MeetingSeriesFactory(committee=committee)
    assert member_client.get(split_url(series)).status_code == 302
    assert Meeting.objects.count() == 0
