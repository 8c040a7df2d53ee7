"""The main menu marks the section of the page being read, and only that one."""

import re

import pytest

from mwi.templatetags.site_nav import MENUS

pytestmark = pytest.mark.django_db


def _current(client, url):
    html = client.get(url).content.decode()
    start = html.index('id="main-nav"')
    menu = html[start : html.index("</ul>", start)]
    return re.findall(
        r'<a class="nav-link active" aria-current="page" href="[^"]*">([^<]+)</a>', menu
    )


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/", "Home"),
        ("/people/", "People"),
        ("/meetings/", "Meetings"),
        ("/meetings/action-items/", "Action items"),
        ("/insights/", "Insights"),
        ("/stack/", "Stack map"),
        ("/stack/gaps/", "Stack map"),
        ("/stack/projects/", "Stack map"),
    ],
)
def test_the_menu_marks_the_section_of_the_page(anonymous_client, url, section):
    assert _current(anonymous_client, url) == [section]


def test_a_page_outside_the_menu_marks_no_entry(anonymous_client):
    assert _current(anonymous_client, "/search/?q=x") == []
    assert _current(anonymous_client, "/no-such-page/") == []


def test_every_menu_entry_is_shown(anonymous_client):
    html = anonymous_client.get("/").content.decode()
    for label, _url_name, _section in MENUS["main"]:
        assert f">{label}</a>" in html


@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("/stack/", "Diagram"),
        ("/stack/gaps/", "Gaps"),
        ("/stack/landscape/", "Landscape"),
        ("/stack/projects/", "Projects"),
    ],
)
def test_the_stack_map_menu_marks_its_page(anonymous_client, url, entry):
    html = anonymous_client.get(url).content.decode()
    start = html.index('aria-label="Stack map"')
    menu = html[start : html.index("</ul>", start)]
    assert re.findall(r'aria-current="page" href="[^"]*">([^<]+)</a>', menu) == [entry]
