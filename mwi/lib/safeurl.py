"""Which URLs the site puts in a link: one rule for Markdown and for every href from data.

Only http, https and mailto (mwi.lib.markdown.URL_SCHEMES, the sanitizer's own list) and
relative URLs are linked. Imported data (landscape files, wiki pages) and typed fields are
validated where they come in; this is the second line of defence, applied when a page is
drawn, for a value that came in some other way (an older import, a raw database edit).
"""

import re

from .markdown import URL_SCHEMES

# What a browser ignores before it reads a URL's scheme (WHATWG URL: leading and trailing C0
# controls and spaces; tabs and newlines anywhere), so "java\tscript:" is read as javascript:.
_EDGES = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def is_linkable(url):
    """Whether `url` (str) may be an href: an http, https or mailto URL, or a relative one."""
    if not isinstance(url, str):
        return False
    text = _TAB_OR_NEWLINE.sub("", url.strip(_EDGES))
    if not text:
        return False
    scheme = _SCHEME.match(text)
    if scheme is None:
        return ":" not in text.split("/", 1)[0]  # relative, and not a scheme in disguise
    return scheme[1].lower() in URL_SCHEMES


def href(url):
    """`url` when is_linkable(url), else "" (a link to nothing rather than to a script)."""
    return url if is_linkable(url) else ""
