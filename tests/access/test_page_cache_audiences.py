"""The anonymous page cache never serves one audience's page to another, in either order."""

import pytest

from participants.access import Audience

from .conftest import AUDIENCES


@pytest.mark.parametrize("audience", [a for a in AUDIENCES if a != "anonymous"])
@pytest.mark.parametrize("first", ["anonymous", "audience"])
def test_a_page_is_never_served_across_audiences(world, clients, page_cache, audience, first):
    pages = [
        (world.a.published.get_absolute_url(), "Members notes A"),
        (world.a.committee.get_absolute_url(), world.a.join_url),
        (world.a.draft.get_absolute_url(), "DraftsecretA"),
    ]
    order = ["anonymous", audience] if first == "anonymous" else [audience, "anonymous", audience]
    for url, secret in pages:
        seen = {}
        for who in order:
            for _ in range(2):  # the second request of each would be the cached one
                seen.setdefault(who, []).append(secret in clients[who].get(url).text)
        assert seen["anonymous"] == [False, False], (url, order)
        expected = {
            "Members notes A": audience in ("member_a", "lead_a", "staff"),
            world.a.join_url: audience in ("member_a", "lead_a", "staff"),
            "DraftsecretA": audience in ("lead_a", "staff"),
        }[secret]
        assert set(seen[audience]) == {expected}, (url, audience, order)


def test_accounts_with_the_same_memberships_share_one_audience_class(world):
    from tests.factories import MembershipFactory, PersonFactory, UserFactory

    twin = UserFactory(username="twin")
    MembershipFactory(committee=world.a.committee, person=PersonFactory(user=twin))
    classes = {name: Audience.of(user).cache_class for name, user in world.users.items()}
    assert Audience.of(twin).cache_class == classes["member_a"]
    assert len(set(classes.values())) == len(classes)  # six audiences, six classes
