"""A meeting's topic: what tells it apart from the other meetings of its committee.

The title when the lead gave one; otherwise the first heading, or else the first sentence, of
its agenda or (public) minutes, as plain text of at most TOPIC_LENGTH characters. Imported
meetings are all titled "<committee> meeting", so without this every list shows the same name.
"""

import html
import re

from django.utils.html import strip_tags

TOPIC_LENGTH = 80
# The heading under which a new agenda lists the open action items (meetings.agenda).
OPEN_ITEMS_HEADING = "Open action items"

_OPEN_ITEMS = re.compile(rf"<h[1-6][^>]*>\s*{OPEN_ITEMS_HEADING}\s*</h[1-6]>", re.I)
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S | re.I)
_BLOCK = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|div|br)\b[^>]*>", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9@])")
# Lines that say nothing about the meeting's subject: recording notes and list introductions.
_BOILERPLATE = re.compile(
    r"^(?:(?:the )?call was recorded|(?:and )?this is the (?:record|chat)|recording\b|"
    r"agenda(?: for the meeting)?:?$|minutes:?$)",
    re.I,
)


def _clean(text):
    return " ".join(html.unescape(strip_tags(text)).split())


def shorten(text, limit=TOPIC_LENGTH):
    """`text` cut at a word boundary to at most `limit` characters, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return f"{cut}…"


def first_line_of(rendered_html, ignore=()):
    """The first heading of sanitized HTML, else its first telling sentence; "" if none.

    Blocks whose text is in `ignore` (casefolded: the committee's agenda template) are skipped,
    and so is everything from the "Open action items" heading the agenda carries over on.
    """
    rendered_html = _OPEN_ITEMS.split(rendered_html or "", maxsplit=1)[0]
    ignore = {" ".join(line.split()).casefold() for line in ignore}
    for match in _HEADING.finditer(rendered_html):
        text = _clean(match.group(1))
        if text and text.casefold() not in ignore:
            return text
    for block in _BLOCK.split(rendered_html):
        text = _clean(block)
        if not text or text.endswith(":") or text.casefold() in ignore:
            continue
        for sentence in _SENTENCE_END.split(text):
            sentence = sentence.strip()
            if sentence and not _BOILERPLATE.match(sentence):
                return sentence.rstrip(".")
    return ""


def topic_of(title, generic_titles, texts_html, ignore=()):
    """The topic (plain text, <= TOPIC_LENGTH characters) of a meeting.

    `title` wins unless it is one of `generic_titles` (the series' or committee's default
    name); then the first of `texts_html` (rendered agenda, public minutes) that says anything
    beyond the lines of `ignore` (the agenda template).
    """
    title = " ".join((title or "").split())
    generic = {t.casefold() for t in generic_titles if t}
    if title and title.casefold() not in generic:
        return shorten(title)
    for text in texts_html:
        line = first_line_of(text, ignore)
        if line:
            return shorten(line)
    return shorten(title)
