"""The admin's "merge people" action, for the duplicates no import rule could join."""

import datetime as dt

import pytest

from meetings.models import ActionItem, Attendance, Mention
from participants.models import Membership, Person, PersonAlias
from tests.factories import (
    ActionItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)

CHANGELIST = "/admin/participants/person/"


@pytest.fixture
def duplicates(committee):
    """ "Nat Subramanian" and a second record of him made from old minutes."""
    nat = PersonFactory(name="Nat Subramanian", email="nat@example.org")
    natarajan = PersonFactory(name="Natarajan Subramanian", email="", github="natsub")
    PersonAlias.objects.create(person=natarajan, name="N. Subramanian")
    MembershipFactory(committee=committee, person=nat, role="member")
    MembershipFactory(committee=committee, person=natarajan, role="member")  # a duplicate role
    MembershipFactory(committee=committee, person=natarajan, role="lead", end="2020-04-09")
    meeting = MeetingFactory(
        committee=committee, minutes="@[Natarajan Subramanian] covered Acumos and Angel."
    )
    both = MeetingFactory(
        committee=committee, minutes="@[Nat Subramanian] and @[Natarajan Subramanian]"
    )
    AttendanceFactory(meeting=meeting, person=natarajan)
    ActionItemFactory(meeting=meeting, owner=natarajan)
    return nat, natarajan, meeting, both


def _select(client, people, **extra):
    return client.post(
        CHANGELIST,
        {"action": "merge_selected_people", "_selected_action": [p.pk for p in people], **extra},
    )


def test_the_action_asks_which_person_to_keep_first(lead_client, duplicates):
    nat, natarajan, *_ = duplicates
    response = _select(lead_client, [nat, natarajan])
    assert response.status_code == 200
    content = response.content.decode()
    assert "Keep this person" in content
    assert f'value="{nat.pk}"' in content and f'value="{natarajan.pk}"' in content
    assert Person.objects.count() == 2  # nothing merged yet


def test_merging_moves_mentions_attendance_memberships_action_items_and_aliases(
    lead_client, duplicates
):
    nat, natarajan, meeting, both = duplicates
    response = _select(lead_client, [nat, natarajan], keep=nat.pk, confirm="yes")
    assert response.status_code == 302
    assert not Person.objects.filter(pk=natarajan.pk).exists()
    assert set(Mention.objects.values_list("meeting_id", "person_id")) == {
        (meeting.pk, nat.pk),
        (both.pk, nat.pk),
    }
    assert Attendance.objects.get().person == nat
    assert ActionItem.objects.get().owner == nat
    roles = set(Membership.objects.filter(person=nat).values_list("role", "end"))
    assert roles == {("member", None), ("lead", dt.date(2020, 4, 9))}
    assert set(nat.aliases.values_list("name", flat=True)) == {
        "N. Subramanian",
        "Natarajan Subramanian",
    }
    nat.refresh_from_db()
    assert nat.email == "nat@example.org"  # the kept person's own value wins
    assert nat.github == "natsub"  # a blank is filled from the merged person


def test_minutes_that_named_the_merged_person_link_the_kept_one(lead_client, duplicates):
    nat, natarajan, meeting, _ = duplicates
    old_url = natarajan.get_absolute_url()
    _select(lead_client, [nat, natarajan], keep=nat.pk, confirm="yes")
    meeting.refresh_from_db()
    assert f'href="{nat.get_absolute_url()}"' in meeting.minutes_html
    assert old_url not in meeting.minutes_html
    assert lead_client.get(nat.get_absolute_url()).status_code == 200


def test_the_confirmation_without_a_choice_asks_again(lead_client, duplicates):
    nat, natarajan, *_ = duplicates
    response = _select(lead_client, [nat, natarajan], keep="", confirm="yes")
    assert response.status_code == 200
    assert "Choose the person to keep." in response.content.decode()
    assert Person.objects.count() == 2


def test_merging_needs_two_people(lead_client, duplicates):
    nat, *_ = duplicates
    response = _select(lead_client, [nat], keep=nat.pk, confirm="yes")
    assert response.status_code == 302
    assert Person.objects.filter(pk=nat.pk).exists()


def test_members_cannot_merge_people(member_client, duplicates):
    nat, natarajan, *_ = duplicates
    before = Person.objects.count()
    response = _select(member_client, [nat, natarajan], keep=nat.pk, confirm="yes")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Person.objects.count() == before


@pytest.mark.parametrize("n", [2, 30])
def test_the_confirmation_page_query_count_holds(
    lead_client, committee, n, django_assert_max_num_queries
):
    people = [PersonFactory() for _ in range(n)]
    # session; user; the changelist's organization filter choices twice and its two counts
    # (the admin builds its list before dispatching the action); the selected people with
    # today's organizations; their aliases
    with django_assert_max_num_queries(8):
        response = _select(lead_client, people)
    assert response.status_code == 200
