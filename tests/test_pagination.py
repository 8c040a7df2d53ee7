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
