"""Every public page, in a real browser: accessible (axe-core), valid HTML (the Nu Html Checker),
and fitting a phone screen. Keyboard use is test_keyboard.py (a module of its own, so the
two run side by side)."""

import json
import subprocess
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.pages import html_pages
from tests.system_tools import require

from .helpers import AXE_JS, VNU_JAR, axe_violations, checked_pages

pytestmark = pytest.mark.browser


def test_axe_finds_no_violations_on_any_public_page(page, demo):
    assert AXE_JS.exists(), "axe-core is missing: run `make test` (it runs `npm ci`)"
    # In every document before its own scripts, as the watch is (the CSP does not govern init
    # scripts): sent to the browser once, not 500 KB per page.
    page.context.add_init_script(path=AXE_JS)
    found = {}
    for label, path in checked_pages():
        response = page.goto(path)
        assert response.ok, f"{label} {path} answered {response.status}"
        violations = axe_violations(page)
        if violations:
            found[f"{label} {path}"] = violations
    assert found == {}, json.dumps(found, indent=2)


def test_every_public_page_is_valid_html(live_server, demo, tmp_path):
    require("java")
    assert VNU_JAR.exists(), "vnu-jar is missing: run `make test` (it runs `npm ci`)"
    files = {}
    for label, path in checked_pages():
        with urllib.request.urlopen(live_server.url + path) as response:
            name = tmp_path / f"{len(files):02d}.html"
            name.write_bytes(response.read())
            files[str(name)] = f"{label} {path}"
    # One Java start for all pages: the checker's start-up is most of its cost.
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} "
        f"line {m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)


def test_public_pages_fit_a_phone_and_the_menu_opens(mobile_page, demo):
    page = mobile_page
    # A phone zooms out to show what is too wide, which widens window.innerWidth with it: the
    # page must fit the device's width, not the zoomed-out window's.
    width = page.viewport_size["width"]
    overflowing = []
    for label, path in html_pages():
        page.goto(path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            overflowing.append(f"{label} {path}: {scroll_width}px wide on a {width}px phone")
    assert overflowing == [], "\n".join(overflowing)

    # The public journey on a phone: the menu opens, leads to the meetings, a meeting reads.
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    meetings_link = nav.get_by_role("link", name="Meetings")
    assert not meetings_link.is_visible()
    toggler = page.get_by_role("button", name="Toggle navigation")
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    meetings_link.click()
    page.wait_for_url("**/meetings/")
    page.locator("main a[href^='/meetings/20']").first.click()
    expect(page.get_by_role("heading", level=2, name="Minutes")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    toggler.click()
    search = page.get_by_role("searchbox", name="Search minutes, people and projects")
    search.fill("interop")
    search.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("for “interop”")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
