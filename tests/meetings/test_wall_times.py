"""Every time typed in the admin, read in the committee's zone without guessing across DST.

New York, 2027: 14 March 02:00-03:00 does not exist (EST -> EDT); 7 November 01:00-02:00
happens twice (EDT, then EST). Other zones' changes are tried too (same kind, other inputs).
"""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Meeting, MeetingSeries
from tests.adminforms import form_errors
from tests.factories import CommitteeFactory, MeetingFactory, MeetingSeriesFactory

# (zone, skipped local time, repeated local time, the two abbreviations of the repeat)
CHANGES = [
    ("America/New_York", "2027-03-14 02:30", "2027-11-07 01:30", ("EDT", "EST")),
    ("America/New_York", "2026-03-08 02:05", "2026-11-01 01:59", ("EDT", "EST")),
    ("Europe/Berlin", "2027-03-28 02:30", "2027-10-31 02:30", ("CEST", "CET")),
    ("Australia/Sydney", "2027-10-03 02:15", "2027-04-04 02:15", ("AEDT", "AEST")),
]


def _meeting_data(committee, start, end_time="23:30", **extra):
    day, time = start.split()
    data = {
        "committee": committee.pk,
        "title": "Call",
        "start_0": day,
        "start_1": time,
        "end_0": day,
        "end_1": end_time,
        "status": "scheduled",
        "minutes_status": "none",
        **extra,
    }
    for prefix in ["recordings", "materials", "attendance", "action_items", "decisions"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize(("zone", "gap", "overlap", "names"), CHANGES)
def test_a_meeting_at_a_skipped_time_is_a_form_error_naming_the_change(
    lead_client, zone, gap, overlap, names
):
    committee = CommitteeFactory(time_zone=zone)
    response = lead_client.post("/admin/meetings/meeting/add/", _meeting_data(committee, gap))
    errors = " ".join(form_errors(response.text))
    assert response.status_code == 200
    assert "does not exist in " + zone in errors and "daylight-saving" in errors
    assert "constraint" not in errors.lower()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("zone", "gap", "overlap", "names"), CHANGES)
def test_a_meeting_at_a_repeated_time_asks_which_one_and_stores_the_choice(
    lead_client, zone, gap, overlap, names
):
    committee = CommitteeFactory(time_zone=zone)
    response = lead_client.post("/admin/meetings/meeting/add/", _meeting_data(committee, overlap))
    errors = " ".join(form_errors(response.text))
    assert f"happens twice in {zone}" in errors
    assert f"first ({names[0]})" in errors and f"second ({names[1]})" in errors
    assert (
        'name="start_2"' in response.text
        and "hidden" not in response.text.split('name="start_2"')[1].split(">")[0]
    )
    assert not Meeting.objects.exists()

    for fold, name in ((0, names[0]), (1, names[1])):
        Meeting.objects.all().delete()
        data = _meeting_data(committee, overlap, start_2=str(fold))
        response = lead_client.post("/admin/meetings/meeting/add/", data)
        assert response.status_code == 302, form_errors(response.text)
        meeting = Meeting.objects.get()
        local = meeting.start.astimezone(committee.tz)
        assert local.strftime("%Y-%m-%d %H:%M") == overlap and local.tzname() == name


def test_the_change_form_shows_the_zone_offset_and_no_utc_note(lead_client, committee):
    start = dt.datetime(2026, 12, 10, 15, tzinfo=dt.UTC)
    meeting = MeetingFactory(committee=committee, start=start, end=start + dt.timedelta(hours=1))
    page = lead_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").text
    assert "Typed in America/New_York: EST (UTC\u221205:00) on that day." in page
    assert '<time datetime="2026-12-10T15:00:00Z" data-localtime>' in page
    assert "Wall-clock time" not in page
    # Django's note is written by its calendar script only when the page carries the server's
    # offset; the admin's script removes it before that script runs.
    assert "js/admin_time.js" in page


def test_date_only_fields_carry_no_time_zone_note(lead_client, committee, lead):
    membership = committee.memberships.get()
    page = lead_client.get(f"/admin/participants/membership/{membership.pk}/change/").text
    assert "js/admin_time.js" in page and "Enter times in" not in page
    # (the browser test of the lead's month checks that no .timezonewarning is ever shown)


@pytest.mark.parametrize(("zone", "gap", "overlap", "names"), CHANGES)
def test_moving_an_occurrence_into_a_skipped_or_repeated_time(
    lead_client, zone, gap, overlap, names
):
    committee = CommitteeFactory(time_zone=zone)
    series = MeetingSeriesFactory(
        committee=committee, time_zone=zone, interval_weeks=1, weekday=2,
        first_date=_next_weekday(2),
    )  # fmt: skip
    original = series.occurrence_starts(timezone.now(), timezone.now() + dt.timedelta(days=20))[0]
    url = f"/admin/meetings/meetingseries/{series.pk}/occurrences/"
    for when, expected in ((gap, "does not exist"), (overlap, "happens twice")):
        day, time = when.split()
        response = lead_client.post(
            url,
            {"action": "move", "original_start": original.isoformat(), "date": day, "time": time},
        )
        assert response.status_code == 200
        assert expected in response.text and "daylight-saving" in response.text
        assert not Meeting.objects.exists()
    day, time = overlap.split()
    response = lead_client.post(
        url,
        {
            "action": "move", "original_start": original.isoformat(), "date": day,
            "time": time, "fold": "1",
        },
    )  # fmt: skip
    assert response.status_code == 302
    local = Meeting.objects.get().start.astimezone(series.tz)
    assert local.strftime("%Y-%m-%d %H:%M") == overlap and local.tzname() == names[1]


def _next_weekday(weekday):
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7)


@pytest.mark.parametrize(("zone", "gap", "overlap", "names"), CHANGES)
def test_a_series_whose_start_time_a_dst_change_skips_or_repeats_is_refused(
    lead_client, zone, gap, overlap, names
):
    committee = CommitteeFactory(time_zone=zone)
    for when, expected in ((gap, "does not exist"), (overlap, "happens twice")):
        day, time = when.split()
        first = dt.date.fromisoformat(day)
        response = lead_client.post(
            "/admin/meetings/meetingseries/add/",
            {
                "committee": committee.pk, "title": "Night call", "interval_weeks": "1",
                "weekday": str(first.weekday()), "start_time": time, "time_zone": zone,
                "duration": "01:00:00", "first_date": day,
            },
        )  # fmt: skip
        errors = " ".join(form_errors(response.text))
        assert expected in errors and "daylight-saving" in errors, errors
        assert not MeetingSeries.objects.exists()


@pytest.mark.parametrize(("zone", "gap", "overlap", "names"), CHANGES)
def test_changing_a_series_time_from_a_date_into_a_dst_change_is_refused(
    lead_client, zone, gap, overlap, names
):
    committee = CommitteeFactory(time_zone=zone)
    for when, expected in ((gap, "does not exist"), (overlap, "happens twice")):
        day, time = when.split()
        change_day = dt.date.fromisoformat(day)
        series = MeetingSeriesFactory(
            committee=committee, time_zone=zone, interval_weeks=1,
            weekday=change_day.weekday(), first_date=change_day - dt.timedelta(weeks=10),
        )  # fmt: skip
        response = lead_client.post(
            f"/admin/meetings/meetingseries/{series.pk}/change-time/",
            {"from_date": day, "start_time": time, "duration_minutes": "60"},
        )
        errors = " ".join(form_errors(response.text))
        assert expected in errors and "daylight-saving" in errors, errors
        assert MeetingSeries.objects.count() == 1
        series.delete()


@pytest.mark.parametrize(("zone", "gap", "overlap", "names"), CHANGES)
def test_an_end_at_a_skipped_or_repeated_time_is_refused_too(
    lead_client, zone, gap, overlap, names
):
    committee = CommitteeFactory(time_zone=zone)
    for when, expected in ((gap, "does not exist"), (overlap, "happens twice")):
        day, time = when.split()
        start = (dt.datetime.fromisoformat(when) - dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
        data = _meeting_data(committee, start, end_0=day, end_1=time)
        response = lead_client.post("/admin/meetings/meeting/add/", data)
        errors = " ".join(form_errors(response.text))
        assert expected in errors and "daylight-saving" in errors, errors
        assert "constraint" not in errors.lower()
        assert not Meeting.objects.exists()


# Every field of the admin that takes a time of day, and the test above that tries it at a
# skipped and a repeated time. A new one fails the test below until it is typed as wall time
# and tried here.
TIMED_FIELDS = {
    ("meetings.meeting", "start"): "test_a_meeting_at_a_skipped_time_is_a_form_error_naming...",
    ("meetings.meeting", "end"): "test_an_end_at_a_skipped_or_repeated_time_is_refused_too",
    ("meetings.meetingseries", "start_time"): "test_a_series_whose_start_time_a_dst_change...",
}


def test_every_time_field_of_every_admin_form_is_wall_time_tried_at_dst_changes(rf, lead_user):
    """Every registered admin, and its inlines: the fields that take a time of day are the ones
    TIMED_FIELDS names, and date-times among them are typed as wall time (WallDateTimeField),
    never Django's UTC-typed SplitDateTimeField. (The admin's own views, "move" and "change
    time from this date on", are tried by the tests above.)"""
    from django import forms
    from django.contrib import admin

    from meetings.forms import WallDateTimeField

    request = rf.get("/admin/")
    request.user = lead_user
    found = set()
    for model_admin in admin.site._registry.values():
        forms_of = [model_admin.get_form(request)]
        forms_of += [
            inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)
        ]
        for form in forms_of:
            for name, field in form.base_fields.items():
                if isinstance(field, (forms.DateTimeField, forms.SplitDateTimeField)):
                    raise AssertionError(f"{form._meta.model._meta.label_lower}.{name}: UTC-typed")
                if isinstance(field, (WallDateTimeField, forms.TimeField)):
                    found.add((form._meta.model._meta.label_lower, name))
    assert found == set(TIMED_FIELDS)
