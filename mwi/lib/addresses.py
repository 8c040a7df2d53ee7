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
# The words "at" and "dot" as people write them; literal patterns are searched fast, where a
# case-insensitive \b...\b pattern costs milliseconds per page.
_AT_WORDS = [re.compile(rf"{word}\b") for word in ("at", "AT", "At")]
_DOT_WORDS = [re.compile(rf"{word}\b") for word in ("dot", "DOT", "Dot")]
# Local parts are matched on the reversed text before the "@": written backwards.
_LOCAL_RE = re.compile(r"[\w+-][\w.+'-]*(?::otliam)?", re.IGNORECASE)
_SPELLED_LOCAL_RE = re.compile(r"\s*[\[({<]?\s*[\w+-][\w.+-]*", re.IGNORECASE)
_DOMAIN_RE = re.compile(rf"{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}", re.IGNORECASE)
_SPELLED_DOMAIN_RE = re.compile(
    rf"\s*[\])}}>]?\s*{_LABEL}(?:{_SPELLED_DOT}{_LABEL})*{_SPELLED_DOT}{_TLD}", re.IGNORECASE
)
_LINK_END_RE = re.compile(r"</a\s*>", re.IGNORECASE)
# What a form echoes back is what the reader typed (a search, a user name): left alone.
_FORM_FIELD_RE = re.compile(r"(<input\b[^>]*>|<textarea\b[^>]*>.*?</textarea\s*>)", re.I | re.S)
_LOCAL_MAX = 128


def _find_all(text, needle):
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def _at_signs(text):
    """(start, end) of every "@" in any spelling: found with str.find, which is several times
    faster than a regular expression over a whole page."""
    found = [(at, at + 1) for at in _find_all(text, "@")]
    for needle in ("&#", "&commat;", "&COMMAT;", "%40", "\\u0040", "\\U0040"):
        for at in _find_all(text, needle):
            if match := _AT_RE.match(text, at):
                found.append(match.span())
    return sorted(found)


def _words(text, patterns):
    """(start, end) of the words matched by `patterns`, standing alone (not inside a word)."""
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            at = match.start()
            if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
                found.append(match.span())
    return sorted(found)


def _spans(text, ats, local_re, domain_re):
    """(start, end) of the addresses around each (start, end) of an "@" in `ats`."""
    spans, last = [], 0
    for start, end in ats:
        if start < last:
            continue
        before = text[max(last, start - _LOCAL_MAX) : start][::-1]
        local = local_re.match(before)
        domain = domain_re.match(text, end)
        if local and domain:
            spans.append((start - local.end(), domain.end()))
            last = domain.end()
    return spans


def _replace(text, spans):
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], HIDDEN]
        at = end
    return "".join([*out, text[at:]])


def may_see_addresses(audience):
    """Whether a reader may read e-mail addresses typed in text.

    `audience` is the request's audience (participants.access.Audience, read by attribute so
    the library imports no app): its `may_see_addresses` says it; None means the public."""
    return bool(audience is not None and audience.may_see_addresses)


def _unlink_mailto(text):
    """Each <a href="mailto:..."> link replaced by its text (which is redacted after)."""
    out, done, at = [], 0, text.find("mailto:")
    while at >= 0:
        start = text.rfind("<", done, at)
        opening = text.find(">", at)
        closing = _LINK_END_RE.search(text, opening) if opening >= 0 else None
        in_tag = start >= 0 and text.rfind(">", start, at) < 0
        if in_tag and closing and text[start : start + 3].lower() in {"<a ", "<a\t", "<a\n"}:
            out += [text[done:start], text[opening + 1 : closing.start()]]
            done = closing.end()
        at = text.find("mailto:", max(done, at + 1))
    return "".join([*out, text[done:]])


def _redact_text(text):
    if "mailto:" in text:
        text = _unlink_mailto(text)
    text = _replace(text, _spans(text, _at_signs(text), _LOCAL_RE, _DOMAIN_RE))
    if _words(text, _DOT_WORDS):
        spelled = _spans(text, _words(text, _AT_WORDS), _SPELLED_LOCAL_RE, _SPELLED_DOMAIN_RE)
        text = _replace(text, spelled)
    return text


def redact_addresses(text_or_html, *, reveal):
    """`text_or_html` with every e-mail address replaced by HIDDEN, unless `reveal`.

    Plain text and HTML alike (tags are kept; a mailto link becomes its text). In HTML, form
    fields are left as they are: they hold what the reader typed. Costs a few scans of the
    text for the "@" in its spellings, and more only where one is.
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


def mark_redacted(response):
    """Mark `response` as holding a body already passed through redact_addresses(reveal=False)
    (a document stored redacted when it was built): the middleware does not scan it again,
    which costs milliseconds per megabyte. Returns the response."""
    response.addresses_redacted = True
    return response


class AddressRedactionMiddleware:
    """Apply redact_addresses to every text response for a reader who may not see addresses.

    Placed after the authentication middleware (it asks who the reader is) and before the
    page cache (which stores what anonymous readers get). Uploaded files (FileResponse),
    bodies already compressed by a view and bodies already redacted (mark_redacted) are served
    as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if may_see_addresses(getattr(request, "audience", None)):
            return response
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if (
            content_type not in _TEXT_TYPES
            or response.has_header("Content-Encoding")
            or isinstance(response, FileResponse)
            or getattr(response, "addresses_redacted", False)
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
