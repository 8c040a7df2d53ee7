"""Pages advertise the feeds and offer them to every client (docs/calendar.md 15)."""

import pytest
from django.urls import reverse

from tests.factories import CommitteeFactory, MeetingFactory

pytestmark = pytest.mark.django_db

FEED = "http://testserver/committees/mwi/calendar.ics"


def test_the_committee_page_advertises_its_feed_and_offers_webcal_and_https(
    anonymous_client, committee
):
    html = anonymous_client.get(committee.get_absolute_url()).content.decode()
    assert '<link rel="alternate" type="text/calendar"' in html
    assert 'href="/committees/mwi/calendar.ics"' in html
    assert 'href="webcal://testserver/committees/mwi/calendar.ics"' in html
    assert f'value="{FEED}"' in html
    for client_help in (
        "From URL",
        "Subscribe from web",
        "New Calendar Subscription",
        "On the Network",
    ):
        assert client_help in html


def test_the_home_page_of_several_committees_advertises_the_site_feed(anonymous_client, committee):
    CommitteeFactory()
    html = anonymous_client.get(reverse("home")).content.decode()
    assert 'type="text/calendar"' in html and 'href="/calendar.ics"' in html


def test_the_archive_offers_the_site_feed(anonymous_client, committee):
    html = anonymous_client.get(reverse("meetings:archive")).content.decode()
    assert 'href="webcal://testserver/calendar.ics"' in html


def test_a_meeting_page_links_its_ics(anonymous_client, committee):
    meeting = MeetingFactory(committee=committee)
    html = anonymous_client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("calendar:meeting_ics", args=[meeting.pk]) in html
