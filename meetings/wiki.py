"""Reading a committee's wiki page (a Confluence export: Markdown text with HTML table cells).

Pure functions, no database: `parse_page(data)` returns a `WikiPage` whose parts carry the
line they came from, and `convert_minutes(cell, is_person)` turns one minutes cell into
Markdown plus the recordings and materials it talks about. Anything the reader cannot make
sense of (a malformed table, an impossible date, a link that is not an http or https URL)
raises `mwi.lib.importing.InputError(line, message)`, so the importer names the line and stops
before it writes anything.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

from mwi.lib.importing import InputError, clean_url

from .models import Weekday


@dataclass(frozen=True)
class Cadence:
    """A cadence sentence such as "Every 4 weeks on Thursday, 10am EST" understood as a rule."""

    text: str
    interval_weeks: int
    weekday: int  # Monday = 0, as datetime.date.weekday()
    start_time: dt.time
    time_zone: str
    zone_text: str  # what the page wrote ("EST"), to explain the choice of time_zone


@dataclass(frozen=True)
class Participant:
    line: int
    name: str
    affiliation: str
    email: str
    lf_id: str


@dataclass(frozen=True)
class MeetingRow:
    line: int
    date: dt.date
    cell: str  # the minutes cell's HTML, "" when the wiki has no minutes for that day


@dataclass
class WikiPage:
    name: str
    overview: str = ""
    mailing_list_url: str = ""
    calendar_url: str = ""
    chat_url: str = ""
    shared_doc_url: str = ""
    join_url: str = ""
    cadence_text: str = ""
    cadence: Cadence | None = None
    roster_note: str = ""
    lead: str = ""
    lead_spellings: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    meetings: list = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The page


HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
MD_LINK_RE = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)")
ANGLE_URL_RE = re.compile(r"<([a-z][a-z0-9+.-]*:[^>\s]*)>", re.IGNORECASE)  # <scheme:...>
MEETINGS_HEADER = ("date", "minutes")
PARTICIPANTS_HEADER = ("name", "affiliation", "email")


def parse_page(data):
    """Read the bytes (or text) of a wiki page export into a WikiPage."""
    text = _decode(data)
    lines = text.splitlines()
    headings = [
        (number, len(m[1]), m[2])
        for number, line in enumerate(lines, 1)
        if (m := HEADING_RE.match(line))
    ]
    if not headings or headings[0][1] != 1:
        raise InputError(
            headings[0][0] if headings else 1,
            "this is not a wiki page export: it should start with a '# Committee name' heading",
        )
    page = WikiPage(name=headings[0][2])
    sections = _sections(lines, headings)

    overview = _section(sections, "overview")
    page.overview = "\n".join(line for _, line in overview).strip()
    for number, line in _section(sections, "mailing list"):
        if url := _first_url(line, number):
            page.mailing_list_url = url
            break
    _read_meetings_section(page, _section(sections, "meetings"))
    for number, line in _section(sections, "slack channel and shared document"):
        for label, href in MD_LINK_RE.findall(line):
            words = f"{line} {label}".casefold()
            url = _real_url(href, number)
            if "slack" in words or "chat" in words or "channel" in words:
                page.chat_url = page.chat_url or url
            elif "document" in words or "doc" in words:
                page.shared_doc_url = page.shared_doc_url or url

    table_start = _find_table(lines, MEETINGS_HEADER)
    if table_start is None:
        raise InputError(
            len(lines) or 1,
            "this is not a wiki page export: no meetings table (a 'Date<TAB>Minutes' line) found",
        )
    page.meetings = _meeting_rows(lines, table_start)
    _read_participants(page, lines, headings)
    return page


def _decode(data):
    if isinstance(data, str):
        return data
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            line, f"the file is not UTF-8 text (byte {data[error.start]:#04x} cannot be decoded)"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(line, "this is not a text file (it contains NUL bytes)")
    return text


def _sections(lines, headings):
    """{normalized heading: [(line number, text), ...]} for each heading's body."""
    sections = {}
    bounds = [*headings, (len(lines) + 1, 0, "")]
    for (start, _level, title), (end, _, _) in zip(bounds, bounds[1:], strict=False):
        key = re.sub(r"[\s:\-–]+$", "", title).strip().casefold()
        # The first section of a name wins ("## Meetings" before "## Meetings -").
        sections.setdefault(key, [(n, lines[n - 1]) for n in range(start + 1, end)])
    return sections


def _section(sections, name):
    return sections.get(name, [])


def _first_url(line, number):
    for m in ANGLE_URL_RE.finditer(line):
        if url := _real_url(m[1], number):
            return url
    for _, href in MD_LINK_RE.findall(line):
        if url := _real_url(href, number):
            return url
    return ""


SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _real_url(href, line=None):
    """The URL an href of the page leads to, checked as the admin checks URLs (http and https).

    "" for what leads nowhere: the wiki's placeholder links ("#"), links without a scheme
    (their words stay, the link goes) and mailto: links (addresses are not links here).
    An href with any other scheme (javascript:, data:, ftp:) or a malformed http(s) URL raises
    InputError naming `line`.
    """
    href = (href or "").strip()
    if not SCHEME_RE.match(href) or href.casefold().startswith("mailto:"):
        return ""
    return clean_url(href, line=line, field="link")


def _check_links(cell, line):
    """Refuse a minutes cell with a link that is neither a placeholder nor an http(s) URL."""
    for anchor in BeautifulSoup(cell, "html.parser").find_all("a"):
        _real_url(anchor.get("href"), line)


def _unescape_md(text):
    return re.sub(r"\\(.)", r"\1", text)


def _read_meetings_section(page, body):
    for number, line in body:
        stripped = line.strip()
        if not stripped:
            continue
        if not page.cadence_text and re.match(r"(?i)every\b", stripped):
            page.cadence_text = stripped
            page.cadence = parse_cadence(stripped, number)
        for label, href in MD_LINK_RE.findall(line):
            if "calendar" in label.casefold():
                page.calendar_url = _real_url(href, number)
        for m in ANGLE_URL_RE.finditer(line):
            page.join_url = page.join_url or _real_url(m[1], number)


def _find_table(lines, header):
    for number, line in enumerate(lines, 1):
        cells = tuple(cell.strip().casefold() for cell in line.split("\t"))
        if cells[: len(header)] == header:
            return number
    return None


def _meeting_rows(lines, header_line):
    rows, seen = [], {}
    for number in range(header_line + 1, len(lines) + 1):
        line = lines[number - 1]
        if HEADING_RE.match(line):
            break
        if not line.strip():
            continue
        if "\t" not in line:
            raise InputError(
                number,
                f"meetings table row without cells: expected 'date<TAB>minutes', "
                f"found {line.strip()[:60]!r}",
            )
        date_text, cell = line.split("\t", 1)
        day = parse_date(date_text, number)
        if day in seen:
            raise InputError(number, f"a second row for {day} (the first is on line {seen[day]})")
        seen[day] = number
        _check_balanced(cell, number)
        _check_links(cell, number)
        rows.append(MeetingRow(line=number, date=day, cell=cell.strip()))
    if not rows:
        raise InputError(header_line, "the meetings table has no rows")
    return rows


def _read_participants(page, lines, headings):
    heading = next(
        ((n, t) for n, _, t in headings if t.casefold().startswith("participants")), None
    )
    if heading is None:
        return
    number, title = heading
    if m := re.search(r"\((.+)\)", title):
        page.roster_note = (
            "The participants list comes from the wiki page's table, "
            f"marked there as an archive: “{m[1].strip()}”."
        )
    for n in range(number + 1, len(lines) + 1):
        line = lines[n - 1]
        if HEADING_RE.match(line):
            break
        if m := re.match(r"\s*Committee Lead:\s*(.*)$", line):
            links = MD_LINK_RE.findall(m[1])
            plain = MD_LINK_RE.sub("", m[1]).strip()
            page.lead = _unescape_md(links[0][0]).strip() if links else plain
            page.lead_spellings = [s for s in [plain] if s and s != page.lead]
    header = _find_table(lines[number:], PARTICIPANTS_HEADER)
    if header is None:
        return
    for n in range(number + header + 1, len(lines) + 1):
        line = lines[n - 1]
        if HEADING_RE.match(line):
            break
        if not line.strip():
            continue
        cells = [_cell_text(cell) for cell in line.split("\t")]
        if len(cells) < 3:
            raise InputError(
                n,
                f"participants row with {len(cells)} cell{'s' if len(cells) != 1 else ''}: "
                "expected name, affiliation, e-mail and LF ID separated by tabs",
            )
        _check_balanced(line, n)
        cells += [""] * (4 - len(cells))
        name, affiliation, email, lf_id = cells[:4]
        if not name:
            raise InputError(n, "participants row without a name")
        page.participants.append(Participant(n, name, affiliation, email, lf_id))


def _cell_text(cell):
    return " ".join(BeautifulSoup(cell, "html.parser").get_text(" ").split())


# ---------------------------------------------------------------------------------------------
# Dates, names and the cadence


DATE_RE = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")
MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%B").casefold(),
        dt.date(2000, number, 1).strftime("%b").casefold(),
    )
} | {"sept": 9}


def parse_date(text, line):
    """A date written "27 August 2020" or "09 Apr 2020"."""
    text = " ".join(text.split())
    m = DATE_RE.match(text)
    if not m:
        raise InputError(line, f"{text!r} is not a date like '27 August 2020' or '09 Apr 2020'")
    month = MONTHS.get(m[2].casefold())
    if month is None:
        raise InputError(line, f"{text!r}: unknown month {m[2]!r}")
    try:
        return dt.date(int(m[3]), month, int(m[1]))
    except ValueError:
        raise InputError(line, f"{text!r} is not a real date") from None


def name_spellings(name):
    """Other spellings a name implies: "Zhipeng (Howard) Huang" is also "Howard Huang"."""
    m = re.match(r"^(.+?)\s*\((.+?)\)\s*(.+)$", name)
    if not m:
        return []
    return [f"{m[1]} {m[2]} {m[3]}", f"{m[2]} {m[3]}"]


# Abbreviations name a region's civil time, not a fixed offset: "EST" on a US committee's page
# means New York time, EDT in summer included.
ZONES = {
    "est": "America/New_York", "edt": "America/New_York", "et": "America/New_York",
    "eastern": "America/New_York", "cst": "America/Chicago", "cdt": "America/Chicago",
    "ct": "America/Chicago", "mst": "America/Denver", "mdt": "America/Denver",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "utc": "UTC", "gmt": "Europe/London",
    "bst": "Europe/London", "cet": "Europe/Paris", "cest": "Europe/Paris",
}  # fmt: skip
CADENCE_RE = re.compile(
    r"every\s+(?:(?P<n>\d+)\s+weeks?|(?P<other>other)\s+week|week)\s+on\s+"
    rf"(?P<day>{'|'.join(Weekday.names)})s?,?\s+"
    r"(?:at\s+)?(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?\s*"
    r"(?P<zone>[a-z]+)?",
    re.IGNORECASE,
)


def parse_cadence(text, line):
    """Read "Every 4 weeks on Thursday, 10am EST ..." into a Cadence, or None if it says no rule."""
    m = CADENCE_RE.search(text)
    if not m:
        return None
    interval = int(m["n"]) if m["n"] else 2 if m["other"] else 1
    hour, minute = int(m["hour"]), int(m["minute"] or 0)
    if m["ampm"]:
        hour = hour % 12 + (12 if m["ampm"].casefold() == "pm" else 0)
    if not (0 < interval <= 52 and hour < 24 and minute < 60):
        raise InputError(line, f"cannot read the cadence {text!r}")
    zone_text = m["zone"] or ""
    return Cadence(
        text=text,
        interval_weeks=interval,
        weekday=Weekday[m["day"].upper()],
        start_time=dt.time(hour, minute),
        time_zone=ZONES.get(zone_text.casefold(), ""),
        zone_text=zone_text if zone_text.casefold() in ZONES else "",
    )


def rhythm(dates, interval_weeks, weekday):
    """The dates that fall on the cadence's rhythm: its occurrences, the rest being one-offs.

    Among the dates on the cadence's weekday, those N weeks apart (any multiple of N) share a
    phase; the phase with the most dates is where the series ran, and it starts at the first
    of them. Fewer than two dates on any phase is no evidence of a series: an empty list.
    """
    period = 7 * interval_weeks
    phases = {}
    for day in sorted(dates):
        if day.weekday() == weekday:
            phases.setdefault(day.toordinal() % period, []).append(day)
    best = max(phases.values(), key=lambda days: (len(days), days[-1]), default=[])
    return best if len(best) >= 2 else []


# ---------------------------------------------------------------------------------------------
# Minutes cells


DEBRIS_RE = re.compile(r"^\s*(?:[•◦▪‣·]|\d{1,2}[.)]|[a-z][.)])\s+")
RECORDING_FILE_RE = re.compile(
    r"(?:recording\s+)?(?P<name>[^\s<>][^<>\n]*?\.(?P<ext>mp4|m4a|mp3|webm|mov|mkv))\b",
    re.IGNORECASE,
)
RECORDED_RE = re.compile(r"\bcall was recorded\b", re.IGNORECASE)
RECORDING_LINK_RE = re.compile(r"\b(?:the record|recording)\b", re.IGNORECASE)
CHAT_LINK_RE = re.compile(r"\bchat\b", re.IGNORECASE)
SLIDES_LINK_RE = re.compile(r"\b(?:deck|slides?|presentation|results?)\b", re.IGNORECASE)
SLIDES_CONTEXT_RE = re.compile(r"\b(?:deck|slides?|presentation)\b[^.]*$", re.IGNORECASE)
AUDIO_EXTENSIONS = {"m4a", "mp3"}


@dataclass(frozen=True)
class Attachment:
    """A recording or material a minutes cell talks about; url is "" when the page has none."""

    kind: str  # "recording", or a Material kind: "slides", "chat"
    title: str
    url: str = ""
    file_name: str = ""
    media: str = "video"  # for recordings: "video" or "audio"


@dataclass
class Minutes:
    markdown: str
    attachments: list
    mentions: list  # linked texts that became @[...] mentions
    unlinked: list  # (text, what it became: "" or an attachment kind) for links kept as text


class _MinutesConverter(MarkdownConverter):
    """HTML to Markdown that loses no character of the text, table cells included.

    Text is escaped for Markdown (escape_misc: `\\ & < > [ ] ` ~ = + |`, line-start `#`, `-`
    and `1.`; `*` and `_` always). In a table row a cell's every `|` gets one more backslash,
    since the table reader takes one off before splitting (code spans included). A table
    inside a cell cannot be a Markdown table: its cells become the outer cell's words.
    """

    def __init__(self, **options):
        super().__init__(escape_misc=True, **options)

    @staticmethod
    def _in_cell(parent_tags):
        return bool({"td", "th"} & set(parent_tags))

    def convert_table(self, el, text, parent_tags):
        if self._in_cell(parent_tags):
            return f" {text} "
        return super().convert_table(el, text, parent_tags)

    def convert_tr(self, el, text, parent_tags):
        if self._in_cell(parent_tags):
            return f" {text} "
        return super().convert_tr(el, text, parent_tags)

    def convert_td(self, el, text, parent_tags):
        if self._in_cell(parent_tags):
            return f" {text} "
        return super().convert_td(el, text.replace("|", "\\|"), parent_tags)

    convert_th = convert_td

    def convert_a(self, el, text, parent_tags):
        if el.has_attr("data-mention"):
            return f"@[{el['data-mention']}]"
        if not _real_url(el.get("href")):
            return text  # a placeholder link: its words stay, the "#" goes
        return super().convert_a(el, text, parent_tags)


def _preceding_text(anchor, limit=80):
    parts = []
    for sibling in anchor.previous_siblings:
        parts.insert(0, sibling.get_text() if hasattr(sibling, "get_text") else str(sibling))
        if sum(map(len, parts)) >= limit:
            break
    return "".join(parts)[-limit:]


def convert_minutes(cell, is_person):
    """Turn a minutes cell's HTML into Markdown and the attachments it mentions.

    is_person(text) says whether a linked text names a known person: it becomes an @[text]
    mention. Placeholder links ("#") keep their words as plain text; real links stay links.
    """
    if not cell.strip():
        return Minutes("", [], [], [])
    soup = BeautifulSoup(cell, "html.parser")
    for wrapper in soup.find_all(attrs={"data-bbox": True}):
        wrapper.unwrap()  # layout boxes from the wiki's editor
    for item in soup.find_all("li"):
        _strip_debris(item)

    attachments, mentions, unlinked = [], [], []
    for anchor in soup.find_all("a"):
        text = " ".join(anchor.get_text(" ").split())
        url = _real_url(anchor.get("href"))
        if text and is_person(text):
            anchor["data-mention"] = text
            mentions.append(text)
            continue
        attachment = _classify_link(text, url, _preceding_text(anchor))
        if attachment:
            attachments.append(attachment)
        if not url:
            unlinked.append((text, attachment.kind if attachment else ""))

    for string in soup.find_all(string=RECORDING_FILE_RE):
        for m in RECORDING_FILE_RE.finditer(string):
            name = " ".join(m["name"].split())
            media = "audio" if m["ext"].casefold() in AUDIO_EXTENSIONS else "video"
            attachments.append(Attachment("recording", "Recording of the call", "", name, media))
    plain = soup.get_text(" ")
    if RECORDED_RE.search(plain) and not any(a.kind == "recording" for a in attachments):
        attachments.append(Attachment("recording", "Recording of the call"))

    markdown = _MinutesConverter(bullets="-", heading_style="ATX").convert_soup(soup)
    return Minutes(markdown.strip(), _dedupe(attachments), mentions, unlinked)


def _strip_debris(item):
    """Drop the "•", "◦", "▪", "1." and "a." typed into items of lists styled without markers."""
    style = (item.parent.get("style") or "") if item.parent else ""
    if "list-style-type: none" not in style.replace("  ", " "):
        return
    for string in item.find_all(string=True):
        if string.strip():
            cleaned = DEBRIS_RE.sub("", string, count=1)
            if cleaned != string:
                string.replace_with(cleaned)
            return


def _classify_link(text, url, before):
    if RECORDING_LINK_RE.search(text):
        return Attachment("recording", "Recording of the call", url)
    if CHAT_LINK_RE.search(text):
        return Attachment("chat", "Chat of the call", url)
    if SLIDES_LINK_RE.search(text):
        return Attachment("slides", text[:1].upper() + text[1:], url)
    if text.casefold() in {"here", "link"} and SLIDES_CONTEXT_RE.search(before):
        # "Deck presented is available here": the sentence names the thing.
        title = " ".join(before.split()).strip(" :(")
        return Attachment("slides", title[:1].upper() + title[1:] if title else "Slides", url)
    return None


def _dedupe(attachments):
    """One recording per call unless files are named; one material per kind and title."""
    named_files = any(a.kind == "recording" and a.file_name for a in attachments)
    kept = {}
    for attachment in attachments:
        if attachment.kind == "recording" and named_files and not attachment.file_name:
            continue  # "Call was recorded" next to the file's name: the same recording
        key = (attachment.kind, attachment.file_name or attachment.title)
        # A later mention may carry the link the first one lacked.
        if key not in kept or (attachment.url and not kept[key].url):
            kept[key] = attachment
    return list(kept.values())


class _BalanceChecker(HTMLParser):
    VOID = {"br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass


def _check_balanced(html, line):
    """A cell whose tags are not all closed was cut off: the table is truncated."""
    checker = _BalanceChecker()
    checker.feed(html)
    checker.close()
    if checker.open or checker.rawdata.strip():
        tag = checker.open[-1] if checker.open else "a tag"
        raise InputError(
            line,
            f"the cell ends inside <{tag}>: the table looks truncated (a row cut off mid-way)",
        )
