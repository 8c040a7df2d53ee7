"""Each committee run by its own managers in the admin (participants/admin_access.py)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from meetings.models import Meeting
from mwi.lib.concurrency import VERSION_FIELD, current_version
from participants.access import FOUNDATION_STAFF_GROUP, Audience
from participants.models import Membership
from stackmap.models import Block
from tests.conftest import MODEL_BACKEND
from tests.factories import (
    BlockFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    record_history,
)


def _client(user):
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def _meeting_form(meeting, **overrides):
    """The meeting change form's POST data, with no inline rows."""
    local = meeting.start.astimezone(meeting.committee.tz)
    data = {
        "committee": meeting.committee.pk,
        "title": meeting.title,
        "start_0": local.date().isoformat(),
        "start_1": local.strftime("%H:%M"),
        "end_0": (local + dt.timedelta(hours=1)).date().isoformat(),
        "end_1": (local + dt.timedelta(hours=1)).strftime("%H:%M"),
        "status": "scheduled",
        "join_url": "",
        "agenda": "",
        "minutes": meeting.minutes,
        "minutes_status": meeting.minutes_status,
        "approved_at": "",
    }
    for prefix in ("recordings", "materials", "attendance", "action_items", "decisions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data[VERSION_FIELD] = current_version(meeting)
    data.update(overrides)
    return data


def test_a_lead_enters_the_admin_without_the_staff_flag(world, clients):
    assert not world.users["lead_a"].is_staff
    assert clients["lead_a"].get("/admin/").status_code == 200
    assert clients["member_a"].get("/admin/").status_code == 302


def test_a_lead_edits_their_committees_meeting(world, clients):
    meeting = world.a.draft
    response = clients["lead_a"].post(
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        _meeting_form(meeting, title="Renamed by the lead"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.title == "Renamed by the lead"


def test_a_lead_cannot_move_a_meeting_into_another_committee(world, clients):
    meeting = world.a.draft
    response = clients["lead_a"].post(
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        _meeting_form(meeting, committee=world.b.committee.pk),
    )
    assert response.status_code == 200
    assert "committee" in response.context["adminform"].form.errors
    assert Meeting.objects.get(pk=meeting.pk).committee == world.a.committee


def test_a_lead_cannot_change_or_delete_another_committees_meeting_by_post(world, clients):
    meeting = world.b.draft
    client = clients["lead_a"]
    url = f"/admin/meetings/meeting/{meeting.pk}/"
    assert client.post(url + "change/", _meeting_form(meeting, title="x")).status_code == 404
    assert client.post(url + "delete/", {"post": "yes"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.title == "Drafted B"


def test_actions_reach_only_the_leads_own_rows(world, clients):
    clients["lead_a"].post(
        "/admin/meetings/meeting/",
        {
            "action": "publish_minutes",
            "_selected_action": [world.a.draft.pk, world.b.draft.pk],
        },
    )
    world.a.draft.refresh_from_db()
    world.b.draft.refresh_from_db()
    assert world.a.draft.minutes_status == "published"
    assert world.b.draft.minutes_status == "draft"


def test_a_lead_sees_only_their_committees_memberships_inline_on_a_shared_person(world):
    # A person in both committees: lead A may edit them, but sees and edits A's row only.
    person = world.a.member
    MembershipFactory(committee=world.b.committee, person=person, role="observer")
    client = _client(world.users["lead_a"])
    response = client.get(f"/admin/participants/person/{person.pk}/change/")
    assert response.status_code == 200
    formset = next(
        f for f in response.context["inline_admin_formsets"] if f.opts.model is Membership
    )
    shown = {form.instance.committee_id for form in formset.formset.forms if form.instance.pk}
    assert shown == {world.a.committee.pk}
    # The merge action reaches across committees: staff only.
    actions = response.context.get("actions") or []
    changelist = client.get("/admin/participants/person/")
    assert "merge_selected_people" not in changelist.text
    assert not actions


def test_a_lead_adds_a_person_but_cannot_delete_people(world, clients):
    client = clients["lead_a"]
    assert client.get("/admin/participants/person/add/").status_code == 200
    assert client.get(f"/admin/participants/person/{world.a.member.pk}/delete/").status_code == 403


def test_the_changelist_of_people_lists_the_leads_committees_people(world, clients):
    text = clients["lead_a"].get("/admin/participants/person/").text
    assert world.a.member.name in text and world.b.member.name not in text
    # Names are public: the autocomplete finds anyone (for attendance of guests).
    found = clients["lead_a"].get(
        "/admin/autocomplete/",
        {
            "app_label": "meetings",
            "model_name": "attendance",
            "field_name": "person",
            "term": "Colleague",
        },
    )
    names = {row["text"] for row in found.json()["results"]}
    assert {world.a.member.name, world.b.member.name} <= names


def test_a_lead_cannot_add_a_committee_but_edits_their_own(world, clients):
    client = clients["lead_a"]
    assert client.get("/admin/participants/committee/add/").status_code == 403
    text = client.get("/admin/participants/committee/").text
    assert "Committee A" in text and "Committee B" not in text


def test_the_stack_map_is_edited_by_the_managers_of_the_curating_committee(
    world, clients, settings
):
    BlockFactory(name="Training")
    client = clients["lead_a"]
    settings.STACKMAP_COMMITTEE = ""  # two committees and none named: staff only
    assert client.get("/admin/stackmap/block/").status_code == 403
    assert clients["staff"].get("/admin/stackmap/block/").status_code == 200
    settings.STACKMAP_COMMITTEE = world.a.committee.slug
    assert client.get("/admin/stackmap/block/").status_code == 200
    block = Block.objects.get(name="Training")
    assert client.get(f"/admin/stackmap/block/{block.pk}/change/").status_code == 200
    settings.STACKMAP_COMMITTEE = world.b.committee.slug
    assert client.get(f"/admin/stackmap/block/{block.pk}/change/").status_code == 404


def test_recover_deleted_lists_only_the_leads_committees_meetings(world, clients):
    world.a.published.delete()
    world.b.published.delete()
    text = clients["lead_a"].get("/admin/meetings/meeting/deleted/").text
    assert "Published A" in text and "Published B" not in text


def test_revert_of_another_committees_meeting_is_not_found(world, clients):
    meeting = record_history(world.b.draft)
    record = meeting.history.first()
    url = f"/admin/meetings/meeting/{meeting.pk}/history/{record.history_id}/"
    assert clients["lead_a"].get(url).status_code == 404
    assert clients["staff"].get(url).status_code == 200


# --- roles follow current memberships ----------------------------------------------------
@pytest.mark.parametrize(
    ("start", "end", "current"),
    [
        (None, None, True),
        (-30, None, True),
        (0, None, True),  # starts today
        (1, None, False),  # starts tomorrow
        (-30, 0, False),  # ended today: end is exclusive
        (-30, 1, True),  # ends tomorrow
        (None, -1, False),
    ],
)
def test_rights_follow_memberships_current_today(db, committee, start, end, current):
    today = timezone.localdate()
    user = UserFactory()
    MembershipFactory(
        committee=committee,
        person=PersonFactory(user=user),
        role="lead",
        start=today + dt.timedelta(days=start) if start is not None else None,
        end=today + dt.timedelta(days=end) if end is not None else None,
    )
    audience = Audience.of(user)
    assert audience.manages(committee) is current
    assert audience.is_member(committee) is current
    assert (_client(user).get("/admin/").status_code == 200) is current


@pytest.mark.parametrize(
    ("role", "manages"),
    [("lead", True), ("co-lead", True), ("secretary", True), ("member", False),
     ("observer", False), ("guest", False), ("staff", False)],
)  # fmt: skip
def test_leads_co_leads_and_secretaries_manage_their_committee(db, committee, role, manages):
    user = UserFactory()
    MembershipFactory(committee=committee, person=PersonFactory(user=user), role=role)
    audience = Audience.of(user)
    assert audience.is_member(committee)
    assert audience.manages(committee) is manages


def test_superusers_and_the_foundation_staff_group_manage_everything(db, committee):
    superuser = UserFactory(is_superuser=True)
    grouped = UserFactory()
    grouped.groups.add(Group.objects.get_or_create(name=FOUNDATION_STAFF_GROUP)[0])
    plain_staff = UserFactory(is_staff=True)
    assert Audience.of(superuser).manages(committee)
    assert Audience.of(grouped).manages(committee)
    assert not Audience.of(plain_staff).manages(committee)
    MeetingFactory(committee=committee, title="Staff see this")
    assert "Staff see this" in _client(grouped).get("/admin/meetings/meeting/").text
