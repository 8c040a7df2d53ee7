"""Screenshots of the main pages for the README, refreshed on demand:

    MWI_SCREENSHOTS=1 .venv/bin/pytest -m browser tests/e2e/test_screenshots.py

Off by default so that test runs (and CI) never rewrite the committed pictures.
"""

import os

import pytest

from .helpers import ROOT
from .pages import public_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("MWI_SCREENSHOTS") != "1", reason="set MWI_SCREENSHOTS=1 to refresh them"
    ),
]

SHOTS = ROOT / "docs" / "screenshots"
DESKTOP_PAGES = ["home", "meeting", "people", "person", "stack", "insights"]


def test_take_screenshots_of_the_main_pages(page, mobile_page, demo):
    SHOTS.mkdir(parents=True, exist_ok=True)
    from meetings.models import Meeting

    pages = dict(public_pages())
    # The meeting that renamed the committee and changed its lead: minutes with mentions,
    # a recording, the chat and slides: the richest page of the demo.
    pages["meeting"] = Meeting.objects.get(start__date="2020-04-09").get_absolute_url()
    for label in DESKTOP_PAGES:
        page.goto(pages[label])
        page.screenshot(path=SHOTS / f"{label}.png")
    mobile_page.goto("/")
    mobile_page.screenshot(path=SHOTS / "mobile-home.png", scale="css")  # 390x844, not 2x
