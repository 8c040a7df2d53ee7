"""Markdown to sanitized HTML, for every Markdown field of the site.

Rendering happens when an object is saved (see the models), never per request. The output is
cleaned by nh3 with an allowlist: whatever the Markdown (or raw HTML inside it) says, only
these tags, these attributes and http/https/mailto links come out, and every link gets
rel="noopener noreferrer nofollow".
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# html=False: raw HTML in the source is shown as text, not interpreted. Headings are shifted
# so that a "# Title" in minutes never competes with the page's own <h1>.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def sanitize(html):
    """Clean an HTML fragment with the site's allowlist.

    Cleaning can leave markup a browser would re-nest (an <a> inside an <a> once a <table>
    between them is dropped), so it repeats until the output is stable: what is stored is
    exactly what cleaning it again gives (tests/security/test_xss.py checks this property).
    """
    for _ in range(4):
        cleaned = nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
        if cleaned == html:
            break
        html = cleaned
    return cleaned


def _shift_headings(tokens):
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"


def render_markdown(text):
    """Render Markdown text into sanitized HTML (an empty string for empty text)."""
    if not text or not text.strip():
        return ""
    tokens = _md.parse(text.replace("\r\n", "\n").replace("\r", "\n"))
    _shift_headings(tokens)
    return sanitize(_md.renderer.render(tokens, _md.options, {}))
