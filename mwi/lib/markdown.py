"""Markdown to sanitized HTML, for every Markdown field of the site, with mentions.

Rendering happens when an object is saved (see the models), never per request. The output is
cleaned by nh3 with an allowlist: whatever the Markdown (or raw HTML inside it) says, only
these tags, these attributes and http/https/mailto links come out, and every link gets
rel="noopener noreferrer nofollow". Bare http(s) URLs and e-mail addresses become links
(linkify-it, without guessing links from names such as "model.pt" or "README.md").

Mentions (`@[Any Name]`, `@some-slug`) belong to the text, not to the Markdown syntax: they are
found on markdown-it's token stream, in text tokens only. So a mention is never read inside a
code span or block, a link (its target, its text, an autolink, a bare URL), an e-mail address,
an image or an HTML tag typed into the text, and an escaped `\\@` is not a mention. What a
mention links to is the caller's business (meetings.mentions resolves them): this module only
finds them (`mentions_in`) and renders the links it is given (`render`), in the same pass that
says which mentions it linked and which names matched nothing.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.token import Token

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

# `@[Any Name]` or `@slug`, matched inside one text token's content (never the raw source).
# Not after a word character or a character that joins words into a path, an address or a
# handle (`medium.com/@jessica-kim`, `a@b`, `x=@y`); a slug does not run on into a path or a
# file name (`@tensorflow/tfjs`, `@scope.js`).
MENTION_RE = re.compile(
    r"(?<![\w@./:+=?&%#~\\-])@(?:\[(?P<name>[^\[\]\n]{1,200})\]"
    r"|(?P<slug>[a-z0-9][a-z0-9-]{1,98}[a-z0-9])(?![\w/@-]|\.\w))"
)


@dataclass(frozen=True)
class Mention:
    """A mention as written: `@[text]` (by_name=True) or `@text`, a slug (by_name=False)."""

    text: str
    by_name: bool


@dataclass(frozen=True)
class Link:
    """Where a mention leads: its URL and, for a slug, the label shown (a name: the text)."""

    url: str
    label: str = ""


@dataclass
class Rendered:
    """One rendering: the HTML, the mentions that became links (in order, each once) and the
    names written `@[...]` that matched nothing (sorted, each once; shown as plain text)."""

    html: str
    linked: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)


# html=False: raw HTML in the source is shown as text, not interpreted. Headings are shifted
# so that a "# Title" in minutes never competes with the page's own <h1>.
def _parser(*, linkify):
    md = MarkdownIt("commonmark", {"html": False, "linkify": linkify, "typographer": False})
    md.enable(["table", "strikethrough", *(["linkify"] if linkify else [])])
    if linkify:
        # Links only where a scheme says so: "model.pt", "setup.py" and "README.md" end in
        # country codes, and technical minutes are full of such names.
        md.linkify.set({"fuzzy_link": False, "fuzzy_ip": False})
    md.core.ruler.before("text_join", "mentions", _mention_rule)
    return md


def _mention_rule(state):
    """Core rule: find (and, given links, link) the mentions in the inline text tokens.

    Runs after linkify, so bare URLs and e-mail addresses are links already, and before
    text_join, so an escaped `\\@` is still its own token and begins no mention.
    """
    env = state.env
    links = env.get("links")
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            if token.type == "text" and depth == 0 and "@" in token.content:
                children.extend(_split_mentions(token, env, links))
            else:
                children.append(token)
        block.children = children


_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _spans_outside_html(text):
    """[(start, end)] of `text` outside HTML typed as text: its tags and what they enclose.

    Tags are recognised by markdown-it's own pattern for raw HTML; the source is shown as text
    (html=False), and what it says is not the author's prose.
    """
    spans, at, open_tags = [], 0, []
    for tag in HTML_TAG_RE.finditer(text):
        if not open_tags:
            spans.append((at, tag.start()))
        at = tag.end()
        name = _TAG_NAME.match(tag.group(0))
        if not name or tag.group(0).endswith("/>") or name[2].lower() in _VOID_TAGS:
            continue
        if name[1]:
            if name[2].lower() in open_tags:
                while open_tags.pop() != name[2].lower():
                    pass
        else:
            open_tags.append(name[2].lower())
    if not open_tags:
        spans.append((at, len(text)))
    return spans


def _split_mentions(token, env, links):
    text, out, done = token.content, [], 0

    def text_token(content):
        piece = Token("text", "", 0, content=content, level=token.level)
        out.append(piece)

    for start, end in _spans_outside_html(text):
        for match in MENTION_RE.finditer(text, start, end):
            mention = Mention(match["name"] or match["slug"], bool(match["name"]))
            if mention.by_name:
                mention = Mention(" ".join(mention.text.split()), True)
                if not mention.text:
                    continue
            env["mentions"].setdefault(mention, None)
            if links is None:
                continue
            link = links.get(mention)
            if link is None and not mention.by_name:
                continue  # an unknown @word stays as written
            text_token(text[done : match.start()])
            done = match.end()
            if link is None:
                env["unmatched"].add(mention.text)
                text_token(mention.text)
                continue
            env["linked"].setdefault(mention, None)
            opening = Token("link_open", "a", 1, attrs={"href": link.url}, level=token.level)
            out.append(opening)
            text_token(mention.text if mention.by_name else link.label or mention.text)
            out.append(Token("link_close", "a", -1, level=token.level))
    if done == 0:
        return [token]
    text_token(text[done:])
    return [piece for piece in out if piece.type != "text" or piece.content]


# Linkify doubles the parsing time; a text without "//" or "@" has nothing for it to find.
_md = _parser(linkify=True)
_md_without_links = _parser(linkify=False)


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


def _parse(text, links):
    env = {"links": links, "mentions": {}, "linked": {}, "unmatched": set()}
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    md = _md if "//" in text or "@" in text else _md_without_links
    return md.parse(text, env), env


def mentions_in(*texts):
    """The mentions written in Markdown texts, in text only: a set of Mention."""
    found = set()
    for text in texts:
        if text and "@" in text:
            found.update(_parse(text, None)[1]["mentions"])
    return found


def render(text, links=None):
    """Render Markdown into sanitized HTML, linking the mentions that `links` knows.

    links: {Mention: Link}, or None to leave mentions as written (fields without mentions).
    With links, a name that matches nothing is shown as plain text (`@[Ann]` reads "Ann")
    and listed in `unmatched`; an unknown `@slug` stays as written. Empty text gives "".
    """
    if not text or not text.strip():
        return Rendered("")
    tokens, env = _parse(text, links)
    _shift_headings(tokens)
    html = sanitize(_md.renderer.render(tokens, _md.options, env))  # one renderer for both
    return Rendered(html, list(env["linked"]), sorted(env["unmatched"]))


def render_markdown(text):
    """Render Markdown text into sanitized HTML (an empty string for empty text)."""
    return render(text).html


_BLOCKS = {
    "p", "br", "li", "tr", "td", "th", "pre", "blockquote", "hr", "ul", "ol", "table",
    "h1", "h2", "h3", "h4", "h5", "h6", "div",
}  # fmt: skip


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, [])

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html):
    """The text a reader sees in an HTML fragment, whitespace collapsed (blocks end in a space).

    For snippets of rendered Markdown: no Markdown syntax, mentions as the names they show.
    """
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return " ".join("".join(parser.parts).split())
