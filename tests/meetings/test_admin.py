"""The lead's workspace, through the admin's own views."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.models import Meeting, MeetingSeries, Recording
from tests.adminforms import form_data, form_errors
from tests.factories import (
    CommitteeFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    PersonFactory,
)

from .builders import full_meeting

INLINES = ["recordings", "materials", "attendance", "action_items", "decisions"]
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 512


def _management(**totals):
    data = {}
    for prefix in INLINES:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(totals.get(prefix, 0)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def _meeting_post(committee, **overrides):
    data = {
        "committee": committee.pk,
        "title": "Planning call",
        "start_0": "2020-01-16",
        "start_1": "10:00:00",
        "end_0": "2020-01-16",
        "end_1": "11:00:00",
        "status": "scheduled",
        "join_url": "",
        "agenda": "1. Welcome",
        "minutes": "",
        "minutes_status": "none",
        "approved_at": "",
        **_management(),
    }
    data.update(overrides)
    return data


def _errors(response):
    return response.content.decode()


def _thursday_series(committee, **kwargs):
    today = timezone.localdate()
    first = today + dt.timedelta(days=(3 - today.weekday()) % 7 + 7)
    return MeetingSeriesFactory(committee=committee, interval_weeks=1, first_date=first, **kwargs)


# --- Series and their occurrences -----------------------------------------------------------------
def test_series_page_shows_next_occurrences_computed_from_the_rule(lead_client, committee):
    series = _thursday_series(committee)
    response = lead_client.get(f"/admin/meetings/meetingseries/{series.pk}/change/")
    assert response.status_code == 200
    first = series.occurrence_starts(timezone.now(), timezone.now() + dt.timedelta(days=28))[0]
    assert first.astimezone(series.tz).strftime("%a %-d %b %Y, 10:00") in _errors(response)
    assert f"/admin/meetings/meetingseries/{series.pk}/occurrences/" in _errors(response)


def test_lead_opens_an_occurrence_as_a_meeting(lead_client, committee):
    series = _thursday_series(committee, title="MWI call")
    start = series.occurrence_starts(timezone.now(), timezone.now() + dt.timedelta(days=28))[0]
    response = lead_client.post(
        f"/admin/meetings/meetingseries/{series.pk}/occurrences/",
        {"action": "open", "original_start": start.isoformat()},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/meetings/meeting/{meeting.pk}/change/"
    assert (meeting.series, meeting.original_start, meeting.start) == (series, start, start)
    assert meeting.title == "MWI call" and meeting.end - meeting.start == series.duration


def test_lead_moves_an_occurrence_and_the_original_start_is_kept(lead_client, committee):
    series = _thursday_series(committee)
    start = series.occurrence_starts(timezone.now(), timezone.now() + dt.timedelta(days=28))[0]
    friday = start.astimezone(series.tz).date() + dt.timedelta(days=1)
    response = lead_client.post(
        f"/admin/meetings/meetingseries/{series.pk}/occurrences/",
        {
            "action": "move",
            "original_start": start.isoformat(),
            "date": friday.isoformat(),
            "time": "11:30",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.original_start == start
    assert meeting.start == dt.datetime.combine(friday, dt.time(11, 30), tzinfo=series.tz)


def test_a_move_onto_another_occurrences_day_is_refused_and_nothing_is_saved(
    lead_client, committee
):
    series = _thursday_series(committee)
    first, second = series.occurrence_starts(
        timezone.now(), timezone.now() + dt.timedelta(days=28)
    )[:2]
    response = lead_client.post(
        f"/admin/meetings/meetingseries/{series.pk}/occurrences/",
        {
            "action": "move",
            "original_start": first.isoformat(),
            "date": second.astimezone(series.tz).date().isoformat(),
            "time": "15:00",
        },
    )
    assert response.status_code == 200
    assert "already has another meeting of this series" in _errors(response)
    assert not Meeting.objects.exists()


def test_lead_cancels_an_occurrence(lead_client, committee):
    series = _thursday_series(committee)
    start = series.occurrence_starts(timezone.now(), timezone.now() + dt.timedelta(days=28))[0]
    lead_client.post(
        f"/admin/meetings/meetingseries/{series.pk}/occurrences/",
        {"action": "cancel", "confirm": "yes", "original_start": start.isoformat()},
    )
    meeting = Meeting.objects.get()
    assert meeting.is_cancelled and meeting.original_start == start


def test_a_forged_occurrence_start_is_refused(lead_client, committee):
    series = _thursday_series(committee)
    for value in ["2020-01-17T15:00:00+00:00", "not a date", "2020-01-16T10:00:00"]:
        response = lead_client.post(
            f"/admin/meetings/meetingseries/{series.pk}/occurrences/",
            {"action": "open", "original_start": value},
        )
        assert response.status_code == 302
    assert not Meeting.objects.exists()


def test_members_cannot_reach_the_occurrences_view(member_client, committee):
    series = _thursday_series(committee)
    response = member_client.get(f"/admin/meetings/meetingseries/{series.pk}/occurrences/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_series_whose_first_date_is_not_its_weekday_is_a_form_error(lead_client, committee):
    response = lead_client.post(
        "/admin/meetings/meetingseries/add/",
        {
            "committee": committee.pk,
            "title": "Wrong day",
            "interval_weeks": "4",
            "weekday": "3",
            "start_time": "10:00",
            "time_zone": "America/New_York",
            "duration": "01:00:00",
            "first_date": "2020-01-17",
        },
    )
    assert response.status_code == 200
    assert "The first date must be a Thursday" in _errors(response)
    assert not MeetingSeries.objects.exists()


# --- Meetings -------------------------------------------------------------------------------------
def test_lead_adds_a_meeting_typed_in_the_committees_time_zone(lead_client, committee):
    response = lead_client.post("/admin/meetings/meeting/add/", _meeting_post(committee))
    assert response.status_code == 302, _errors(response)
    meeting = Meeting.objects.get()
    assert meeting.start == dt.datetime(2020, 1, 16, 15, tzinfo=dt.UTC)  # 10:00 in New York
    change = lead_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert 'value="10:00"' in _errors(change)  # shown back in the committee's zone


def test_end_before_start_is_a_form_error(lead_client, committee):
    data = _meeting_post(committee, end_1="09:00:00")
    response = lead_client.post("/admin/meetings/meeting/add/", data)
    assert "The end must be after the start." in _errors(response)
    assert not Meeting.objects.exists()


def test_an_unresolved_mention_is_a_warning_after_save(lead_client, committee):
    PersonFactory(name="Ada Example")
    data = _meeting_post(committee, minutes="Thanks @[Ada Example] and @[Nobody Known]")
    response = lead_client.post("/admin/meetings/meeting/add/", data, follow=True)
    html = _errors(response)
    assert "@[Nobody Known]" in html and "match nobody" in html
    meeting = Meeting.objects.get()
    assert meeting.unresolved_mentions == ["Nobody Known"]
    assert "Nobody Known" in meeting.minutes_html and "<a" in meeting.minutes_html


def test_approved_at_without_approved_status_is_a_form_error(lead_client, committee):
    earlier = MeetingFactory(committee=committee)
    data = _meeting_post(committee, minutes_status="published", approved_at=earlier.pk)
    response = lead_client.post("/admin/meetings/meeting/add/", data)
    assert "Only approved minutes record the meeting that approved them" in _errors(response)


def test_moving_an_occurrence_onto_another_occurrences_day_in_the_meeting_form_is_refused(
    lead_client, committee
):
    series = MeetingSeriesFactory(committee=committee, interval_weeks=1)
    start = dt.datetime(2020, 1, 16, 15, tzinfo=dt.UTC)
    meeting = Meeting.objects.create(
        committee=committee,
        series=series,
        original_start=start,
        start=start,
        end=start + dt.timedelta(hours=1),
        title="Occurrence",
    )
    data = _meeting_post(committee, title="Occurrence", start_0="2020-01-23", end_0="2020-01-23")
    response = lead_client.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert "already has another meeting of this series" in _errors(response)
    meeting.refresh_from_db()
    assert meeting.start == start


def test_a_recording_with_both_link_and_file_is_refused_and_nothing_is_saved(
    lead_client, committee, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = _meeting_post(committee, **_management(recordings=1))
    data.update(
        {
            "recordings-0-title": "Both",
            "recordings-0-kind": "video",
            "recordings-0-url": "https://youtube.example.org/v/1",
            "recordings-0-file": SimpleUploadedFile("call.mp4", MP4),
        }
    )
    response = lead_client.post("/admin/meetings/meeting/add/", data)
    assert "Give either a link or a file, not both" in _errors(response)
    assert not Meeting.objects.exists() and not Recording.objects.exists()


def test_a_recording_with_neither_link_nor_file_is_refused(lead_client, committee):
    data = _meeting_post(committee, **_management(recordings=1))
    data.update({"recordings-0-title": "Nothing", "recordings-0-kind": "video"})
    response = lead_client.post("/admin/meetings/meeting/add/", data)
    assert "Give a link or upload a file, or tick" in _errors(response)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("inline", ["recordings", "materials"])
def test_a_recording_or_material_mentioned_only_is_accepted_and_a_link_added_later(
    lead_client, committee, inline
):
    data = _meeting_post(committee, **_management(**{inline: 1}))
    data.update(
        {
            f"{inline}-0-title": "Call was recorded",
            f"{inline}-0-kind": "video" if inline == "recordings" else "slides",
            f"{inline}-0-visibility": "public",
            f"{inline}-0-mentioned_only": "on",
        }
    )
    response = lead_client.post("/admin/meetings/meeting/add/", data)
    assert response.status_code == 302, _errors(response)
    meeting = Meeting.objects.get()
    row = getattr(meeting, inline).get()
    assert row.mentioned_only and not (row.url or row.file)
    page = lead_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").text
    box = BeautifulSoup(page, "html.parser").find("input", {"name": f"{inline}-0-mentioned_only"})
    assert box.has_attr("checked")

    # The lead finds the link: typing it is enough, the row is no longer "mentioned only".
    data = form_data(page)
    data[f"{inline}-0-url"] = "https://zoom.example.org/rec/1"
    response = lead_client.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 302, form_errors(response.text)
    row.refresh_from_db()
    assert row.url == "https://zoom.example.org/rec/1" and not row.mentioned_only


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("slides.mp4", b"<html><script>alert(1)</script></html>"),  # HTML posing as video
        ("tool.mp4", b"MZ\x90\x00" + b"\x00" * 300),  # a Windows program
        ("photo.mp4", b"\x89PNG\r\n\x1a\n" + b"\x00" * 300),  # an image is not a recording
    ],
)
def test_an_upload_of_an_unaccepted_type_is_a_form_error(
    lead_client, committee, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    data = _meeting_post(committee, **_management(recordings=1))
    data.update(
        {
            "recordings-0-kind": "video",
            "recordings-0-file": SimpleUploadedFile(name, content, "video/mp4"),
        }
    )
    response = lead_client.post("/admin/meetings/meeting/add/", data)
    assert response.status_code == 200
    assert "not accepted here" in _errors(response) or "not a type accepted" in _errors(response)
    assert not Recording.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_an_upload_over_the_size_limit_is_a_form_error(lead_client, committee, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 100
    data = _meeting_post(committee, **_management(recordings=1))
    data.update(
        {"recordings-0-kind": "video", "recordings-0-file": SimpleUploadedFile("a.mp4", MP4)}
    )
    response = lead_client.post("/admin/meetings/meeting/add/", data)
    assert "the limit is 100" in _errors(response)
    assert not Recording.objects.exists()


def test_a_good_upload_is_stored_under_a_generated_name(lead_client, committee, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = _meeting_post(committee, **_management(recordings=1, materials=1))
    data.update(
        {
            "recordings-0-kind": "video",
            "recordings-0-file": SimpleUploadedFile("../../etc/Our call.html", MP4),
            "materials-0-kind": "chat",
            "materials-0-title": "Chat log",
            "materials-0-visibility": "members",
            "materials-0-file": SimpleUploadedFile("chat.txt", "Ada: hello ünïcode\n".encode()),
        }
    )
    response = lead_client.post("/admin/meetings/meeting/add/", data)
    assert response.status_code == 302, _errors(response)
    recording = Recording.objects.get()
    assert recording.file.name.startswith("recordings/") and recording.file.name.endswith(".mp4")
    assert "call" not in recording.file.name and recording.file_name == "Our call.html"
    material = Meeting.objects.get().materials.get()
    assert material.file.name.endswith(".txt")


def test_changelist_filters_search_and_date_hierarchy_work(lead_client, committee):
    full_meeting(committee, title="Federated learning review")
    for query in [
        "",
        "?q=federated",
        "?status__exact=cancelled",
        "?minutes_status__exact=draft",
        f"?committee__id__exact={committee.pk}",
        "?year=2020",
        "?year=nonsense",
    ]:
        response = lead_client.get(f"/admin/meetings/meeting/{query}")
        assert response.status_code == 200, query
    assert "Federated learning review" in _errors(
        lead_client.get("/admin/meetings/meeting/?q=federated")
    )


def test_the_date_hierarchy_lists_the_years_and_opens_one(lead_client, committee):
    for year in (2019, 2021):
        start = dt.datetime(year, 3, 1, 15, tzinfo=dt.UTC)
        MeetingFactory(committee=committee, start=start, end=start + dt.timedelta(hours=1))
    page = _errors(lead_client.get("/admin/meetings/meeting/"))
    hierarchy = page.split('class="toplinks"', 1)[1].split("</nav>", 1)[0]
    assert hierarchy.index("?start__year=2019") < hierarchy.index("?start__year=2021")
    year = _errors(lead_client.get("/admin/meetings/meeting/?start__year=2021"))
    assert "?start__month=3&amp;start__year=2021" in year
    # Narrowed by a filter, the years are those of the rows listed.
    other = CommitteeFactory(short_name="OTH")
    MeetingFactory(committee=other, start=dt.datetime(2015, 3, 1, 15, tzinfo=dt.UTC),
                   end=dt.datetime(2015, 3, 1, 16, tzinfo=dt.UTC))  # fmt: skip
    page = _errors(lead_client.get(f"/admin/meetings/meeting/?committee__id__exact={other.pk}"))
    assert "start__year=2015" in page and "start__year=2019" not in page


def test_change_page_has_inlines_history_and_view_on_site(lead_client, committee):
    meeting = full_meeting(committee)
    html = _errors(lead_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/"))
    for prefix in INLINES:
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    assert "View on site" in html and "History" in html


def test_publish_minutes_action_publishes_drafts_only(lead_client, committee):
    draft = full_meeting(committee, minutes="Draft text", minutes_status="draft")
    empty = full_meeting(committee, minutes="", minutes_status="none")
    lead_client.post(
        "/admin/meetings/meeting/",
        {"action": "publish_minutes", "_selected_action": [draft.pk, empty.pk]},
    )
    draft.refresh_from_db()
    empty.refresh_from_db()
    assert draft.minutes_status == "published"
    assert empty.minutes_status == "none"


def test_cancel_action_cancels_the_selected_meetings(lead_client, committee):
    meetings = [full_meeting(committee), full_meeting(committee, days_ago=3)]
    selected = {"action": "cancel_meetings", "_selected_action": [m.pk for m in meetings]}
    asked = lead_client.post("/admin/meetings/meeting/", selected)
    assert asked.status_code == 200 and "Yes, cancel them" in asked.text  # asks first
    assert set(Meeting.objects.values_list("status", flat=True)) == {"scheduled"}
    lead_client.post("/admin/meetings/meeting/", {**selected, "confirm": "yes"})
    assert set(Meeting.objects.values_list("status", flat=True)) == {"cancelled"}


def test_person_autocomplete_serves_the_attendance_inline(lead_client, committee):
    PersonFactory(name="Ada Example")
    response = lead_client.get(
        "/admin/autocomplete/",
        {
            "term": "Ada",
            "app_label": "meetings",
            "model_name": "attendance",
            "field_name": "person",
        },
    )
    assert response.status_code == 200 and "Ada Example" in _errors(response)


def test_action_item_closed_while_open_is_a_form_error(lead_client, committee):
    meeting = full_meeting(committee)
    later = full_meeting(committee, days_ago=1)
    item = meeting.action_items.first()
    response = lead_client.post(
        f"/admin/meetings/actionitem/{item.pk}/change/",
        {
            "text": item.text,
            "owner": item.owner_id,
            "meeting": meeting.pk,
            "due": "",
            "status": "open",
            "closed_at": later.pk,
        },
    )
    assert "An open item has no closing meeting" in _errors(response)


def test_occurrences_page_offers_open_move_and_cancel_for_each_occurrence(lead_client, committee):
    series = _thursday_series(committee)
    start = series.occurrence_starts(timezone.now(), timezone.now() + dt.timedelta(days=28))[0]
    Meeting.objects.create(
        committee=committee,
        series=series,
        original_start=start,
        start=start + dt.timedelta(hours=2),
        end=start + dt.timedelta(hours=3),
        title="Moved one",
    )
    response = lead_client.get(f"/admin/meetings/meetingseries/{series.pk}/occurrences/")
    html = _errors(response)
    assert response.status_code == 200
    assert html.count('value="open"') == 12 and html.count('value="move"') == 12
    assert "moved" in html
    assert "12:00 EST" in html or "12:00 EDT" in html  # the moved time, in the series' zone
