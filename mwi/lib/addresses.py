"""Private addresses stay private wherever someone types them: one rule for every text.

`redact_addresses(text_or_html, reveal=...)` is the rule. It hides **every** e-mail-shaped
address, not only the addresses of known participants: an agenda that says "send slides to
ada@example.org" names someone whose address may not be on file (a guest, a new member, a
typo of a stored address), and a list of known addresses would have to be loaded for every
text and still miss those. Publishing a mailing list's address is the price, and a small one:
committees publish their list's web page instead. An address is hidden in every spelling a
harvester reads: plain, HTML entities (`&#64;`, `&#x40;`, `&commat;`), URL-encoded (`%40`),
JSON-escaped (`\\u0040`) or spelled out ("ada at example dot org", "ada [at] example [dot]
org"). A `mailto:` link is replaced by its (hidden) text, so no dead link remains.

Who may see addresses is decided once per reader, by `may_see_addresses(user)`, and passed in
as `reveal`; every response goes through `AddressRedactionMiddleware`, so pages, search
snippets, downloads (CSV, JSON) and whatever else the site serves follow the same rule. Texts
that leave the site without a reader (the public calendar feed) pass `reveal=False`.
"""

import re

from django.http import FileResponse

HIDDEN = "(e-mail address hidden)"

_AT = r"(?:@|&#0*64;|&#x0*40;|&commat;|%40|\\u0040)"
_DOT = r"(?:\.|&#0*46;|&#x0*2e;|&period;|%2e|\\u002e)"
_LABEL = r"[a-z0-9](?:[\w-]*[a-z0-9])?"
_TLD = r"[a-z]{2,24}(?![\w-])"
# "ada at example dot org", "ada [at] example (dot) org": the words, with optional brackets.
_SPELLED_DOT = r"\s*[\[({<]?\s*\bdot\b\s*[\])}>]?\s*"

# An address is found from its "@" (in any spelling), then read backwards and forwards: a scan
# for the markers is fast, where a pattern starting with the local part is tried at every
# character of a page.
_AT_RE = re.compile(_AT, re.IGNORECASE)
_SPELLED_AT_RE = re.compile(r"\bat\b", re.IGNORECASE)
# Local parts are matched on the reversed text before the "@": written backwards.
_LOCAL_RE = re.compile(r"[\w+-][\w.+'-]*(?::otliam)?", re.IGNORECASE)
_SPELLED_LOCAL_RE = re.compile(r"\s*[\[({<]?\s*[\w+-][\w.+-]*", re.IGNORECASE)
_DOMAIN_RE = re.compile(rf"{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}", re.IGNORECASE)
_SPELLED_DOMAIN_RE = re.compile(
    rf"\s*[\])}}>]?\s*{_LABEL}(?:{_SPELLED_DOT}{_LABEL})*{_SPELLED_DOT}{_TLD}", re.IGNORECASE
)
_MAILTO_LINK_RE = re.compile(
    r"<a\s[^>]*\bhref\s*=\s*[\"']?\s*mailto:[^>]*>(?P<text>.*?)</a\s*>", re.IGNORECASE | re.DOTALL
)
# What a form echoes back is what the reader typed (a search, a user name): left alone.
_FORM_FIELD_RE = re.compile(r"(<input\b[^>]*>|<textarea\b[^>]*>.*?</textarea\s*>)", re.I | re.S)
_LOCAL_MAX = 128


def _spans(text, at_re, local_re, domain_re):
    """(start, end) of the addresses around each match of at_re."""
    spans, last = [], 0
    for at in at_re.finditer(text):
        if at.start() < last:
            continue
        before = text[max(last, at.start() - _LOCAL_MAX) : at.start()][::-1]
        local = local_re.match(before)
        domain = domain_re.match(text, at.end())
        if local and domain:
            spans.append((at.start() - local.end(), domain.end()))
            last = domain.end()
    return spans


def _replace(text, spans):
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], HIDDEN]
        at = end
    return "".join([*out, text[at:]])


def may_see_addresses(user):
    """Whether `user` may read e-mail addresses: today, anyone signed in."""
    return bool(user and user.is_authenticated)


def _redact_text(text):
    if "mailto:" in text:
        text = _MAILTO_LINK_RE.sub(lambda m: _redact_text(m["text"]), text)
    text = _replace(text, _spans(text, _AT_RE, _LOCAL_RE, _DOMAIN_RE))
    lowered = text.lower()
    if "dot" in lowered:
        text = _replace(text, _spans(text, _SPELLED_AT_RE, _SPELLED_LOCAL_RE, _SPELLED_DOMAIN_RE))
    return text


def redact_addresses(text_or_html, *, reveal):
    """`text_or_html` with every e-mail address replaced by HIDDEN, unless `reveal`.

    Plain text and HTML alike (tags are kept; a mailto link becomes its text). In HTML, form
    fields are left as they are: they hold what the reader typed. Costs a scan of the text for
    the "@" in its spellings (about 1 ms for 400 KB of HTML), and more only where one is.
    """
    if reveal or not text_or_html:
        return text_or_html
    parts = _FORM_FIELD_RE.split(text_or_html)
    return "".join(part if i % 2 else _redact_text(part) for i, part in enumerate(parts))


_TEXT_TYPES = {
    "text/html", "text/plain", "text/csv", "text/calendar", "text/xml", "text/markdown",
    "application/json", "application/xml", "application/rss+xml", "application/atom+xml",
    "image/svg+xml", "application/javascript", "text/javascript",
}  # fmt: skip


def _redacted_stream(chunks, charset):
    """Redact a streamed text body line by line (an address never spans lines)."""
    pending = ""
    for chunk in chunks:
        pending += chunk.decode(charset, "replace") if isinstance(chunk, bytes) else chunk
        cut = pending.rfind("\n") + 1
        if cut:
            yield redact_addresses(pending[:cut], reveal=False).encode(charset)
            pending = pending[cut:]
    if pending:
        yield redact_addresses(pending, reveal=False).encode(charset)


class AddressRedactionMiddleware:
    """Apply redact_addresses to every text response for a reader who may not see addresses.

    Placed after the authentication middleware (it asks who the reader is) and before the
    page cache (which stores what anonymous readers get). Uploaded files (FileResponse) and
    bodies already compressed by a view are served as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if may_see_addresses(getattr(request, "user", None)):
            return response
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if (
            content_type not in _TEXT_TYPES
            or response.has_header("Content-Encoding")
            or isinstance(response, FileResponse)
        ):
            return response
        charset = response.charset or "utf-8"
        if response.streaming:
            response.streaming_content = _redacted_stream(response.streaming_content, charset)
            return response
        body = response.content.decode(charset, "replace")
        redacted = redact_addresses(body, reveal=False)
        if redacted != body:
            response.content = redacted.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
