"""The audience costs a fixed number of queries, whatever the number of memberships or rows."""

import pytest
from django.test import Client

from tests.conftest import MODEL_BACKEND
from tests.factories import (
    CommitteeFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.meetings.builders import full_meeting


def _member_of(n, committee):
    user = UserFactory(username=f"member-of-{n}")
    person = PersonFactory(user=user)
    MembershipFactory(committee=committee, person=person, role="lead")
    for _ in range(n - 1):
        MembershipFactory(committee=CommitteeFactory(), person=person)
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize("memberships", [1, 25])
def test_a_members_meeting_page_costs_the_same_whatever_their_memberships(
    committee, memberships, django_assert_max_num_queries
):
    meeting = full_meeting(committee)
    client = _member_of(memberships, committee)
    # session + user, the audience (group, memberships), the page's own queries (the call's
    # transcript and chat log rows among them)
    with django_assert_max_num_queries(18):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200 and "Members notes" in response.text


@pytest.mark.parametrize("meetings", [2, 30])
def test_a_leads_admin_changelist_costs_the_same_at_any_size(
    committee, meetings, django_assert_max_num_queries
):
    for _ in range(meetings):
        MeetingFactory(committee=committee)
        MeetingFactory()  # another committee's
    client = _member_of(1, committee)
    with django_assert_max_num_queries(16):
        response = client.get("/admin/meetings/meeting/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == meetings
