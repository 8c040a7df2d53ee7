"""Signing in through a real OpenID Provider in the browser, and what each committee's people
then see and do (npm's oidc-provider on loopback: its own login and consent pages)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.oidc.server import configure

SHOTS = "/tmp/mwi-access-shots"  # noqa: S108 (looked at by hand, not kept)


def _committee_with_meetings(letter, person_name, email, role):
    from tests.factories import (
        CommitteeFactory,
        MaterialFactory,
        MeetingFactory,
        MembershipFactory,
        PersonFactory,
    )

    committee = CommitteeFactory(
        name=f"Committee {letter}",
        short_name=f"C{letter}",
        slug=f"committee-{letter.lower()}",
        join_url=f"https://zoom.example.org/j/join-{letter.lower()}",
        join_visibility="members",
    )
    now = timezone.now()
    upcoming = MeetingFactory(
        committee=committee,
        title=f"Next call {letter}",
        start=now + dt.timedelta(days=2),
        end=now + dt.timedelta(days=2, hours=1),
        minutes="",
        minutes_status="none",
    )
    past = MeetingFactory(committee=committee, title=f"Last call {letter}")
    MaterialFactory(meeting=past, title=f"Members slides {letter}", visibility="members")
    person = PersonFactory(name=person_name, email=email)
    MembershipFactory(committee=committee, person=person, role=role)
    return committee, upcoming, past


def _sign_in_with_provider(page, login):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Test ID").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page
    page.wait_for_url(lambda url: "/accounts/" not in url and "127.0.0.1" not in url)


@pytest.mark.browser
def test_a_lead_and_a_member_sign_in_through_the_provider_and_see_their_committee_only(
    browser, live_server, transactional_db, settings, oidc_provider_for
):
    provider = oidc_provider_for(live_server.url)
    configure(settings, provider.issuer)
    _, next_a, past_a = _committee_with_meetings("A", "Ada Lead", "ada@example.org", "lead")
    b, next_b, past_b = _committee_with_meetings("B", "Bea Member", "bea@example.org", "member")

    # The lead of A signs in at the provider, edits A's next meeting, and never sees B's.
    lead = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = lead.new_page()
    _sign_in_with_provider(page, "ada")
    page.goto("/admin/meetings/meeting/")
    results = page.locator("#result_list")
    expect(results).to_contain_text("Next call A")
    expect(results).not_to_contain_text("Next call B")
    expect(results).not_to_contain_text("Last call B")
    page.screenshot(path=f"{SHOTS}/lead-changelist.png")
    page.get_by_role("link", name="Next call A").click()
    page.locator("#id_title").fill("Next call A: roadmap")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    next_a.refresh_from_db()
    assert next_a.title == "Next call A: roadmap"
    assert page.goto(f"/admin/meetings/meeting/{next_b.pk}/change/").status == 404
    lead.close()

    # A member of B sees B's join link and members-only slides, and none of A's.
    member = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = member.new_page()
    _sign_in_with_provider(page, "bea")
    page.goto(next_b.get_absolute_url())
    expect(page.get_by_role("link", name="Join the call")).to_have_attribute("href", b.join_url)
    page.goto(past_b.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Members slides B")
    page.goto(next_a.get_absolute_url())
    expect(page.get_by_role("link", name="Join the call")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("The join link is for members of CA")
    page.screenshot(path=f"{SHOTS}/member-b-on-a.png")
    page.goto(past_a.get_absolute_url())
    expect(page.locator("main")).not_to_contain_text("Members slides A")
    assert "/accounts/login/" in page.goto("/admin/").url  # not a manager of anything

    # Signing out ends the session here and at the provider.
    page.goto("/profile/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: url.startswith(provider.issuer))
    member.close()
