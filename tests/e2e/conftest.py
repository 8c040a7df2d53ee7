"""Browser fixtures: one headless Debian chromium per test session, a fresh context per test.

Every page a test opens is watched: console errors, uncaught exceptions and Content Security
Policy violations are collected, and `page_watch.assert_clean()` fails the test on any of them.
"""

import os

import pytest

from tests.system_tools import require

from .helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP, MOBILE

# Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls from
# a thread with a running loop unless told that this is deliberate (the tests are synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Runs in every document before its own scripts. Init scripts are injected by the browser, not
# by the page, so the CSP does not apply to them; they report through an exposed binding.
_WATCH_SCRIPT = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__mwiReport && window.__mwiReport(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    require("chromium")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """What went wrong in the pages of one browser context, by page URL."""

    def __init__(self):
        self.problems = []
        self.visited = []

    def attach(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught {error} ({page.url})"))
        page.on("framenavigated", self._navigated)

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error {message.text!r} ({message.location})")

    def _navigated(self, frame):
        if frame.parent_frame is None:
            self.visited.append(frame.url)

    def report(self, source, text):
        self.problems.append(f"CSP violation: {text} ({source['frame'].url})")

    def assert_clean(self):
        assert self.problems == [], "\n".join(self.problems)


@pytest.fixture
def page_watch():
    return PageWatch()


def _context(browser, live_server, page_watch, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    context.expose_binding("__mwiReport", page_watch.report)
    context.add_init_script(_WATCH_SCRIPT)
    context.on("page", page_watch.attach)
    return context


@pytest.fixture
def page(browser, live_server, page_watch):
    """A desktop page (1280x800); fails the test afterwards on any console error or CSP hit."""
    context = _context(browser, live_server, page_watch, viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()
    page_watch.assert_clean()


@pytest.fixture
def mobile_page(browser, live_server, page_watch):
    """A phone-sized page (390x844, touch, scaled like a phone)."""
    context = _context(
        browser,
        live_server,
        page_watch,
        viewport=MOBILE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()
    page_watch.assert_clean()


@pytest.fixture
def demo(transactional_db):
    """The committee's real history and stack map (loaddemo) in the live server's database.

    Imported each time, not copied in (tests/demo_data.py): the live server may still be
    answering a request of the previous test, and a copy replaces the database under it.
    """
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("loaddemo", stdout=quiet)


@pytest.fixture
def lead_account(transactional_db):
    """A staff superuser who signs in through the real login form."""
    from tests.factories import UserFactory

    return UserFactory(username="lead", is_staff=True, is_superuser=True)


@pytest.fixture
def member_account(transactional_db):
    from tests.factories import UserFactory

    return UserFactory(username="member")
