"""Agenda, minutes and change announcements reach a real SMTP server once each.

The server is aiosmtpd on loopback (conftest.py); messages are parsed with the `email`
package, and their .ics is read with icalendar and expanded with recurring-ical-events.
"""

import datetime as dt

import icalendar
import pytest
import recurring_ical_events
from django.core.management import CommandError, call_command
from django.utils import timezone

from announcements.models import Announcement
from meetings import occurrences
from meetings.models import Meeting
from tests.factories import ActionItemFactory, DecisionFactory, MeetingFactory, PersonFactory

from .conftest import LIST


def _run():
    call_command("send_due_announcements", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _upcoming(committee, days=3, **kwargs):
    start = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0, second=0)
    values = {
        "committee": committee,
        "title": "Stack review",
        "start": start,
        "end": start + dt.timedelta(hours=1),
        "agenda": "1. Welcome\n2. Demo by @[Ana Lead]\n3. Write to ana@example.org",
        "minutes": "",
        "minutes_status": Meeting.MinutesStatus.NONE,
    }
    return MeetingFactory(**(values | kwargs))


def _ics(message):
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    calendar = icalendar.Calendar.from_ical(parts[0].get_content())
    assert not calendar.get_missing_tzids()
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def _bodies(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_a_meeting_three_days_ahead_is_announced_once_with_its_feed_event(
    smtp, listed_committee, anonymous_client
):
    PersonFactory(name="Ana Lead", slug="ana-lead")
    meeting = _upcoming(listed_committee)
    _upcoming(listed_committee, days=10)  # beyond the 7 days: not yet
    for _ in range(3):
        _run()
    [message] = smtp.messages()
    assert smtp.recipients() == [(LIST,)]
    row = Announcement.objects.get()
    assert (row.kind, row.to, row.sent_at is not None) == ("agenda", LIST, True)
    assert message["Message-ID"].strip() == row.message_id
    assert message["From"].addresses[0].display_name == listed_committee.name
    assert message["From"].addresses[0].addr_spec == "meetings@example.org"
    assert message["Reply-To"] == "mwi-leads@example.org"
    assert message["Subject"].startswith("[MWI] Agenda: Stack review")
    text, html = _bodies(message)
    local = meeting.start.astimezone(listed_committee.tz)
    assert f"{local:%H:%M}" in text and "UTC" in text
    page = "https://committees.example.org" + meeting.get_absolute_url()
    assert page in text and f'href="{page}"' in html
    assert "Demo by Ana Lead" in text and "https://zoom.example.org/j/123" in text
    assert 'href="https://committees.example.org/people/ana-lead/"' in html
    assert "ana@example.org" not in text + html  # the list's archive is public
    assert "webcal://committees.example.org/committees/mwi/calendar.ics" in text
    assert "https://lists.example.org/g/committee" in text

    calendar, event = _ics(message)
    assert event["UID"] == str(meeting.uid)
    assert event.decoded("DTSTART") == meeting.start
    [expanded] = recurring_ical_events.of(calendar).between(
        meeting.start - dt.timedelta(days=1), meeting.start + dt.timedelta(days=1)
    )
    assert expanded.decoded("DTSTART") == meeting.start
    feed = icalendar.Calendar.from_ical(
        anonymous_client.get(f"/committees/{listed_committee.slug}/calendar.ics").content
    )
    [in_feed] = [e for e in feed.walk("VEVENT") if e["UID"] == event["UID"]]
    assert in_feed["SEQUENCE"] == event["SEQUENCE"]


def test_an_occurrence_of_a_series_is_announced_as_its_feed_override(
    smtp, listed_committee, django_capture_on_commit_callbacks
):
    from tests.factories import MeetingSeriesFactory

    today = timezone.localdate()
    series = MeetingSeriesFactory(
        committee=listed_committee,
        interval_weeks=1,
        weekday=(today + dt.timedelta(days=3)).weekday(),
        first_date=today - dt.timedelta(days=28),
    )
    _run()
    _run()
    [message] = smtp.messages()
    [item] = [
        o
        for o in occurrences.upcoming(committee=listed_committee, horizon=dt.timedelta(days=7))
        if o.start > timezone.now()
    ]
    _calendar, event = _ics(message)
    assert event["UID"] == str(series.uid)
    assert event.decoded("RECURRENCE-ID") == item.original_start
    assert event.decoded("DTSTART") == item.start

    # Cancelled from the series' occurrences page (meetings.occurrences): one notice.
    with django_capture_on_commit_callbacks(execute=True):
        occurrences.cancel_occurrence(series, item.original_start, reason="Summit week.")
    _run()
    _agenda, cancellation = smtp.messages()
    _calendar, cancelled = _ics(cancellation)
    assert (cancelled["UID"], cancelled["STATUS"]) == (str(series.uid), "CANCELLED")
    assert cancelled.decoded("RECURRENCE-ID") == item.original_start
    assert cancelled["SEQUENCE"] > event["SEQUENCE"]


def test_publishing_minutes_sends_one_minutes_message(
    smtp, listed_committee, lead_client, django_capture_on_commit_callbacks
):
    start = timezone.now() - dt.timedelta(days=2)
    meeting = _upcoming(
        listed_committee,
        start=start,
        end=start + dt.timedelta(hours=1),
        minutes="We reviewed the stack and agreed on the first use case.",
        minutes_status=Meeting.MinutesStatus.DRAFT,
    )
    DecisionFactory(meeting=meeting, text="Federated Learning is the first use case.")
    ActionItemFactory(meeting=meeting, text="Map Flower", owner=PersonFactory(name="Bo Owner"))
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(
            "/admin/meetings/meeting/",
            {"action": "publish_minutes", "_selected_action": [meeting.pk]},
        )
    assert response.status_code == 302
    _run()
    [message] = smtp.messages()
    assert message["Subject"].startswith("[MWI] Minutes: ")
    text, html = _bodies(message)
    assert "We reviewed the stack" in text
    assert "Federated Learning is the first use case." in text
    assert "Map Flower (owner: Bo Owner)" in text
    assert "Bo Owner" in html
    row = Announcement.objects.get()
    assert (row.kind, row.triggered_by.username) == ("minutes", "lead")
    assert not list(message.iter_attachments())


def test_moving_an_announced_meeting_sends_one_change_notice_with_a_higher_sequence(
    smtp, listed_committee, django_capture_on_commit_callbacks
):
    meeting = _upcoming(listed_committee)
    _run()
    with django_capture_on_commit_callbacks(execute=True):
        meeting.start += dt.timedelta(days=1)
        meeting.end += dt.timedelta(days=1)
        meeting.save()
    _run()
    _run()
    agenda, notice = smtp.messages()
    assert notice["Subject"].startswith("[MWI] New time: ")
    # A long header may be folded; unfolded, its value is the agenda's Message-ID.
    assert notice["In-Reply-To"].strip() == agenda["Message-ID"].strip()
    _c, before = _ics(agenda)
    _c, after = _ics(notice)
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == meeting.start
    assert "The meeting has a new time." in _bodies(notice)[0]

    with django_capture_on_commit_callbacks(execute=True):
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancel_reason = "Most of us are at the summit."
        meeting.save()
    _run()
    cancellation = smtp.messages()[2]
    assert len(smtp.messages()) == 3
    assert cancellation["Subject"].startswith("[MWI] Cancelled: ")
    _c, cancelled = _ics(cancellation)
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] > after["SEQUENCE"]
    assert "Most of us are at the summit." in _bodies(cancellation)[0]


def test_a_change_before_the_agenda_was_sent_sends_no_notice(smtp, listed_committee):
    meeting = _upcoming(listed_committee, days=20)
    meeting.start += dt.timedelta(days=1)
    meeting.end += dt.timedelta(days=1)
    meeting.save()
    _run()
    assert smtp.messages() == [] and not Announcement.objects.exists()


def test_with_the_smtp_server_down_nothing_is_marked_sent_and_a_later_run_sends_each_once(
    smtp, listed_committee, django_capture_on_commit_callbacks
):
    _upcoming(listed_committee)
    _upcoming(listed_committee, days=5, title="Use cases")
    smtp.stop()
    with pytest.raises(CommandError, match="2 message"):
        _run()
    rows = list(Announcement.objects.all())
    assert len(rows) == 2
    assert all(r.sent_at is None and r.attempts == 1 and r.last_error for r in rows)
    ids = {r.message_id for r in rows}
    smtp.start()
    _run()  # within the back-off: nothing is tried yet
    assert smtp.messages() == []
    Announcement.objects.update(next_attempt_at=timezone.now())  # the back-off has passed
    _run()
    _run()
    messages = smtp.messages()
    assert len(messages) == 2
    # The Message-IDs written before sending.
    assert {m["Message-ID"].strip() for m in messages} == ids
    assert all(r.sent_at for r in Announcement.objects.all())


def test_an_agenda_no_longer_due_waits_for_its_day_under_the_current_setting(
    smtp, listed_committee
):
    """Written under a longer lead time and kept for a retry, then the lead shortens it: the
    agenda is not sent early, but on the day the current setting gives."""
    listed_committee.announce_days_before = 30
    listed_committee.save()
    meeting = _upcoming(listed_committee, days=20)
    smtp.stop()
    with pytest.raises(CommandError):
        _run()
    smtp.start()
    listed_committee.announce_days_before = 7
    listed_committee.save()
    Announcement.objects.update(next_attempt_at=timezone.now())  # the back-off has passed
    _run()
    assert smtp.messages() == []
    (row,) = Announcement.objects.all()
    assert row.sent_at is None and row.next_attempt_at == meeting.start - dt.timedelta(days=7)


def test_a_committee_without_a_list_announces_nothing(smtp, committee):
    _upcoming(committee)
    _run()
    assert smtp.messages() == [] and not Announcement.objects.exists()
