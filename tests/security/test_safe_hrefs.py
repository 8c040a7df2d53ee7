"""Imported URLs are URLs (issue kind 15), the template half: pages link only http, https and
mailto URLs (and the site's own relative ones), whatever a stored field holds. Importers
validate URLs where data comes in; this is the second line of defence."""

import pathlib
import re

import pytest

from mwi.lib.safeurl import href, is_linkable

from ..factories import (
    MaterialFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectFactory,
    RecordingFactory,
)
from .html_scan import csp_violations, is_script_url, links

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "jav&#x09;ascript:alert(1)",  # stored as typed: an entity-looking scheme is no scheme
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.org/x",
    "blob:https://evil.example/1",
    "javascript%3Aalert(1):x",
]
SAFE = [
    "https://milvus.io/",
    "http://example.org/a?b=c#d",
    "HTTPS://EXAMPLE.ORG/",
    "mailto:committee@example.org",
    "/meetings/",
    "?page=2",
    "#main",
    "docs/page",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_imported_urls_are_urls_a_script_or_other_scheme_is_not_linked(url):
    assert not is_linkable(url)
    assert href(url) == ""


@pytest.mark.parametrize("url", SAFE)
def test_imported_urls_are_urls_web_and_mail_links_are_kept(url):
    assert href(url) == url


def _stored(obj, **fields):
    """Write fields straight to the row, as an importer or a raw edit could."""
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    obj.refresh_from_db()
    return obj


@pytest.mark.parametrize("url", HOSTILE[:3] + HOSTILE[7:9])
def test_imported_urls_are_urls_no_page_links_a_stored_script_url(
    url, anonymous_client, member_client, committee
):
    _stored(committee, mailing_list_url=url, chat_url=url, shared_doc_url=url, join_url=url)
    person = _stored(PersonFactory(), website=url)
    organization = _stored(OrganizationFactory(), url=url)
    project = _stored(ProjectFactory(slug="milvus"), homepage=url, repo=url)
    meeting = MeetingFactory(committee=committee)
    RecordingFactory(meeting=meeting, url="https://zoom.example.org/rec/1")
    recording = meeting.recordings.get()
    _stored(recording, url=url)
    material = MaterialFactory(meeting=meeting)
    _stored(material, url=url)
    pages = [
        committee.get_absolute_url(),
        person.get_absolute_url(),
        organization.get_absolute_url(),
        project.get_absolute_url(),
        meeting.get_absolute_url(),
    ]
    for client in (anonymous_client, member_client):
        for page in pages:
            html = client.get(page).content.decode()
            hrefs = links(html)
            assert url not in hrefs and not [h for h in hrefs if is_script_url(h)], page
            assert csp_violations(html) == [], page


def test_imported_urls_are_urls_a_good_url_is_still_a_link(anonymous_client, committee):
    project = ProjectFactory(slug="milvus", homepage="https://milvus.io/")
    assert (
        'href="https://milvus.io/"'
        in anonymous_client.get(project.get_absolute_url()).content.decode()
    )
    assert (
        'href="https://lists.example.org/g/committee"'
        in anonymous_client.get(committee.get_absolute_url()).content.decode()
    )


# Where a template's href comes from the site itself, not from data.
OWN_URLS = re.compile(
    r"^(\S+\.get_absolute_url|hit\.url|file_url|url|admin_user_url|calendar_feed|[a-z_.]*feed_url"
    r"|[a-z_.]*webcal_url|[a-z_.]*ics_url|[a-z_.]*captions_url|page_url|meetings?_url|committee_url|items_url|request\.path|entry\.url|history_url)$"
)


def test_imported_urls_are_urls_every_href_from_data_goes_through_the_filter():
    root = pathlib.Path(__file__).resolve().parents[2]
    unfiltered = []
    # The site's templates and every app's own.
    for path in [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]:
        for expression in re.findall(r'(?:href|src)="\{\{\s*([^}]+?)\s*\}\}', path.read_text()):
            name = expression.split("|")[0].strip()
            if "safe_href" in expression or OWN_URLS.match(name):
                continue
            unfiltered.append(f"{path.relative_to(root)}: {expression}")
    assert unfiltered == []


def test_imported_urls_are_urls_the_filter_takes_any_value():
    from mwi.templatetags.links import safe_href

    assert safe_href(None) == ""
    assert safe_href("javascript:alert(1)") == ""
    assert safe_href("https://a.example/") == "https://a.example/"
