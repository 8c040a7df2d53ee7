"""Writing announcement rows and sending them, exactly once (see announcements.models).

- `schedule_due_agendas()`: an agenda row for every meeting whose committee has a list and
  which starts within its `announce_days_before` days (occurrences of series included: the
  occurrence gets its Meeting row, as when the lead opens it);
- `record()`: one row of a kind for a meeting, written once (a second call returns the first);
- `send()`: claims an unsent row, hands the message to the SMTP server, marks it sent; a
  failure records the error and the time of the next attempt and raises SendFailed.
"""

import datetime as dt
import logging
import secrets

from django.core.mail import mailers
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from meetings import occurrences
from mwi.lib.site import site_url
from participants.models import Committee

from . import messages
from .models import CHANGES, CLAIM, Announcement, Kind

logger = logging.getLogger(__name__)
# Minutes published for a meeting older than this are not announced (a re-import of years of
# minutes must not e-mail the list about each).
MINUTES_WINDOW = dt.timedelta(days=60)


class SendFailed(Exception):
    """The SMTP server did not take the message; the row stays unsent, to be retried."""


def _message_id(kind, meeting):
    """A new RFC 5322 msg-id: "<agenda.412.0.<16 hex>@domain>" (what, which meeting, its
    SEQUENCE, 64 random bits). Short enough that "Message-ID: <…>" stays on one line (78
    characters) for usual domains: email.utils.make_msgid's timestamp and pid made the
    header fold, and a folded header reads back with a leading space."""
    token = secrets.token_hex(8)
    return f"<{kind}.{meeting.pk}.{meeting.sequence}.{token}@{messages.message_domain()}>"


def record(meeting, kind, *, user=None):
    """The `kind` row of `meeting` (Announcement, created: bool), written with its Message-ID.

    Agenda and minutes: one row per meeting; change notices: one per meeting SEQUENCE. `user`
    is who asked (None: the schedule). Raises ValueError when the committee has no list.
    """
    committee = meeting.committee
    if not committee.announce_to:
        raise ValueError(f"{committee} has no list to announce to (set “announce to”).")
    key = {"meeting": meeting, "kind": kind}
    if kind in CHANGES:
        key = {"meeting": meeting, "kind__in": CHANGES, "sequence": meeting.sequence}
    existing = Announcement.objects.filter(**key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            row = Announcement.objects.create(
                meeting=meeting,
                kind=kind,
                sequence=meeting.sequence,
                to=committee.announce_to,
                message_id=_message_id(kind, meeting),
                subject=messages.subject_of(meeting, kind),
                triggered_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:
        # Another sender wrote it meanwhile (the unique constraints): that one is the row.
        existing = Announcement.objects.filter(**key).first()
        if existing is None:
            raise
        return existing, False
    return row, True


def schedule_due_agendas(now=None):
    """Agenda rows for the meetings due to be announced now; returns the new rows.

    Queries: the committees with a list, then per committee the upcoming meetings
    (meetings.occurrences.upcoming, 2) and their agenda rows (1), plus a few per new row.
    """
    now = now or timezone.now()
    created = []
    for committee in Committee.objects.exclude(announce_to=""):
        horizon = dt.timedelta(days=committee.announce_days_before)
        upcoming = [
            o
            for o in occurrences.upcoming(committee=committee, now=now, horizon=horizon)
            if o.start > now and not o.is_cancelled
        ]
        announced = set(
            Announcement.objects.filter(
                kind=Kind.AGENDA, meeting__in=[o.meeting for o in upcoming if o.meeting]
            ).values_list("meeting_id", flat=True)
        )
        for item in upcoming:
            if item.meeting and item.meeting.pk in announced:
                continue
            meeting = item.meeting or occurrences.open_occurrence(item.series, item.start)
            row, new = record(meeting, Kind.AGENDA)
            if new:
                created.append(row)
    return created


def _claim(pk, now, *, force):
    rows = Announcement.objects.unsent().filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), pk=pk
    )
    if not force:
        rows = rows.filter(next_attempt_at__lte=now)
    return rows.update(claimed_until=now + CLAIM) == 1


def send(pk, *, force=False, base_url=None):
    """Send the unsent Announcement `pk`; True if this call sent it, False if there was
    nothing to do (sent already, another sender holds it, or its retry time has not come and
    not `force`, or an agenda that came too late: its meeting started or was cancelled since,
    and the row is deleted; or an agenda no longer due, under the committee's current
    `announce_days_before` and the meeting's current start: it waits for that day).
    Raises SendFailed (with the row updated: attempts, last_error, next_attempt_at) when the
    SMTP server did not take it.
    """
    now = timezone.now()
    if not _claim(pk, now, force=force):
        return False
    row = Announcement.objects.select_related("meeting__committee", "meeting__series").get(pk=pk)
    if row.kind == Kind.AGENDA and (row.meeting.is_cancelled or row.meeting.start <= now):
        logger.info("Agenda announcement %s dropped: its meeting started or was cancelled", pk)
        row.delete()
        return False
    due_at = row.meeting.start - dt.timedelta(days=row.meeting.committee.announce_days_before)
    if row.kind == Kind.AGENDA and not force and due_at > now:
        # Written when it was due, no longer due: the committee now announces fewer days ahead,
        # or the meeting moved later. It waits for its new day ("Send now" still sends it).
        row.next_attempt_at, row.claimed_until = due_at, None
        row.save(update_fields=["next_attempt_at", "claimed_until"])
        logger.info("Agenda announcement %s waits until %s", pk, due_at)
        return False
    try:
        content = messages.compose(row.meeting, row.kind, base_url or site_url())
        thread = (
            Announcement.objects.filter(meeting=row.meeting_id, kind=Kind.AGENDA)
            .values_list("message_id", flat=True)
            .first()
        )
        message = messages.email_message(row, content, thread_id=thread)
        mailers.default.send_messages([message])
    except Exception as error:
        row.attempts += 1
        row.last_error = f"{timezone.now():%Y-%m-%d %H:%M:%S} UTC: {type(error).__name__}: {error}"
        row.next_attempt_at = timezone.now() + row.retry_delay()
        row.claimed_until = None
        row.save(update_fields=["attempts", "last_error", "next_attempt_at", "claimed_until"])
        logger.warning("Announcement %s not sent (attempt %s): %s", pk, row.attempts, error)
        raise SendFailed(f"{row}: {error}") from error
    row.attempts += 1
    row.sent_at = timezone.now()
    row.subject = content.subject
    row.claimed_until = None
    row.last_error = ""
    if row.kind == Kind.AGENDA:
        # The SEQUENCE its .ics carried: a later change of time is one above it.
        row.sequence = row.meeting.sequence
    row.save(
        update_fields=["attempts", "sent_at", "subject", "claimed_until", "last_error", "sequence"]
    )
    return True


def send_due(now=None):
    """Send every due row (oldest first), each once. Returns (sent, failed) counts."""
    sent = failed = 0
    due = Announcement.objects.due(now).order_by("next_attempt_at", "pk")
    pks = list(due.values_list("pk", flat=True))
    if not pks:
        return 0, 0
    for pk in pks:
        try:
            sent += send(pk)
        except SendFailed:
            failed += 1
    return sent, failed


def meeting_changed(meeting):
    """After a meeting was saved: the rows its change calls for (minutes published; time or
    status changed after its agenda was sent). Returns the new rows."""
    now = timezone.now()
    minutes_due = meeting.minutes_are_public and now - MINUTES_WINDOW <= meeting.start <= now
    # Most saves call for nothing: decided without a query.
    if not (minutes_due or meeting.sequence) or not meeting.committee.announce_to:
        return []
    new = []
    if minutes_due:
        row, created = record(meeting, Kind.MINUTES, user=_current_user())
        if created:
            new.append(row)
    if meeting.sequence and (
        Announcement.objects.filter(meeting=meeting, kind=Kind.AGENDA, sent_at__isnull=False)
        .filter(sequence__lt=meeting.sequence)
        .exists()
    ):
        kind = Kind.CANCELLATION if meeting.is_cancelled else Kind.CHANGE
        row, created = record(meeting, kind, user=_current_user())
        if created:
            new.append(row)
    return new


def current_request():
    """The request being answered, if any (django-simple-history's HistoryRequestMiddleware
    keeps it for the history rows it writes), else None."""
    return getattr(HistoricalRecords.context, "request", None)


def _current_user():
    user = getattr(current_request(), "user", None)
    return user if user is not None and user.is_authenticated else None


def base_url():
    """The site's address for links in messages: SITE_URL, else the current request's."""
    return site_url(current_request())
