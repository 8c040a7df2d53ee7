"""Who is current, on which day, and the lead's dated hand-over from the committee admin."""

import datetime as dt

import pytest
from django.utils import timezone

from participants.models import Membership
from tests.adminforms import form_errors
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def today(monkeypatch):
    """Pin today so "next week" and "yesterday" are fixed dates."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.mark.parametrize(
    ("start", "end", "on", "current"),
    [
        (None, None, TODAY, True),  # since always, open
        (TODAY, None, TODAY, True),  # starts today
        (TODAY + dt.timedelta(days=1), None, TODAY, False),  # starts tomorrow
        (None, TODAY, TODAY, False),  # ended today: end is exclusive
        (None, TODAY + dt.timedelta(days=7), TODAY, True),  # ends next week
        (dt.date(2019, 1, 1), dt.date(2020, 4, 9), dt.date(2020, 4, 8), True),
        (dt.date(2019, 1, 1), dt.date(2020, 4, 9), dt.date(2020, 4, 9), False),
    ],
)
def test_current_means_start_on_or_before_and_end_after_the_day(
    committee, today, start, end, on, current
):
    membership = MembershipFactory(committee=committee, start=start, end=end)
    default_day = on == TODAY
    rows = Membership.objects.current() if default_day else Membership.objects.current(on=on)
    assert (membership in rows) is current
    assert membership.is_current(on) is current


def _hand_over(client, committee, new_lead, on, *, stay=True):
    url = f"/admin/participants/committee/{committee.pk}/hand-over/"
    data = {"new_lead": new_lead.pk, "on": on.isoformat()}
    if stay:
        data["outgoing_stay_members"] = "on"
    return client.post(url, data)


def test_a_hand_over_dated_next_week_shows_the_old_lead_until_that_day(
    lead_client, anonymous_client, committee, lead, today
):
    newcomer = PersonFactory(name="Nadia Newlead")
    next_week = today + dt.timedelta(days=7)
    response = _hand_over(lead_client, committee, newcomer, next_week)
    assert response.status_code == 302, form_errors(response.text)

    page = anonymous_client.get(committee.get_absolute_url()).text
    assert lead.name in page.split("Who is involved")[1]
    assert newcomer.name not in page
    assert [m.person for m in committee.leads_on(next_week)] == [newcomer]
    assert [m.person for m in committee.leads_on(next_week - dt.timedelta(days=1))] == [lead]
    # The outgoing lead stays a member from the hand-over on.
    assert committee.memberships.filter(person=lead, role="member", start=next_week).exists()


def test_a_meetings_led_by_follows_the_meetings_date(
    lead_client, anonymous_client, committee, lead, today
):
    newcomer = PersonFactory(name="Nadia Newlead")
    _hand_over(lead_client, committee, newcomer, dt.date(2026, 6, 1))
    before = MeetingFactory(committee=committee, start=dt.datetime(2026, 5, 28, 14, tzinfo=dt.UTC))
    after = MeetingFactory(committee=committee, start=dt.datetime(2026, 6, 4, 14, tzinfo=dt.UTC))
    led_before = anonymous_client.get(before.get_absolute_url()).text
    led_after = anonymous_client.get(after.get_absolute_url()).text
    assert lead.name in led_before and newcomer.name not in led_before
    assert newcomer.name in led_after


def test_an_old_lead_who_stays_a_member_is_not_a_former_participant(
    lead_client, anonymous_client, committee, lead, today
):
    _hand_over(lead_client, committee, PersonFactory(), today - dt.timedelta(days=1))
    page = anonymous_client.get("/people/").text
    former = page.split("Former participants")[1] if "Former participants" in page else ""
    assert lead.name in page and lead.name not in former


def test_an_old_lead_who_leaves_becomes_former_on_the_hand_over_day(
    lead_client, anonymous_client, committee, lead, today
):
    _hand_over(lead_client, committee, PersonFactory(), today - dt.timedelta(days=1), stay=False)
    page = anonymous_client.get("/people/").text
    assert lead.name in page.split("Former participants")[1]
    assert not committee.memberships.filter(person=lead, role="member").exists()


def test_a_leaders_lead_role_ending_next_week_is_not_yet_former(
    lead_client, anonymous_client, committee, lead, today
):
    _hand_over(lead_client, committee, PersonFactory(), today + dt.timedelta(days=7), stay=False)
    page = anonymous_client.get("/people/").text
    assert "Former participants" not in page or lead.name not in page.split("Former")[1]
    person_page = anonymous_client.get(lead.get_absolute_url()).text
    assert ">former<" not in person_page


def test_hand_over_to_the_current_lead_is_a_form_error_and_writes_nothing(
    lead_client, committee, lead, today
):
    before = Membership.objects.count()
    response = _hand_over(lead_client, committee, lead, today)
    assert response.status_code == 200
    assert any("already leads" in e for e in form_errors(response.text))
    assert Membership.objects.count() == before


def test_hand_over_before_the_old_leads_start_is_a_form_error(lead_client, committee, today):
    old = MembershipFactory(committee=committee, role="lead", start=today).person
    response = _hand_over(lead_client, committee, PersonFactory(), today)
    assert any("must come after" in e for e in form_errors(response.text))
    assert committee.leads_on(today).get().person == old


def test_the_hand_over_page_is_reached_from_the_committee_and_its_action(
    lead_client, committee, lead
):
    change = lead_client.get(f"/admin/participants/committee/{committee.pk}/change/").text
    url = f"/admin/participants/committee/{committee.pk}/hand-over/"
    assert url in change
    page = lead_client.get(url)
    assert page.status_code == 200 and lead.name in page.text
    assert 'name="new_lead"' in page.text and 'name="outgoing_stay_members"' in page.text
    response = lead_client.post(
        "/admin/participants/committee/",
        {"action": "hand_over_the_lead", "_selected_action": [committee.pk]},
    )
    assert response.status_code == 302 and response["Location"] == url


def test_staff_see_an_edit_link_to_the_admin_and_visitors_do_not(
    lead_client, anonymous_client, member_client, committee, lead
):
    meeting = MeetingFactory(committee=committee)
    pages = [
        (meeting.get_absolute_url(), f"/admin/meetings/meeting/{meeting.pk}/change/"),
        (lead.get_absolute_url(), f"/admin/participants/person/{lead.pk}/change/"),
        (committee.get_absolute_url(), f"/admin/participants/committee/{committee.pk}/change/"),
    ]
    for page, admin_url in pages:
        assert f'href="{admin_url}">Edit' in lead_client.get(page).text
        assert admin_url not in anonymous_client.get(page).text
        assert admin_url not in member_client.get(page).text
