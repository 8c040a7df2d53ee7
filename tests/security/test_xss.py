"""No payload from the XSS corpus, and no generated mix of risky fragments, survives rendering."""

from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mwi.lib.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitize
from tests.factories import CommitteeFactory
from tests.xss_payloads import MARKDOWN, OWASP, PAYLOADS, STORABLE_PAYLOADS

from .html_scan import csp_violations, form_data, is_script_url, parse


def assert_inert(html):
    """The HTML can run nothing: allowlisted tags and attributes only, no script URL."""
    assert "<script" not in html.lower()
    for tag, attributes in parse(html).tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attributes.items():
            assert not name.startswith("on"), (name, html)
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name, html)
            if name in {"href", "src"}:
                assert not is_script_url(value), (value, html)


def test_the_corpus_is_broad():
    assert len(OWASP) >= 80 and len(MARKDOWN) >= 40


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_xss_payload_survives_markdown_rendering(payload):
    assert_inert(render_markdown(payload))
    assert_inert(
        render_markdown(f"Minutes of the call.\n\n{payload} and more.\n\n- item {payload}")
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_xss_payload_survives_sanitizing_raw_html(payload):
    # sanitize() is also used on HTML that did not come from Markdown (the wiki importer's cells).
    assert_inert(sanitize(payload))


def test_a_percent_encoded_scheme_is_only_a_relative_path():
    # Browsers never percent-decode a scheme: this is the path "%6Aavascript:alert(1)".
    href = parse(render_markdown("[x](%6Aavascript:alert(1))")).tags[1][1]["href"]
    assert urlsplit(href).scheme == ""


def test_safe_links_still_work():
    html = render_markdown("[spec](https://example.org/a?b=1) and <https://example.org>")
    assert '<a href="https://example.org/a?b=1"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_a_committee_page_full_of_payloads_is_inert(db, anonymous_client):
    CommitteeFactory(description="\n\n".join(STORABLE_PAYLOADS))
    response = anonymous_client.get("/")
    assert response.status_code == 200
    assert csp_violations(response.content.decode()) == []


def test_a_nul_character_in_a_markdown_field_is_a_form_error(lead_client, committee):
    url = f"/admin/participants/committee/{committee.pk}/change/"
    data = form_data(lead_client.get(url).content.decode())
    response = lead_client.post(url, {**data, "description": "<IMG SRC=java\x00script:alert(1)>"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


# --- property tests ----------------------------------------------------------------------
RISKY = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href=\"", "javascript:",
    "JaVaScRiPt:", "java\tscript:", "&#106;avascript:", "&#x6A;", "%6Aavascript:", "vbscript:",
    "data:text/html,", "onmouseover=", " onload=", "\"", "'", "`", "<", ">", "/>", "=", "&",
    "&amp;", "&#0000106", "&colon;", "[x](", ")", "[x][1]\n\n[1]: ", "<javascript:alert(1)>",
    "![i](", "<svg ", "<math>", "<style>", "style=\"x:expression(1)\"", "<!--", "-->", "\x00",
    "\n\n", "\n", "    ", "| a |\n|---|\n| ", "> ", "* ", "```", "<a href=javascript:1>", "</a>",
    "<p ", "<table background=javascript:1>", "<iframe src=", "http://example.org", "mailto:x",
    "&lt;script&gt;", "&#60;script&#62;", "<scr<script>ipt>", "<<", "\\", "**", "@[",
]  # fmt: skip
risky_text = st.lists(
    st.one_of(st.sampled_from(RISKY), st.text(max_size=8)), min_size=1, max_size=25
).map("".join)
# Every fragment alone, and each inside its neighbours (an opener before a closer, a scheme
# after a quote ...): each kind is checked on every run, whatever the generated mixes hit.
FRAGMENT_MIXES = [
    *RISKY,
    *(f"{RISKY[i - 1]}{fragment}{RISKY[(i + 1) % len(RISKY)]}" for i, fragment in enumerate(RISKY)),
]
# Derandomised: the same few hundred mixes on every run and machine (a failure reproduces);
# together with the fixed mixes above they cover what 2,000 random ones did, in a tenth.
PROPERTY = settings(
    max_examples=250,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def assert_rendering_is_clean(text):
    html = render_markdown(text)
    assert_inert(html)
    # What we store is already clean: cleaning it again changes nothing.
    assert sanitize(html) == html


def assert_sanitizing_is_idempotent(text):
    once = sanitize(text)
    assert sanitize(once) == once
    assert_inert(once)


def test_every_risky_fragment_alone_and_between_its_neighbours_is_clean():
    for text in FRAGMENT_MIXES:
        assert_rendering_is_clean(text)
        assert_sanitizing_is_idempotent(text)


@PROPERTY
@given(risky_text)
def test_rendering_never_outputs_a_handler_or_a_script_url(text):
    assert_rendering_is_clean(text)


@PROPERTY
@given(risky_text)
def test_sanitizing_twice_equals_sanitizing_once(text):
    assert_sanitizing_is_idempotent(text)
