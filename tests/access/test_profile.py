"""'My profile': a signed-in person edits their own entry and sees their committees and items."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from tests.conftest import MODEL_BACKEND
from tests.factories import (
    ActionItemFactory,
    CommitteeFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)


def _me(committee):
    user = UserFactory(username="me")
    person = PersonFactory(name="Ada Lovelace", user=user, email="ada@example.org")
    MembershipFactory(committee=committee, person=person, role="co-lead")
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client, person


def test_the_profile_lists_my_current_committees_and_open_action_items(committee):
    client, person = _me(committee)
    former = CommitteeFactory(name="Former Committee")
    MembershipFactory(
        committee=former, person=person, end=timezone.localdate() - dt.timedelta(days=1)
    )
    meeting = MeetingFactory(committee=committee, title="Kick-off")
    ActionItemFactory(meeting=meeting, owner=person, text="Draft the charter")
    ActionItemFactory(meeting=meeting, owner=person, text="Long done", status="done")
    ActionItemFactory(meeting=meeting, text="Someone else's item")
    text = client.get("/profile/").text
    assert committee.get_absolute_url() in text and "co-lead" in text
    assert "Former Committee" not in text
    assert "Draft the charter" in text
    assert "Long done" not in text and "Someone else" not in text


def test_a_person_edits_their_name_links_time_zone_and_e_mail_sharing(committee):
    client, person = _me(committee)
    response = client.post(
        "/profile/",
        {
            "name": "Ada King",
            "github": "adaking",
            "website": "https://ada.example.org/",
            "time_zone": "Europe/London",
        },  # the checkbox left out: members may not see the e-mail
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Ada King" and person.github == "adaking"
    assert person.time_zone == "Europe/London"
    assert person.email_visible_to_members is False
    fellow = UserFactory(username="fellow")
    MembershipFactory(committee=committee, person=PersonFactory(user=fellow))
    other = Client()
    other.force_login(fellow, backend=MODEL_BACKEND)
    assert "ada@example.org" not in other.get(person.get_absolute_url()).text
    assert "ada@example.org" in client.get(person.get_absolute_url()).text  # one's own


def test_a_bad_time_zone_is_a_form_error_and_nothing_is_saved(committee):
    client, person = _me(committee)
    for bad in ("Mars/Olympus", "EST5", "europe/paris"):
        response = client.post("/profile/", {"name": "Changed", "time_zone": bad})
        assert response.status_code == 200
        assert "is not an IANA time zone" in response.text
    person.refresh_from_db()
    assert person.name == "Ada Lovelace"


def test_an_empty_name_is_a_form_error(committee):
    client, _ = _me(committee)
    response = client.post("/profile/", {"name": "", "time_zone": ""})
    assert response.status_code == 200 and "This field is required" in response.text


def test_the_profile_needs_a_sign_in(db):
    response = Client().get("/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
