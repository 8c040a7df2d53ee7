"""No participant's e-mail address is in any public response, in any spelling."""

import html
import re
from collections import deque
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.test import Client

from participants.models import Person
from tests.conftest import MODEL_BACKEND
from tests.factories import MembershipFactory, PersonFactory, UserFactory

from ..pages import file_pages
from .html_scan import links

MAX_PAGES = 400
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/")


def _spellings(address):
    """A pattern matching the address written plainly or obfuscated ("ada at example dot org")."""
    local, domain = address.lower().split("@", 1)
    at = r"\s*(?:@|[\[\(\{<]?\s*\bat\b\s*[\]\)\}>]?)\s*"
    dot = r"\s*(?:\.|[\[\(\{<]?\s*\bdot\b\s*[\]\)\}>]?)\s*"
    return re.compile(re.escape(local) + at + dot.join(map(re.escape, domain.split("."))))


def _decoded(body):
    """The body as a harvester would read it: entities, %xx and JSON escapes undone."""
    text = body
    for _ in range(2):
        text = unquote(html.unescape(text))
    return text.replace("\\u0040", "@").replace("\\u002e", ".").lower()


def _leaks(body, patterns):
    text = _decoded(body)
    return sorted(address for address, pattern in patterns.items() if pattern.search(text))


def _body(response):
    # Downloads such as map.csv are streamed: read them whole, they are public too.
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", "replace")


def _crawl(client, start_urls, max_pages=MAX_PAGES):
    """BFS over same-host links from the start URLs: {url: (status, body)}."""
    seen, queue, pages = set(start_urls), deque(start_urls), {}
    while queue and len(pages) < max_pages:
        url = queue.popleft()
        response = client.get(url)
        body = _body(response)
        pages[url] = (response.status_code, body)
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in links(body):
            parts = urlsplit(urljoin(url, href))
            if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and not target.startswith(SKIP_PREFIXES):
                seen.add(target)
                queue.append(target)
    return pages


@pytest.fixture
def addresses(demo):
    """{address: pattern of its spellings} of every e-mail address on the demo roster."""
    addresses = {p.email.lower() for p in Person.objects.exclude(email="")}
    assert len(addresses) >= 10, "the demo roster should have e-mail addresses to look for"
    return {address: _spellings(address) for address in addresses}


def test_the_spelling_patterns_catch_obfuscated_addresses():
    pattern = {"ada@example.org": _spellings("ada@example.org")}
    for spelling in [
        "ada@example.org",
        "ADA@Example.ORG",
        "ada&#64;example.org",
        "ada&#x40;example&#46;org",
        "ada%40example.org",
        "mailto:ada%40example%2Eorg",
        "ada at example dot org",
        "ada [at] example [dot] org",
        "ada (at) example(dot)org",
        "ada\\u0040example.org",
    ]:
        assert _leaks(f"<p>{spelling}</p>", pattern) == ["ada@example.org"], spelling
    assert _leaks("<p>Ada at Example, a dot org company</p>", pattern) == []


def test_no_public_page_reachable_from_home_shows_an_e_mail_address(addresses):
    pages = _crawl(Client(), ["/"])
    assert len(pages) > 20, f"the crawler found only {len(pages)} pages: {list(pages)}"
    leaks = {url: _leaks(body, addresses) for url, (_status, body) in pages.items()}
    assert {url: found for url, found in leaks.items() if found} == {}
    broken = {url: status for url, (status, _body) in pages.items() if status >= 500}
    assert broken == {}


def test_no_feed_and_no_error_page_shows_an_e_mail_address(addresses):
    client = Client()
    feeds = [url for _label, url in file_pages()]  # feeds, .ics, CSV, JSON, SVG
    urls = [*feeds, "/no-such-page/", "/people/no-such-person/", "/accounts/login/"]
    for url in urls:
        assert _leaks(_body(client.get(url)), addresses) == [], url


def test_a_member_of_the_committee_sees_the_addresses(addresses):
    person = Person.objects.exclude(email="").filter(memberships__isnull=False).first()
    viewer = UserFactory(username="viewer")
    committee = person.memberships.first().committee
    MembershipFactory(committee=committee, person=PersonFactory(user=viewer))
    client = Client()
    client.force_login(viewer, backend=MODEL_BACKEND)
    body = client.get(person.get_absolute_url()).content.decode()
    assert person.email in body
    stranger = UserFactory(username="stranger")
    client.force_login(stranger, backend=MODEL_BACKEND)
    assert person.email not in client.get(person.get_absolute_url()).content.decode()


def test_the_crawler_would_catch_a_leak(addresses):
    from participants.models import Committee

    address = sorted(addresses)[0]
    committee = Committee.objects.get(slug="mwi")
    committee.description = "Write to " + address.replace("@", " (at) ")
    committee.save()
    # The leak is on the first page the crawler reads: a few pages prove it looks.
    pages = _crawl(Client(), ["/"], max_pages=5)
    assert "/" in [url for url, (_s, body) in pages.items() if _leaks(body, addresses)]
