"""The record of every announcement e-mailed to a committee's list: what, when, to whom, the
Message-ID and who asked for it.

A row is written, with its Message-ID, before the message is handed to the SMTP server, and
marked sent only after the server accepted it. So:

- a meeting's agenda and minutes are announced once (one row per meeting and kind, by a
  constraint), and each change of its time or status once (one row per SEQUENCE);
- a send that fails (SMTP refused, server down) leaves the row unsent, with the error and the
  time of the next attempt (back-off: 1, 2, 4 ... minutes, at most 6 hours);
- a send that crashed after the server accepted the message is sent again with the SAME
  Message-ID, which list servers and mail clients drop as a duplicate.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings.models import Meeting

# How long one sender owns a row it is sending (another worker leaves it alone meanwhile).
CLAIM = dt.timedelta(minutes=5)
# Back-off after a failed attempt: FIRST_RETRY * 2**(attempts-1), at most LAST_RETRY.
FIRST_RETRY = dt.timedelta(minutes=1)
LAST_RETRY = dt.timedelta(hours=6)


class Kind(models.TextChoices):
    AGENDA = "agenda", "Agenda"
    MINUTES = "minutes", "Minutes"
    CHANGE = "change", "Change of time"
    CANCELLATION = "cancellation", "Cancellation"


ONCE_PER_MEETING = (Kind.AGENDA, Kind.MINUTES)
CHANGES = (Kind.CHANGE, Kind.CANCELLATION)


class AnnouncementQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def due(self, now=None):
        """Unsent rows whose next attempt has come and that no sender holds."""
        now = now or timezone.now()
        return (
            self.unsent()
            .filter(next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        )


class Announcement(models.Model):
    """One message to a committee's list about one meeting (see the module docstring)."""

    Kind = Kind

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="announcements")
    kind = models.CharField(max_length=12, choices=Kind)
    sequence = models.PositiveIntegerField(
        default=0,
        help_text="The meeting's SEQUENCE (RFC 5545) when the row was written; a change "
        "notice is sent once per SEQUENCE.",
    )
    to = models.EmailField(help_text="The list's posting address when the row was written.")
    message_id = models.CharField(
        "Message-ID", max_length=255, unique=True, help_text="Reused by every attempt."
    )
    subject = models.CharField(max_length=300, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty: the schedule (send_due_announcements) or a change made outside "
        "the admin.",
    )
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind"],
                condition=Q(kind__in=ONCE_PER_MEETING),
                name="announcement_agenda_minutes_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "sequence"],
                condition=Q(kind__in=CHANGES),
                name="announcement_change_once_per_sequence",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="announcement_kind_valid"
            ),
        ]
        indexes = [
            # send_due_announcements: the unsent rows, oldest attempt first.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True),
                name="announcement_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject or self.meeting}"

    @property
    def status(self):
        if self.sent_at:
            return "sent"
        if self.attempts:
            return "failed, will retry"
        return "waiting"

    def retry_delay(self):
        """The back-off after `attempts` failures: 1, 2, 4 ... minutes, at most 6 hours."""
        return min(FIRST_RETRY * 2 ** max(self.attempts - 1, 0), LAST_RETRY)
