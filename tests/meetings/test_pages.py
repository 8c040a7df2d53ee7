"""The public meeting pages: archive, meeting, occurrence, action items, committee and person."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import (
    ActionItemFactory,
    AttendanceFactory,
    MaterialFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.pages import BUDGETS

from .builders import full_meeting, full_meetings


def _html(response):
    return response.content.decode()


# --- Query budgets (tests/pages.py): the counts hold at 1 and at 30 meetings ---------------------
@pytest.mark.parametrize("n", [1, 30])
def test_archive_query_count_holds(anonymous_client, committee, n, django_assert_max_num_queries):
    full_meetings(committee, n)
    MeetingSeriesFactory(committee=committee)
    with django_assert_max_num_queries(BUDGETS["archive"]):
        response = anonymous_client.get("/meetings/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_meeting_page_query_count_holds(
    anonymous_client, committee, lead, n, django_assert_max_num_queries
):
    meetings = full_meetings(committee, n)
    meeting = meetings[len(meetings) // 2]
    with django_assert_max_num_queries(BUDGETS["meeting"]):
        response = anonymous_client.get(meeting.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_action_items_query_count_holds(
    anonymous_client, committee, n, django_assert_max_num_queries
):
    full_meetings(committee, n)
    with django_assert_max_num_queries(BUDGETS["action items"]):
        response = anonymous_client.get("/meetings/action-items/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_home_query_count_holds_with_meetings(
    anonymous_client, committee, lead, n, django_assert_max_num_queries
):
    full_meetings(committee, n)
    MeetingSeriesFactory(committee=committee)
    # With one committee the home page is that committee's (tests/pages.py pins the list of
    # several): committee; previous names; memberships; upcoming: series, meeting rows; latest
    # minutes; open action items
    with django_assert_max_num_queries(7):
        response = anonymous_client.get("/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_person_page_query_count_holds_with_meetings(
    anonymous_client, committee, n, django_assert_max_num_queries
):
    person = PersonFactory()
    for meeting in full_meetings(committee, n):
        AttendanceFactory(meeting=meeting, person=person)
        ActionItemFactory(meeting=meeting, owner=person)
        meeting.minutes = f"Thanks @[{person.name}]"
        meeting.save()
    with django_assert_max_num_queries(BUDGETS["person"]):
        response = anonymous_client.get(person.get_absolute_url())
    assert response.status_code == 200


# --- Archive ------------------------------------------------------------------------------------
def test_archive_lists_past_meetings_newest_first(anonymous_client, committee):
    older = full_meeting(committee, days_ago=60, title="Older call")
    newer = full_meeting(committee, days_ago=10, title="Newer call")
    html = _html(anonymous_client.get("/meetings/"))
    assert html.index(newer.title) < html.index(older.title)


def test_archive_filters_by_year_and_recording(anonymous_client, committee):
    old = MeetingFactory(
        committee=committee,
        title="Call of 2020",
        start=dt.datetime(2020, 4, 9, 14, tzinfo=dt.UTC),
        end=dt.datetime(2020, 4, 9, 15, tzinfo=dt.UTC),
    )
    recent = full_meeting(committee, title="Recent call with recording")
    html = _html(anonymous_client.get("/meetings/?year=2020"))
    assert old.title in html and recent.title not in html
    html = _html(anonymous_client.get("/meetings/?has_recording=on"))
    assert recent.title in html and old.title not in html


@pytest.mark.parametrize(
    "query", ["year=abc&committee=nope", "year=99999999999999999999", "year=-1", "committee=%C3%A9"]
)
def test_archive_ignores_nonsense_filters_and_says_so(query, anonymous_client, committee):
    full_meeting(committee, title="Still listed")
    response = anonymous_client.get(f"/meetings/?{query}")
    assert response.status_code == 400  # the whole archive is shown; the address is wrong
    assert "Still listed" in _html(response)


def test_archive_has_no_page_minus_three(anonymous_client, committee):
    full_meeting(committee, title="Still listed")
    assert anonymous_client.get("/meetings/?page=-3").status_code == 404


def test_archive_paginates(anonymous_client, committee):
    for i in range(30):
        MeetingFactory(committee=committee, title=f"Paged call {i:02d}")
    first = _html(anonymous_client.get("/meetings/"))
    second = _html(anonymous_client.get("/meetings/?page=2"))
    assert "Page 1 of 2" in first and "Page 2 of 2" in second


def test_upcoming_merges_series_occurrences_with_moved_and_cancelled_rows(
    anonymous_client, committee
):
    today = timezone.localdate()
    first = today + dt.timedelta(days=(3 - today.weekday()) % 7 + 7)  # a Thursday ahead
    series = MeetingSeriesFactory(
        committee=committee, interval_weeks=1, first_date=first, title="Weekly sync"
    )
    starts = series.occurrence_starts(timezone.now(), timezone.now() + dt.timedelta(days=30))
    Meeting.objects.create(
        committee=committee,
        series=series,
        original_start=starts[0],
        start=starts[0],
        end=starts[0] + dt.timedelta(hours=1),
        title="Weekly sync",
        status="cancelled",
    )
    moved_to = starts[1] + dt.timedelta(days=1)
    Meeting.objects.create(
        committee=committee,
        series=series,
        original_start=starts[1],
        start=moved_to,
        end=moved_to + dt.timedelta(hours=1),
        title="Weekly sync (moved)",
    )
    html = _html(anonymous_client.get("/meetings/"))
    assert "cancelled" in html
    assert "Weekly sync (moved)" in html
    # The moved occurrence shows once, at its new time, not also at the rule's time.
    assert starts[1].strftime("%Y-%m-%dT%H:%M:%SZ") not in html
    assert moved_to.strftime("%Y-%m-%dT%H:%M:%SZ") in html
    assert starts[2].strftime("%Y-%m-%dT%H:%M:%SZ") in html


def test_times_show_the_committees_zone_with_its_utc_offset(anonymous_client, committee):
    start = dt.datetime(2020, 1, 16, 15, tzinfo=dt.UTC)
    meeting = MeetingFactory(committee=committee, start=start, end=start + dt.timedelta(hours=1))
    html = _html(anonymous_client.get(meeting.get_absolute_url()))
    assert "Thu 16 Jan 2020, 10:00 EST (UTC\u221205:00)" in html
    assert '<time datetime="2020-01-16T15:00:00Z" data-localtime>' in html


def test_series_keep_wall_clock_time_across_daylight_saving(anonymous_client, committee):
    series = MeetingSeriesFactory(committee=committee, first_date=dt.date(2020, 1, 16))
    winter = _html(anonymous_client.get(f"/meetings/series/{series.pk}/2020-01-16/"))
    summer = _html(anonymous_client.get(f"/meetings/series/{series.pk}/2020-07-02/"))
    assert "10:00 EST (UTC\u221205:00)" in winter
    assert "10:00 EDT (UTC\u221204:00)" in summer


def test_occurrence_page_is_404_on_a_day_without_occurrence(anonymous_client, committee):
    series = MeetingSeriesFactory(committee=committee, first_date=dt.date(2020, 1, 16))
    assert anonymous_client.get(f"/meetings/series/{series.pk}/2020-01-17/").status_code == 404
    assert anonymous_client.get(f"/meetings/series/{series.pk}/2020-02-31/").status_code == 404


def test_occurrence_page_redirects_to_the_meeting_once_opened(anonymous_client, committee):
    series = MeetingSeriesFactory(committee=committee, first_date=dt.date(2020, 1, 16))
    start = dt.datetime(2020, 1, 16, 15, tzinfo=dt.UTC)
    meeting = Meeting.objects.create(
        committee=committee,
        series=series,
        original_start=start,
        start=start,
        end=start + dt.timedelta(hours=1),
        title="Opened",
    )
    response = anonymous_client.get(f"/meetings/series/{series.pk}/2020-01-16/")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()


# --- Meeting page --------------------------------------------------------------------------------
def test_meeting_page_shows_everything_the_meeting_produced(member_client, committee, lead):
    meeting = full_meeting(committee)
    html = _html(member_client.get(meeting.get_absolute_url()))
    assert meeting.minutes_html in html
    for item in meeting.action_items.all():
        assert item.owner.name in html
    for attendance in meeting.attendance.select_related("person"):
        assert attendance.person.name in html
        assert attendance.person.organization_on().name in html
    assert meeting.decisions.get().text in html
    assert "Members notes" in html
    assert lead.name in html  # who led the committee that day


def test_meeting_url_with_a_wrong_date_redirects_to_the_right_one(anonymous_client, committee):
    meeting = full_meeting(committee)
    response = anonymous_client.get(f"/meetings/1999-01-01-{meeting.pk}/")
    assert response.status_code == 301 and response["Location"] == meeting.get_absolute_url()


def test_draft_minutes_are_visible_to_staff_only(
    anonymous_client, member_client, lead_client, committee
):
    meeting = full_meeting(committee, minutes="Secret draft wording", minutes_status="draft")
    url = meeting.get_absolute_url()
    assert "Secret draft wording" not in _html(anonymous_client.get(url))
    assert "Secret draft wording" not in _html(member_client.get(url))
    assert "Secret draft wording" in _html(lead_client.get(url))


def test_members_only_materials_are_hidden_from_anonymous_visitors(
    anonymous_client, member_client, committee
):
    meeting = full_meeting(committee)
    assert "Members notes" not in _html(anonymous_client.get(meeting.get_absolute_url()))
    assert "Members notes" in _html(member_client.get(meeting.get_absolute_url()))


def test_join_link_of_an_upcoming_meeting_follows_the_committees_visibility(
    anonymous_client, member_client, committee
):
    start = timezone.now() + dt.timedelta(days=3)
    meeting = MeetingFactory(
        committee=committee,
        start=start,
        end=start + dt.timedelta(hours=1),
        join_url="https://zoom.example.org/j/999",
    )
    committee.join_visibility = "members"
    committee.save()
    assert "zoom.example.org/j/999" not in _html(anonymous_client.get(meeting.get_absolute_url()))
    assert "zoom.example.org/j/999" in _html(member_client.get(meeting.get_absolute_url()))
    committee.join_visibility = "public"
    committee.save()
    assert "zoom.example.org/j/999" in _html(anonymous_client.get(meeting.get_absolute_url()))


def test_meeting_page_links_previous_and_next(anonymous_client, committee):
    older, middle, newer = (full_meeting(committee, days_ago=d) for d in (90, 60, 30))
    html = _html(anonymous_client.get(middle.get_absolute_url()))
    assert older.get_absolute_url() in html and newer.get_absolute_url() in html


def test_meeting_page_never_shows_emails_to_anonymous_visitors(anonymous_client, committee, lead):
    meeting = full_meeting(committee)
    html = _html(anonymous_client.get(meeting.get_absolute_url()))
    assert "@example.org" not in html


def test_meeting_page_has_the_add_to_calendar_spot(anonymous_client, committee):
    # The calendar feature fills the include; until then it renders nothing, not an error.
    meeting = full_meeting(committee)
    assert anonymous_client.get(meeting.get_absolute_url()).status_code == 200


# --- Action items, committee home, person page ---------------------------------------------------
def test_action_items_page_lists_open_items_with_owner_and_meeting(anonymous_client, committee):
    meeting = full_meeting(committee)
    done = ActionItemFactory(meeting=meeting, text="Already done", status="done")
    html = _html(anonymous_client.get("/meetings/action-items/"))
    for item in meeting.action_items.filter(status="open"):
        assert item.text in html and item.owner.name in html
    assert meeting.get_absolute_url() in html
    assert done.text not in html


def test_home_shows_next_meeting_latest_minutes_and_open_items(anonymous_client, committee, lead):
    today = timezone.localdate()
    MeetingSeriesFactory(
        committee=committee,
        interval_weeks=1,
        first_date=today + dt.timedelta(days=(3 - today.weekday()) % 7),
        title="Weekly MWI call",
    )
    meeting = full_meeting(committee, title="Last month's call")
    html = _html(anonymous_client.get("/"))
    assert "Weekly MWI call" in html
    assert "data-localtime-reveal" in html  # the visitor's zone, shown by the script
    assert "Last month&#x27;s call" in html or "Last month's call" in html
    assert meeting.action_items.first().text in html


def test_person_page_lists_mentions_owned_items_and_attendance(anonymous_client, committee):
    person = PersonFactory(name="Ada Example")
    mentioned = full_meeting(committee, title="Mentioning call", minutes="Thanks @[Ada Example]")
    attended = full_meeting(committee, title="Attended call")
    AttendanceFactory(meeting=attended, person=person)
    ActionItemFactory(meeting=attended, owner=person, text="Ada's task")
    draft = full_meeting(
        committee, title="Draft call", minutes="@[Ada Example] said", minutes_status="draft"
    )
    html = _html(anonymous_client.get(person.get_absolute_url()))
    assert mentioned.get_absolute_url() in html
    assert attended.get_absolute_url() in html
    assert "Ada&#x27;s task" in html
    assert draft.get_absolute_url() not in html  # mentioned only in staff-only minutes


def test_members_only_material_listing_is_hidden_but_public_one_shown(anonymous_client, committee):
    meeting = MeetingFactory(committee=committee)
    MaterialFactory(meeting=meeting, title="Public slides")
    html = _html(anonymous_client.get(meeting.get_absolute_url()))
    assert "Public slides" in html


def test_lead_on_the_meetings_date_is_shown_not_todays(anonymous_client, committee):
    old_lead = MembershipFactory(
        committee=committee, role="lead", start="2019-01-01", end="2020-04-09"
    ).person
    new_lead = MembershipFactory(committee=committee, role="lead", start="2020-04-09").person
    start = dt.datetime(2020, 1, 16, 15, tzinfo=dt.UTC)
    meeting = MeetingFactory(committee=committee, start=start, end=start + dt.timedelta(hours=1))
    html = _html(anonymous_client.get(meeting.get_absolute_url()))
    assert old_lead.name in html and new_lead.name not in html


def test_a_meetings_address_is_what_reverse_writes_under_any_script_prefix(committee):
    from django.urls import reverse, set_script_prefix

    meeting = MeetingFactory(committee=committee)
    day = meeting.local_start.date()
    for prefix in ("/", "/foundation/mwi/"):
        set_script_prefix(prefix)
        try:
            expected = reverse("meetings:detail", kwargs={"day": day, "pk": meeting.pk})
            assert meeting.get_absolute_url() == expected
            assert expected.startswith(f"{prefix}meetings/{day.isoformat()}-")
        finally:
            set_script_prefix("/")


def test_archive_rows_say_which_meetings_have_a_recording_or_materials(anonymous_client, committee):
    full_meeting(committee, days_ago=10, title="With both")
    MeetingFactory(committee=committee, title="With neither")
    MaterialFactory(meeting=MeetingFactory(committee=committee, title="Slides only"))
    rows = {
        row.split("</a>")[0].rsplit(">", 1)[1]: row
        for row in _html(anonymous_client.get("/meetings/")).split("<li")[1:]
        if "</a>" in row
    }
    assert "recording</span>" in rows["With both"] and "materials</span>" in rows["With both"]
    assert (
        "recording</span>" not in rows["Slides only"] and "materials</span>" in rows["Slides only"]
    )
    assert "recording</span>" not in rows["With neither"]
    assert "materials</span>" not in rows["With neither"]
