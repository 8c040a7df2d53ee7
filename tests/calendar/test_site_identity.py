"""The site's name and address come from settings, and the address follows the request when
SITE_URL is unset, so `make run PORT=8121` gives working feed and subscribe links
(docs/calendar.md rule 15)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.html import escape

from meetings.ical import document
from tests.factories import CommitteeFactory, MeetingFactory

from .ics import parse, text_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(db):
    committee = CommitteeFactory(slug="wg", name="Working Group")
    MeetingFactory(committee=committee)
    return committee


def get(client, url, host="127.0.0.1:8121", secure=False, **headers):
    return client.get(url, headers={"host": host, **headers}, secure=secure)


@pytest.mark.parametrize(
    ("host", "secure", "base"),
    [
        ("127.0.0.1:8121", False, "http://127.0.0.1:8121"),
        ("localhost:8000", False, "http://localhost:8000"),
        ("committees.example.org", True, "https://committees.example.org"),
    ],
)
def test_site_url_unset_feeds_and_subscribe_links_use_the_requests_address(
    anonymous_client, filled, settings, host, secure, base
):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "committees.example.org"]
    feed = get(anonymous_client, reverse("calendar:committee_feed", args=["wg"]), host, secure)
    urls = text_values(feed.content, "URL")
    assert urls and all(url.startswith(f"{base}/") for url in urls)
    page = get(anonymous_client, filled.get_absolute_url(), host, secure).content.decode()
    webcal = base.replace("https://", "webcal://").replace("http://", "webcal://")
    assert f'href="{webcal}/committees/wg/calendar.ics"' in page
    assert f"{base}/committees/wg/calendar.ics" in page


def test_site_url_set_wins_over_the_request(anonymous_client, filled, settings):
    settings.SITE_URL = "https://committees.example.org"
    feed = get(anonymous_client, reverse("calendar:committee_feed", args=["wg"]))
    assert all(
        url.startswith("https://committees.example.org/")
        for url in text_values(feed.content, "URL")
    )


def test_site_url_two_addresses_get_two_etags_and_never_each_others_body(
    anonymous_client, filled, settings
):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    url = reverse("calendar:feed")
    first = get(anonymous_client, url, "127.0.0.1:8121")
    second = get(anonymous_client, url, "localhost:8000")
    assert first["ETag"] != second["ETag"]
    assert b"http://127.0.0.1:8121/" in first.content and b"localhost" not in first.content
    assert b"http://localhost:8000/" in second.content and b"127.0.0.1" not in second.content


def test_site_url_a_feed_built_without_a_request_needs_site_url(filled, settings):
    from mwi.lib.site import site_url

    settings.SITE_URL = ""
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        site_url()
    settings.SITE_URL = "https://committees.example.org"
    body = document.feed_bytes(filled, site_url())
    assert text_values(body, "URL")[0].startswith("https://committees.example.org/")


def test_site_name_names_pages_admin_and_feeds(anonymous_client, lead_client, filled, settings):
    name = escape(settings.SITE_NAME)
    home = anonymous_client.get("/").content.decode()
    assert f"· {name}</title>" in home
    assert f">{name}</a>" in home  # the brand in the navigation bar
    assert "MWI" not in home.split("<body")[0]
    admin = lead_client.get("/admin/").content.decode()
    assert f"{name} – committee workspace" in admin
    site = parse(anonymous_client.get(reverse("calendar:feed")).content)
    assert str(site["X-WR-CALNAME"]) == f"{settings.SITE_NAME} – all committees' meetings"
    assert settings.SITE_NAME in str(site["PRODID"])


def test_site_name_default_names_the_foundations_site_not_a_committee(settings):
    assert settings.SITE_NAME == "LF AI & Data committees"


def test_site_name_changes_the_feeds_etag(anonymous_client, filled, settings):
    url = reverse("calendar:committee_feed", args=["wg"])
    before = anonymous_client.get(url)["ETag"]
    settings.SITE_NAME = "Another foundation's committees"
    response = anonymous_client.get(url, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert b"Another foundation's committees" in response.content
