"""What an announcement says: subject, plain text, HTML and the meeting's .ics.

The contents are read when the message is sent (or previewed), so a message that waited for a
retry tells the meeting as it is then. Join details follow the committee's visibility for its
mailing list (participants.access.MAILING_LIST: list archives are public); e-mail addresses
typed into agendas and minutes are hidden as on public pages (mwi.lib.addresses). The .ics is
the calendar feed's own VEVENT of the meeting (meetings.ical.document.meeting_bytes): same UID,
SEQUENCE and RECURRENCE-ID, so a client that imports it updates its subscribed copy.
"""

import dataclasses
import datetime as dt
import re
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from meetings.ical.document import meeting_bytes
from meetings.occurrences import join_url_for
from meetings.templatetags.meeting_time import format_local
from mwi.lib.addresses import redact_addresses
from mwi.lib.markdown import MENTION_RE, plain_text
from participants import access

from .models import Kind

# How much of the minutes the minutes announcement quotes as its summary (characters).
SUMMARY_CHARS = 600
# Relative links in rendered Markdown (mentions link to /people/<slug>/): made absolute.
_RELATIVE_HREF_RE = re.compile(r'href="/(?!/)')


@dataclasses.dataclass(frozen=True)
class Content:
    """One message's parts: `ics` is the .ics bytes, or None (minutes carry none)."""

    subject: str
    text: str
    html: str
    ics: bytes | None


def _absolute_links(html, base_url):
    return _RELATIVE_HREF_RE.sub(f'href="{base_url}/', html)


def _plain_markdown(text):
    """Markdown source as plain text: mentions as the names they show, CR/LF normalised."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return MENTION_RE.sub(lambda m: m["name"] or m[0], text)


def _summary(html):
    text = plain_text(html)
    if len(text) <= SUMMARY_CHARS:
        return text
    head = text[:SUMMARY_CHARS]
    return head[: head.rfind(" ")].rstrip() + " …"


def _when(meeting):
    tz = meeting.tz
    local_end = meeting.end.astimezone(tz)
    utc_start, utc_end = meeting.start.astimezone(dt.UTC), meeting.end.astimezone(dt.UTC)
    return {
        "local": f"{format_local(meeting.start, tz)} – {local_end:%H:%M} ({tz.key})",
        "utc": f"{utc_start:%a} {utc_start.day} {utc_start:%b %Y}, "
        f"{utc_start:%H:%M}–{utc_end:%H:%M} UTC",
    }


def subject_of(meeting, kind):
    committee = meeting.committee
    name = committee.short_name or committee.name
    local = meeting.start.astimezone(meeting.tz)
    day = f"{local:%a} {local.day} {local:%b %Y}"
    title = meeting.topic or meeting.title
    return {
        Kind.AGENDA: f"[{name}] Agenda: {title}, {day}",
        Kind.MINUTES: f"[{name}] Minutes: {title}, {day}",
        Kind.CHANGE: f"[{name}] New time: {title}, now {day}",
        Kind.CANCELLATION: f"[{name}] Cancelled: {title}, {day}",
    }[kind]


def compose(meeting, kind, base_url):
    """The Content of the `kind` announcement of `meeting` (committee and series loaded).

    `base_url`: the site's address without a trailing slash (mwi.lib.site.site_url). Queries:
    the recordings (the .ics), and for minutes the decisions and action items with owners.
    """
    committee = meeting.committee
    series = meeting.series if meeting.series_id else None
    page = base_url + meeting.get_absolute_url()
    feed = base_url + reverse("calendar:committee_feed", args=[committee.slug])
    context = {
        "kind": kind,
        "committee": committee,
        "meeting": meeting,
        "title": meeting.topic or meeting.title,
        "when": _when(meeting),
        "page_url": page,
        "committee_url": base_url + committee.get_absolute_url(),
        "feed_url": feed,
        "webcal_url": "webcal://" + feed.split("://", 1)[1],
        "mailing_list_url": committee.mailing_list_url,
        "join_url": ""
        if meeting.is_cancelled
        else join_url_for(committee, access.MAILING_LIST, meeting, series),
        "join_hidden": False,
        "agenda_text": "",
        "agenda_html": "",
        "summary": "",
        "decisions": [],
        "action_items": [],
    }
    if not context["join_url"] and not meeting.is_cancelled:
        context["join_hidden"] = bool(join_url_for(committee, access.FOUNDATION_STAFF, meeting))
    ics = None
    if kind == Kind.MINUTES:
        context["summary"] = _summary(meeting.minutes_html)
        context["decisions"] = [d.text for d in meeting.decisions.all()]
        context["action_items"] = list(meeting.action_items.select_related("owner"))
    else:
        context["agenda_text"] = _plain_markdown(meeting.agenda)
        context["agenda_html"] = _absolute_links(meeting.agenda_html, base_url)
        ics = meeting_bytes(meeting, base_url)
    text = render_to_string("announcements/message.txt", context)
    html = render_to_string("announcements/message.html", context)
    return Content(
        subject=subject_of(meeting, kind),
        # The list's archive is public: addresses typed into the texts are hidden.
        text=redact_addresses(text, reveal=False),
        html=redact_addresses(html, reveal=False),
        ics=ics,
    )


def sender(committee):
    """`"<committee name>" <DEFAULT_FROM_EMAIL's address>`."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((committee.name, address or settings.DEFAULT_FROM_EMAIL))


def message_domain():
    """The domain of Message-IDs: DEFAULT_FROM_EMAIL's."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def email_message(row, content, *, thread_id=None):
    """The EmailMultiAlternatives of an Announcement row with its Content: the row's
    Message-ID, From the committee, To the list, Reply-To the committee's if set, and
    In-Reply-To/References the agenda announcement's Message-ID (`thread_id`) if any."""
    committee = row.meeting.committee
    headers = {"Message-ID": row.message_id}
    if thread_id and thread_id != row.message_id:
        headers |= {"In-Reply-To": thread_id, "References": thread_id}
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=content.text,
        from_email=sender(committee),
        to=[row.to],
        reply_to=[committee.announce_reply_to] if committee.announce_reply_to else None,
        headers=headers,
    )
    message.attach_alternative(content.html, "text/html")
    if content.ics is not None:
        message.attach("meeting.ics", content.ics.decode(), "text/calendar")
    return message
