"""Accountable edits: who changed what and when, revert, recover deleted, no silent overwrite."""

import html

import pytest
from django.test import Client

from meetings.models import Material, Meeting
from participants.models import Person
from tests.conftest import MODEL_BACKEND
from tests.factories import (
    MaterialFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    record_history,
)

from .html_scan import csp_violations, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_lead_client(db):
    client = Client()
    client.force_login(
        UserFactory(username="lead-b", is_staff=True, is_superuser=True), backend=MODEL_BACKEND
    )
    return client


def _change(client, url, **changes):
    """Open an admin change form, change some fields and save it, as a browser would."""
    response = client.get(url)
    assert response.status_code == 200, url
    return client.post(url, {**form_data(response.content.decode()), **changes})


def _admin_url(obj, view="change"):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


@pytest.mark.parametrize("kind", ["meeting", "person", "membership", "committee"])
def test_the_admin_shows_who_changed_what_and_when(kind, lead_client, committee):
    obj = record_history(
        {
            "meeting": lambda: MeetingFactory(committee=committee),
            "person": PersonFactory,
            "membership": lambda: MembershipFactory(committee=committee),
            "committee": lambda: committee,
        }[kind]()
    )
    field = {"meeting": "title", "person": "name", "membership": "note", "committee": "cadence"}
    response = _change(lead_client, _admin_url(obj), **{field[kind]: "Changed by the lead"})
    assert response.status_code == 302, response.context and response.context.get("errors")
    history = lead_client.get(_admin_url(obj, "history")).content.decode()
    assert "Changed by the lead" in history  # the change, with its old and new value
    assert ">lead</a>" in history or "<td>lead</td>" in history  # by whom
    record = obj.history.first()
    assert record.history_user.username == "lead"
    assert csp_violations(history) == []


@pytest.mark.parametrize("kind", ["meeting", "person"])
def test_a_revert_from_the_history_page_restores_the_old_text(kind, lead_client, committee):
    if kind == "meeting":
        obj, field, old = (
            record_history(MeetingFactory(committee=committee, minutes="Original minutes.")),
            "minutes",
            "Original minutes.",
        )
    else:
        obj, field, old = record_history(PersonFactory(name="Ada Lovelace")), "name", "Ada Lovelace"
    assert _change(lead_client, _admin_url(obj), **{field: "Vandalised"}).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Vandalised"

    first = obj.history.order_by("history_date").first()
    url = f"{_admin_url(obj, 'history')}{first.history_id}/"
    response = _change(lead_client, url)
    assert response.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == old
    assert obj.history.count() == 3  # created, vandalised, reverted


def test_a_deleted_meeting_can_be_recovered_with_what_was_deleted_with_it(lead_client, committee):
    meeting = MeetingFactory(committee=committee, title="The lost meeting", minutes="Precious.")
    MaterialFactory(meeting=meeting, title="Lost slides")
    pk = meeting.pk
    assert lead_client.post(_admin_url(meeting, "delete"), {"post": "yes"}).status_code == 302
    assert not Meeting.objects.filter(pk=pk).exists()

    changelist = lead_client.get("/admin/meetings/meeting/").content.decode()
    assert 'href="/admin/meetings/meeting/deleted/"' in changelist  # the lead can find it
    page = lead_client.get("/admin/meetings/meeting/deleted/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "The lost meeting" in content and csp_violations(content) == []
    response = lead_client.post("/admin/meetings/meeting/deleted/", form_data(content))
    assert response.status_code == 302
    recovered = Meeting.objects.get(pk=pk)
    assert recovered.minutes == "Precious." and recovered.minutes_html
    assert Material.objects.get(meeting=recovered).title == "Lost slides"
    # Recovered means no longer listed as deleted.
    listing = lead_client.get("/admin/meetings/meeting/deleted/").content.decode()
    assert "Nothing has been deleted." in listing


def test_only_staff_reach_the_recover_page(member_client, db):
    assert member_client.get("/admin/meetings/meeting/deleted/").status_code == 302
    staff = Client()
    staff.force_login(UserFactory(username="viewer", is_staff=True), backend=MODEL_BACKEND)
    assert staff.get("/admin/meetings/meeting/deleted/").status_code == 403


@pytest.mark.parametrize("kind", ["meeting", "person"])
def test_the_second_of_two_concurrent_saves_is_refused_with_who_and_when(
    kind, lead_client, second_lead_client, committee
):
    obj = MeetingFactory(committee=committee) if kind == "meeting" else PersonFactory()
    field = "minutes" if kind == "meeting" else "affiliation_note"
    url = _admin_url(obj)
    opened_by_a = form_data(lead_client.get(url).content.decode())
    # B opens and saves first.
    assert _change(second_lead_client, url, **{field: "B's version"}).status_code == 302

    response = lead_client.post(url, {**opened_by_a, field: "A's version"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "changed by lead-b at " in content and "since you opened it" in content
    assert "A's version" in html.unescape(content)  # A's text is still in the form to copy
    obj.refresh_from_db()
    assert getattr(obj, field) == "B's version"


def test_a_save_after_reloading_goes_through(lead_client, second_lead_client, committee):
    person = PersonFactory()
    url = _admin_url(person)
    stale = form_data(lead_client.get(url).content.decode())
    _change(second_lead_client, url, name="Renamed by B")
    assert lead_client.post(url, {**stale, "github": "ada"}).status_code == 200
    assert _change(lead_client, url, github="ada").status_code == 302
    person.refresh_from_db()
    assert (person.name, person.github) == ("Renamed by B", "ada")


def test_a_change_made_outside_the_admin_also_counts(lead_client, committee):
    person = PersonFactory()
    url = _admin_url(person)
    stale = form_data(lead_client.get(url).content.decode())
    Person.objects.get(pk=person.pk).save()  # a script or import touches it
    response = lead_client.post(url, {**stale, "github": "ada"})
    assert "changed by a script or import at" in response.content.decode()
