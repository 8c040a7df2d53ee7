"""The lead previews an announcement, sends it now from the admin, and sees the record."""

import datetime as dt

from django.utils import timezone

from announcements.models import Announcement
from meetings.models import Meeting
from tests.factories import MeetingFactory


def _meeting(committee):
    start = timezone.now() + dt.timedelta(days=20)
    return MeetingFactory(
        committee=committee,
        title="Stack review",
        start=start,
        end=start + dt.timedelta(hours=1),
        minutes="",
        minutes_status=Meeting.MinutesStatus.NONE,
    )


def test_preview_then_send_now_sends_once_and_shows_on_the_meeting(
    smtp,
    listed_committee,
    lead_client,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    meeting = _meeting(listed_committee)
    url = f"/admin/announcements/announcement/preview/{meeting.pk}/agenda/"
    # Session, user, the meeting with committee and series, its row, its recordings (the .ics).
    with django_assert_max_num_queries(5):
        response = lead_client.get(url)
    assert response.status_code == 200
    assert "[MWI] Agenda: Stack review" in response.text and "Send now" in response.text
    assert lead_client.get(url + "?part=html").text.startswith("<!DOCTYPE html>")
    assert b"BEGIN:VEVENT" in lead_client.get(url + "?part=ics").content
    assert smtp.messages() == []  # previewing sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(url)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        again = lead_client.post(url, follow=True)
    assert "not sent again" in again.text
    assert len(smtp.messages()) == 1
    row = Announcement.objects.get()
    assert (row.triggered_by.username, row.sent_at is not None) == ("lead", True)

    change = lead_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert change.status_code == 200
    assert row.message_id.strip("<>") in change.text and "Preview and send" in change.text
    listing = lead_client.get("/admin/announcements/announcement/")
    assert listing.status_code == 200 and "Stack review" in listing.text


def test_a_failed_send_shows_its_error_in_the_admin(
    smtp, listed_committee, lead_client, django_capture_on_commit_callbacks
):
    meeting = _meeting(listed_committee)
    smtp.stop()
    url = f"/admin/announcements/announcement/preview/{meeting.pk}/agenda/"
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(url)
    row = Announcement.objects.get()
    assert row.sent_at is None and row.attempts == 1
    change = lead_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert "failed, will retry" in change.text and "ConnectionRefusedError" in change.text
