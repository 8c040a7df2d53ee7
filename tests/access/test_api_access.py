"""The access matrix, through the API: a personal access token reads exactly what its owner
reads on the pages (participants.access), for each of the six audiences."""

import pytest
from django.test import Client

from api.models import AccessToken

from .conftest import AUDIENCES
from .test_access_matrix import may_see


@pytest.fixture
def scripts(world):
    """One API client per audience: a token of its account (anonymous: none)."""
    result = {}
    for name, user in world.users.items():
        if user is None:
            result[name] = Client()
        else:
            _row, token = AccessToken.objects.issue(user, "matrix")
            result[name] = Client(headers={"Authorization": f"Bearer {token}"})
    return result


def _side(world, letter):
    return world.a if letter == "A" else world.b


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.json()


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("letter", ["A", "B"])
def test_the_api_shows_each_secret_to_whom_the_pages_show_it(world, scripts, audience, letter):
    side, client = _side(world, letter), scripts[audience]
    committee = _json(client, f"/api/committees/{side.committee.slug}/")
    assert (committee["join_url"] == side.join_url) == may_see(audience, letter, "join link")
    upcoming = _json(client, f"/api/meetings/{side.upcoming.pk}/")
    assert (upcoming["join_url"] == side.join_url) == may_see(audience, letter, "join link")
    draft = _json(client, f"/api/meetings/{side.draft.pk}/")
    assert (draft["minutes"] is not None) == may_see(audience, letter, "draft minutes")
    assert ("Draftsecret" in (draft["minutes_html"] or "")) == may_see(
        audience, letter, "draft minutes"
    )
    published = _json(client, f"/api/meetings/{side.published.pk}/")
    titles = {m["title"] for m in published["materials"]}
    assert side.public_file.title in titles
    assert (side.members_file.title in titles) == may_see(audience, letter, "members-only material")
    person = _json(client, f"/api/people/{side.member.slug}/")
    assert (person["email"] == side.member.email) == may_see(audience, letter, "e-mail")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_lists_hold_what_the_details_hold(world, scripts, audience):
    client = scripts[audience]
    meetings = {m["id"]: m for m in _json(client, "/api/meetings/?page_size=100")["results"]}
    people = {p["slug"]: p for p in _json(client, "/api/people/?page_size=100")["results"]}
    for letter in "AB":
        side = _side(world, letter)
        assert meetings[side.draft.pk] == _json(client, f"/api/meetings/{side.draft.pk}/")
        assert people[side.member.slug] == _json(client, f"/api/people/{side.member.slug}/")
        assert (people[side.member.slug]["email"] is not None) == may_see(
            audience, letter, "e-mail"
        )


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_token_sees_what_its_owner_s_session_sees(world, clients, scripts, audience):
    urls = ["/api/committees/", "/api/meetings/?page_size=100", "/api/people/?page_size=100",
            "/api/memberships/?page_size=100", "/api/series/"]  # fmt: skip
    for url in urls:
        assert _json(scripts[audience], url) == _json(clients[audience], url), url
