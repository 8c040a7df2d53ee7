"""Minutes are rendered to safe HTML: no payload of the XSS corpus survives, on any page."""

import re
from html.parser import HTMLParser

import pytest

from meetings.models import Meeting
from mwi.lib.markdown import ALLOWED_TAGS
from tests.factories import MeetingFactory
from tests.xss_payloads import STORABLE_PAYLOADS

# The rendered HTML is parsed like a browser would and every real tag is checked: only the
# allowlisted tags, no event handler or style attribute, and links only to http(s)/mailto or
# the site itself. Payload text shown escaped (&lt;script&gt;) is harmless and allowed.
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


def _scheme(url):
    """The scheme a browser would see: C0 controls and spaces trimmed, tabs/newlines removed."""
    url = re.sub(r"[\t\n\r]", "", (url or "").strip("".join(map(chr, range(33)))))
    match = SCHEME.match(url)
    return match.group(1).lower() if match else ""


# Tags a page of ours never has inside <main>, whatever the minutes say.
FORBIDDEN_ON_PAGES = {
    "script", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "style",
    "meta", "link", "base", "img", "body", "details", "textarea",
}  # fmt: skip


class _Checker(HTMLParser):
    def __init__(self, *, page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if (tag in FORBIDDEN_ON_PAGES) if self.page else (tag not in ALLOWED_TAGS):
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcset", "formaction"}:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "src" and not self.page:
                self.problems.append(f"attribute src on <{tag}>")
            # Pages themselves offer webcal:// subscriptions; minutes may not.
            safe = SAFE_SCHEMES | ({"webcal"} if self.page else set())
            if name in {"href", "src", "action"} and _scheme(value) not in safe:
                self.problems.append(f"{name} {value!r}")


SAFE_SCHEMES = {"", "http", "https", "mailto"}


def assert_safe(html, *, page=False):
    checker = _Checker(page=page)
    checker.feed(html)
    checker.close()
    assert not checker.problems, (checker.problems, html)


def _main(response):
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("payload", STORABLE_PAYLOADS)
def test_no_payload_survives_minutes_rendering(db, committee, payload):
    meeting = MeetingFactory(committee=committee, agenda=payload, minutes=f"Notes\n\n{payload}\n")
    assert_safe(meeting.minutes_html)
    assert_safe(meeting.agenda_html)


# Pages built around the payloads: each meeting's minutes hold a share of the corpus, picked
# across it (OWASP and Markdown tricks together), and its title the first of them. Every
# payload's own rendering is checked alone above; here it is the page around it that is.
PAGE_SHARES = 12


def test_no_payload_survives_on_the_meeting_page_or_in_search(anonymous_client, committee):
    for share in range(PAGE_SHARES):
        payloads = STORABLE_PAYLOADS[share::PAGE_SHARES]
        MeetingFactory(
            committee=committee,
            title=payloads[0][:200],
            minutes="\n\n".join(f"alert {payload}" for payload in payloads),
        )
    for meeting in Meeting.objects.select_related("committee"):
        assert_safe(_main(anonymous_client.get(meeting.get_absolute_url())), page=True)
    assert_safe(_main(anonymous_client.get("/search/?q=alert")), page=True)
    assert_safe(_main(anonymous_client.get("/meetings/")), page=True)


def test_links_in_minutes_get_safe_rel(db, committee):
    meeting = MeetingFactory(committee=committee, minutes="[site](https://example.org)")
    assert 'rel="noopener noreferrer nofollow"' in meeting.minutes_html
