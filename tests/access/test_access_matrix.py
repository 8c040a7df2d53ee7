"""The access matrix: every kind of page, download, search, feed and admin view, crossed with the
six audiences. Each cell says exactly what the audience may see and do (issue: members-only
content is for that committee's members; each committee run by its own lead)."""

import pytest

from .conftest import AUDIENCES

MEMBER_OF = {"member_a": {"A"}, "member_b": {"B"}, "lead_a": {"A"}, "staff": {"A", "B"}}
MANAGES = {"lead_a": {"A"}, "staff": {"A", "B"}}


def may_see(audience, letter, what):
    if what == "draft minutes":
        return letter in MANAGES.get(audience, set())
    return letter in MEMBER_OF.get(audience, set())


def _side(world, letter):
    return world.a if letter == "A" else world.b


def _text(response):
    assert response.status_code == 200, response
    return response.content.decode()


def _assert_secrets(audience, letter, what, text):
    secret = _side_secrets[letter][what]
    assert (secret in text) == may_see(audience, letter, what), (audience, letter, what)


_side_secrets = {}


@pytest.fixture(autouse=True)
def _secrets(world):
    _side_secrets.update({"A": world.a.secrets, "B": world.b.secrets})


# --- pages ---------------------------------------------------------------------------------
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("letter", ["A", "B"])
def test_the_committee_page_shows_the_join_link_to_its_members_only(
    world, clients, audience, letter
):
    side = _side(world, letter)
    text = _text(clients[audience].get(side.committee.get_absolute_url()))
    _assert_secrets(audience, letter, "join link", text)
    other = world.b if letter == "A" else world.a
    assert other.join_url not in text


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("letter", ["A", "B"])
def test_an_upcoming_meeting_page_shows_the_join_link_to_its_members_only(
    world, clients, audience, letter
):
    side = _side(world, letter)
    text = _text(clients[audience].get(side.upcoming.get_absolute_url()))
    _assert_secrets(audience, letter, "join link", text)
    if not may_see(audience, letter, "join link"):
        hint = "Sign in" if audience == "anonymous" else f"for members of C{letter}"
        assert hint in text


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("letter", ["A", "B"])
def test_draft_minutes_are_read_by_the_committees_managers_and_staff_only(
    world, clients, audience, letter
):
    side = _side(world, letter)
    text = _text(clients[audience].get(side.draft.get_absolute_url()))
    _assert_secrets(audience, letter, "draft minutes", text)
    found = _text(clients[audience].get("/search/", {"q": f"Draftsecret{letter}"}))
    assert (side.draft.title in found) == may_see(audience, letter, "draft minutes")


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("letter", ["A", "B"])
def test_members_only_materials_are_listed_and_downloaded_by_members_only(
    world, clients, audience, letter
):
    side = _side(world, letter)
    client = clients[audience]
    text = _text(client.get(side.published.get_absolute_url()))
    _assert_secrets(audience, letter, "members-only material", text)
    assert side.public_file.title in text
    public = client.get(f"/meetings/files/material/{side.public_file.pk}/")
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == f"public bytes {letter}\n".encode()
    members = client.get(f"/meetings/files/material/{side.members_file.pk}/")
    if may_see(audience, letter, "members-only material"):
        assert members.status_code == 200
        assert b"".join(members.streaming_content) == f"members bytes {letter}\n".encode()
        assert "private" in members["Cache-Control"]
    elif audience == "anonymous":
        assert members.status_code == 302 and "/accounts/login/" in members["Location"]
    else:
        assert members.status_code == 404


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("letter", ["A", "B"])
def test_a_members_e_mail_is_shown_to_fellow_members_and_staff_only(
    world, clients, audience, letter
):
    side = _side(world, letter)
    text = _text(clients[audience].get(side.member.get_absolute_url()))
    _assert_secrets(audience, letter, "e-mail", text)
    directory = _text(clients[audience].get("/people/"))
    assert side.member.email not in directory


@pytest.mark.parametrize("audience", AUDIENCES)
def test_feeds_never_carry_a_members_only_join_link(world, clients, audience):
    client = clients[audience]
    for url in (
        "/calendar.ics",
        f"/committees/{world.a.committee.slug}/calendar.ics",
        f"/meetings/{world.a.upcoming.pk}/calendar.ics",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert world.a.join_url not in body and world.b.join_url not in body


@pytest.mark.parametrize("audience", AUDIENCES)
def test_public_pages_and_downloads_hold_no_secret_for_anyone(world, clients, audience):
    client = clients[audience]
    secrets = [
        *(v for k, v in world.a.secrets.items() if k != "members-only material"),
        *(v for k, v in world.b.secrets.items() if k != "members-only material"),
    ]
    for url in (
        "/",
        "/meetings/",
        "/meetings/action-items/",
        "/people/",
        "/insights/",
        "/stack/",
        "/stack/map.json",
        "/stack/stack.svg",
        "/stack/map.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        for secret in secrets:
            if secret.startswith("Draftsecret") and may_see(audience, secret[-1], "draft minutes"):
                continue
            assert secret not in body, (url, secret)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_guessed_ids_and_slugs_answer_not_found_for_everyone(world, clients, audience):
    client = clients[audience]
    for url in (
        "/meetings/2020-01-01-999999/",
        "/committees/no-such-committee/",
        "/people/no-such-person/",
        "/meetings/files/material/999999/",
        "/meetings/999999/calendar.ics",
    ):
        assert client.get(url).status_code == 404, url


# --- admin ---------------------------------------------------------------------------------
ADMIN_ALLOWED = {"lead_a", "staff"}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_meeting_changelist_lists_the_rows_the_audience_manages(world, clients, audience):
    response = clients[audience].get("/admin/meetings/meeting/")
    if audience not in ADMIN_ALLOWED:
        assert response.status_code == 302 and "login" in response["Location"]
        return
    text = _text(response)
    for letter in "AB":
        side = _side(world, letter)
        assert (side.draft.title in text) == (letter in MANAGES[audience]), letter


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("letter", ["A", "B"])
def test_change_delete_and_history_views_of_another_committees_rows_are_not_found(
    world, clients, audience, letter
):
    side = _side(world, letter)
    client = clients[audience]
    manages = letter in MANAGES.get(audience, set())
    for url in (
        f"/admin/meetings/meeting/{side.draft.pk}/change/",
        f"/admin/meetings/meeting/{side.draft.pk}/delete/",
        f"/admin/meetings/meeting/{side.draft.pk}/history/",
        f"/admin/participants/committee/{side.committee.pk}/change/",
        f"/admin/participants/person/{side.member.pk}/change/",
        f"/admin/meetings/actionitem/?meeting__committee__id__exact={side.committee.pk}",
    ):
        response = client.get(url)
        if audience not in ADMIN_ALLOWED:
            assert response.status_code == 302, url
        elif manages:
            assert response.status_code == 200, url
        elif "?" in url:
            assert response.status_code == 200 and side.draft.title not in response.text
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("audience", AUDIENCES)
def test_autocomplete_offers_only_the_rows_the_audience_manages(world, clients, audience):
    response = clients[audience].get(
        "/admin/autocomplete/",
        {"app_label": "meetings", "model_name": "actionitem", "field_name": "meeting"},
    )
    if audience not in ADMIN_ALLOWED:
        assert response.status_code == 302
        return
    offered = {row["text"] for row in response.json()["results"]}
    for letter in "AB":
        side = _side(world, letter)
        assert any(side.draft.title in text for text in offered) == (letter in MANAGES[audience])
