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


def _future_meetings(committee, count):
    start = timezone.now() + dt.timedelta(days=10)
    return [
        MeetingFactory(
            committee=committee,
            start=start + dt.timedelta(days=7 * n),
            end=start + dt.timedelta(days=7 * n, hours=1),
        )
        for n in range(count)
    ]


def test_the_list_action_asks_for_confirmation_and_a_reason_before_cancelling(
    lead_client, committee
):
    meetings = _future_meetings(committee, 2)
    selected = {"action": "cancel_meetings", "_selected_action": [m.pk for m in meetings]}
    page = lead_client.post("/admin/meetings/meeting/", selected)
    assert page.status_code == 200
    assert "Cancel 2 meetings?" in page.text and 'name="reason"' in page.text
    assert "Yes, cancel them" in page.text
    assert not Meeting.objects.filter(status="cancelled").exists()

    confirmed = {**selected, "confirm": "yes", "reason": "  The  foundation is closed "}
    response = lead_client.post("/admin/meetings/meeting/", confirmed)
    assert response.status_code == 302
    for meeting in meetings:
        meeting.refresh_from_db()
        assert meeting.is_cancelled and meeting.cancel_reason == "The foundation is closed"
        assert meeting.history.first().history_user.username == "lead"


def test_a_reason_over_300_characters_is_a_form_error_not_a_cut(lead_client, committee):
    (meeting,) = _future_meetings(committee, 1)
    response = lead_client.post(
        "/admin/meetings/meeting/",
        {
            "action": "cancel_meetings",
            "_selected_action": [meeting.pk],
            "confirm": "yes",
            "reason": "x" * 301,
        },
    )
    assert response.status_code == 200 and "at most 300 characters" in response.text
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_cancelling_in_the_change_form_goes_through_the_same_cancellation(lead_client, committee):
    from tests.adminforms import form_data

    (meeting,) = _future_meetings(committee, 1)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(lead_client.get(url).text)
    data.update(status=["cancelled"], cancel_reason=["Snowed in"])
    response = lead_client.post(url, data)
    assert response.status_code == 302, response.text
    meeting.refresh_from_db()
    assert (meeting.is_cancelled, meeting.cancel_reason, meeting.sequence) == (
        True,
        "Snowed in",
        1,
    )


def test_a_cancelled_occurrence_leaves_the_committee_feed_with_its_reason_on_the_series(
    lead_client, anonymous_client, committee
):
    """An EXDATE on the master in the rule's form (docs/calendar.md, rule 9), the reason a line
    of the master's DESCRIPTION, a raised SEQUENCE; icalendar and ical.js both drop the day."""
    from tests.calendar.ics import icaljs_items, parse

    series = _series(committee)
    now = timezone.now()
    start = series.occurrence_starts(now, now + dt.timedelta(days=30))[0]
    lead_client.post(
        f"/admin/meetings/meetingseries/{series.pk}/occurrences/",
        {"action": "cancel", "confirm": "yes", "original_start": start.isoformat(),
         "reason": "Most of us are at the summit"},
    )  # fmt: skip
    body = anonymous_client.get(f"/committees/{committee.slug}/calendar.ics").content
    events = parse(body).walk("VEVENT")
    assert not [e for e in events if "RECURRENCE-ID" in e]
    (master,) = [e for e in events if e["UID"] == str(series.uid)]
    local = start.astimezone(series.tz)
    assert [d.dt for d in master["EXDATE"].dts] == [local]
    day = f"{local:%a} {local.day} {local:%b %Y}"
    assert f"Cancelled on {day}: Most of us are at the summit" in master["DESCRIPTION"]
    series.refresh_from_db()
    assert master["SEQUENCE"] >= 1 and master["SEQUENCE"] == series.sequence
    starts = [i["start"] for i in icaljs_items(body, now, now + dt.timedelta(days=30))]
    assert start.astimezone(dt.UTC).isoformat().replace("+00:00", ".000Z") not in starts
