"""Every paged list links to its neighbours with the request's other parameters kept (filters,
an as-of date, the page of another list on the same page), through one template."""

import re
from html import unescape

import pytest

from .factories import (
    ActionItemFactory,
    BlockFactory,
    CommitteeFactory,
    MappingFactory,
    MeetingFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _links(html, label):
    """{words: href} of the page links of the list named `label`."""
    nav = re.search(rf'<nav aria-label="{label}">(.*?)</nav>', html, re.S)
    assert nav, f"no pages of {label!r}"
    return {
        words: unescape(href)
        for href, words in re.findall(
            r'<a class="page-link" rel="\w+" href="([^"]+)">([^<]+)</a>', nav[1]
        )
    }


def test_the_archive_pages_keep_the_committee_filter(anonymous_client, monkeypatch):
    monkeypatch.setattr("meetings.views.ARCHIVE_PAGE_SIZE", 2)
    committee = CommitteeFactory(slug="wg")
    MeetingFactory.create_batch(5, committee=committee)
    html = anonymous_client.get("/meetings/?committee=wg&page=2").content.decode()
    assert _links(html, "Archive pages") == {
        "Newer": "?committee=wg&page=1",
        "Older": "?committee=wg&page=3",
    }


def test_the_action_items_pages_link_to_their_neighbours(anonymous_client, monkeypatch):
    monkeypatch.setattr("meetings.views.ACTION_ITEMS_PAGE_SIZE", 2)
    ActionItemFactory.create_batch(3)
    html = anonymous_client.get("/meetings/action-items/").content.decode()
    assert _links(html, "Action item pages") == {"Next": "?page=2"}
    assert "Page 1 of 2" in html


def test_the_two_lists_of_a_block_page_turn_independently(anonymous_client, monkeypatch):
    monkeypatch.setattr("stackmap.views.BLOCK_PAGE", 2)
    block = BlockFactory()
    for _ in range(5):
        MappingFactory(block=block, project=ProjectFactory())
    html = anonymous_client.get(
        f"{block.get_absolute_url()}?as_of=2030-01-01&page=2&history=3"
    ).content.decode()
    assert _links(html, "Pages of projects") == {
        "Previous": "?as_of=2030-01-01&page=1&history=3",
        "Next": "?as_of=2030-01-01&page=3&history=3",
    }
    assert _links(html, "Pages of mappings") == {"Previous": "?as_of=2030-01-01&page=2&history=2"}


def test_the_projects_pages_keep_the_hosted_filter(anonymous_client):
    ProjectFactory.create_batch(101, hosted=False)  # 100 to a page
    html = anonymous_client.get("/stack/projects/?hosted=no").content.decode()
    assert _links(html, "Pages of projects") == {"Next": "?hosted=no&page=2"}


def test_a_list_on_one_page_shows_no_page_links(anonymous_client):
    MeetingFactory()
    html = anonymous_client.get("/meetings/").content.decode()
    assert 'aria-label="Archive pages"' not in html


def test_a_persons_lists_turn_their_pages_independently_newest_first(anonymous_client, monkeypatch):
    from .factories import AttendanceFactory, PersonFactory

    monkeypatch.setattr("meetings.templatetags.meeting_blocks.PERSON_ROWS", 2)
    person = PersonFactory()
    committee = CommitteeFactory()
    meetings = [MeetingFactory(committee=committee, title=f"Topic {n}") for n in range(5)]
    for meeting in meetings:  # newest first: Topic 0 is the latest
        AttendanceFactory(meeting=meeting, person=person)
        ActionItemFactory(meeting=meeting, owner=person, text=f"Item of {meeting.topic}")
    url = person.get_absolute_url()
    html = anonymous_client.get(url).content.decode()
    assert "Topic 0" in html and "Topic 1" in html and "Topic 2" not in html
    assert _links(html, "Pages of attendance") == {"Older": "?attended=2"}
    assert _links(html, "Pages of action items") == {"Older": "?items=2"}
    assert 'aria-label="Pages of mentions"' not in html  # none: no page links
    html = anonymous_client.get(url, {"attended": 3, "items": 2}).content.decode()
    attended = html.split('id="attended-heading"', 1)[1].split("</section>", 1)[0]
    assert "Topic 4" in attended and "Topic 3" not in attended
    assert _links(html, "Pages of attendance") == {"Newer": "?attended=2&items=2"}
    assert _links(html, "Pages of action items") == {
        "Newer": "?attended=3&items=1",
        "Older": "?attended=3&items=3",
    }
    assert "Item of Topic 2" in html and "Item of Topic 1" not in html


@pytest.mark.parametrize("value", ["4", "0", "abc", "-1"])
def test_a_persons_list_past_its_end_or_unreadable_is_not_found(
    anonymous_client, monkeypatch, value
):
    from .factories import AttendanceFactory

    monkeypatch.setattr("meetings.templatetags.meeting_blocks.PERSON_ROWS", 2)
    attendance = AttendanceFactory.create_batch(5, person=AttendanceFactory().person)
    url = attendance[0].person.get_absolute_url()
    assert anonymous_client.get(url, {"attended": "3"}).status_code == 200
    assert anonymous_client.get(url, {"attended": value}).status_code == 404
