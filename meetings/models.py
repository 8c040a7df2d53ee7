"""Meetings of a committee: series, single meetings and what they produce."""

import datetime as dt
import functools
import re
import uuid
import zoneinfo

from dateutil.rrule import WEEKLY, rrule
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import F, OuterRef, Q
from django.db.models.lookups import IsNull
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mwi.lib.dated import LocalDate
from mwi.lib.text import clock
from mwi.lib.validators import validate_http_url
from mwi.lib.wall_time import recurring_time_problem
from participants.models import (
    Committee,
    Person,
    Visibility,
    organization_on,
    validate_time_zone,
)

from . import mentions, uploads
from .indexes import TEXT_FIELDS, PostgresOnlyGinIndex, search_document_of
from .topics import TOPIC_LENGTH, topic_of


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class MeetingSeries(models.Model):
    """A recurring meeting, such as "every 4 weeks on Thursday at 10:00 America/New_York".

    Its occurrences are computed from the rule, not stored; an occurrence becomes a Meeting
    row only when someone writes its agenda or minutes, attaches something, moves or
    cancels it.
    """

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(max_length=200)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    interval_weeks = models.PositiveSmallIntegerField(
        "every N weeks", default=1, help_text="1 for weekly, 2 for every other week, 4 for…"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday, default=Weekday.THURSDAY)
    start_time = models.TimeField(help_text="Local time in the series' time zone.")
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    duration = models.DurationField(default=dt.timedelta(hours=1))
    first_date = models.DateField(help_text="The date of the first meeting of the series.")
    until = models.DateField(
        null=True, blank=True, help_text="Last possible date; empty while the series goes on."
    )
    join_url = models.URLField(
        "join link",
        blank=True,
        help_text="Empty: the committee's link.",
        validators=[validate_http_url],
    )
    location = models.CharField(max_length=200, blank=True)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continued_by",
        help_text="The series this one continues after a change of time.",
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "first_date"]
        verbose_name_plural = "meeting series"
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1), name="meetingseries_interval_positive"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0) & Q(weekday__lte=6), name="meetingseries_weekday_valid"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("first_date")),
                name="meetingseries_until_after_first",
            ),
            models.CheckConstraint(
                condition=Q(duration__gt=dt.timedelta(0)), name="meetingseries_duration_positive"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.describe()})"

    # The recurrence rule itself. Editing these in place once a series has begun would move its
    # past meetings and orphan the rows of opened occurrences; the admin makes them read-only
    # then, and "Change time from this date on" splits the series instead.
    RULE_FIELDS = ("interval_weeks", "weekday", "start_time", "time_zone", "first_date")
    # A change to any of these moves the series' events in subscribers' calendars.
    SCHEDULE_FIELDS = (*RULE_FIELDS, "duration", "until")

    def save(self, *args, **kwargs):
        """Raise SEQUENCE when the schedule changed (calendar clients ignore edits otherwise).

        Costs one query for an existing series: the stored schedule and sequence are read, and
        the stored sequence wins over this instance's (a cancelled occurrence may have raised
        it since this instance was loaded).
        """
        if not self._state.adding:
            stored = (
                MeetingSeries.objects.filter(pk=self.pk)
                .values("sequence", *self.SCHEDULE_FIELDS)
                .first()
            )
            if stored is not None:
                changed = any(stored[f] != getattr(self, f) for f in self.SCHEDULE_FIELDS)
                self.sequence = stored["sequence"] + changed
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)

    def describe(self):
        every = "every week" if self.interval_weeks == 1 else f"every {self.interval_weeks} weeks"
        return (
            f"{every} on {Weekday(self.weekday).label} at {self.start_time:%H:%M} {self.time_zone}"
        )

    # How far ahead a series' start time is checked against daylight-saving changes.
    DST_CHECK_YEARS = 5

    def clean(self):
        if self.first_date and self.first_date.weekday() != self.weekday:
            raise ValidationError(
                {"first_date": f"The first date must be a {Weekday(self.weekday).label}."}
            )
        if self.first_date and self.start_time and self.time_zone in zoneinfo.available_timezones():
            problem = self.wall_time_problem()
            if problem:
                raise ValidationError({"start_time": problem})

    def wall_time_problem(self):
        """A message when the rule's wall time is skipped or repeated by a daylight-saving
        change on one of its dates (in the next DST_CHECK_YEARS years or until `until`), else ""."""
        last = self.first_date.replace(year=self.first_date.year + self.DST_CHECK_YEARS)
        if self.until:
            last = min(last, self.until)
        starts = self.rule().between(
            dt.datetime.combine(self.first_date, dt.time.min),
            dt.datetime.combine(last, dt.time.max),
            inc=True,
        )
        return recurring_time_problem(starts, self.tz)

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def spans(self, day):
        """Whether a local date (datetime.date) lies within [first_date, until]: a day outside
        has no occurrence, and is refused before the rule is computed."""
        return self.first_date <= day and (self.until is None or day <= self.until)

    def rule(self, near=None):
        """The dateutil rule in local wall-clock time. With `near` (a date), the rule starts at
        the last whole period (interval_weeks) at or before it instead of at first_date: the
        same occurrences from there on, without walking every one since the first (a series
        begun in 2020 asked about 2999 would otherwise step through 51,000 weeks)."""
        first = self.first_date
        if near is not None and near > first:
            period = 7 * self.interval_weeks
            first += dt.timedelta(days=(near - first).days // period * period)
        start = dt.datetime.combine(first, self.start_time)
        until = dt.datetime.combine(self.until, dt.time.max) if self.until else None
        return rrule(
            WEEKLY, interval=self.interval_weeks, byweekday=self.weekday, dtstart=start, until=until
        )

    def occurrence_starts(self, after, before):
        """Aware start datetimes (UTC) of the rule's occurrences in [after, before).

        Computed in local wall-clock time and then placed in the zone, so 10:00 stays 10:00
        across daylight-saving changes.
        """
        tz = self.tz
        local_after = after.astimezone(tz).replace(tzinfo=None) - self.duration
        local_before = before.astimezone(tz).replace(tzinfo=None)
        starts = []
        rule = self.rule(near=(local_after - dt.timedelta(days=1)).date())
        for local in rule.between(local_after, local_before, inc=True):
            aware = local.replace(tzinfo=tz).astimezone(dt.UTC)
            if after <= aware < before:
                starts.append(aware)
        return starts

    def is_occurrence(self, start):
        """Whether an aware datetime is one of the rule's occurrence starts."""
        return bool(self.occurrence_starts(start, start + dt.timedelta(seconds=1)))


# A meeting row's long texts, which no list of meetings shows; a list that does not show the
# names its minutes could not resolve either leaves all of LIST_DEFERRED behind
# (MeetingQuerySet.without_texts).
LONG_TEXTS = ("agenda", "agenda_html", "minutes", "minutes_html", "search_document")
LIST_DEFERRED = (*LONG_TEXTS, "unresolved_mentions")


@functools.cache
def _detail_url_around(script_prefix, urlconf):
    """(head, tail) of a meeting's address around its "<day>-<pk>", as reverse() writes it
    under that script prefix and URLconf: lists link 20-100 meetings a page, and a reverse()
    each cost a person's page 2-3 ms."""
    head, _, tail = reverse(
        "meetings:detail", kwargs={"day": _SAMPLE_DAY, "pk": 0}, urlconf=urlconf
    ).rpartition(f"{_SAMPLE_DAY.isoformat()}-0")
    return head, tail


_SAMPLE_DAY = dt.date(2000, 1, 1)


def without_texts(prefix=""):
    """The names to defer() to leave a meeting's texts behind, the meeting reached through
    `prefix` ("meeting__" from an action item or attendance row)."""
    return tuple(prefix + name for name in LIST_DEFERRED)


# What a list's row shows of a meeting: its title (or topic), its day in the committee's zone
# and its address (get_absolute_url); select_related the committee along.
LISTED = ("title", "topic", "start", "committee__time_zone")


def listed_only(prefix=""):
    """The names to only() to read just what a list's row shows of a meeting (LISTED), the
    meeting reached through `prefix`; the row's own fields are added by the caller."""
    return tuple(prefix + name for name in LISTED)


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start")

    def past(self, now=None):
        return self.filter(start__lt=now or timezone.now()).order_by("-start")

    def with_public_minutes(self):
        """Meetings whose record is public (Meeting.record_q with no reader)."""
        return self.filter(Meeting.record_q(prefix=""))

    def with_record_visible_to(self, audience):
        """Meetings whose record `audience` (participants.access.Audience) may read
        (Meeting.record_q): public ones, and every one of the committees it manages."""
        return self.filter(Meeting.record_q(audience, prefix=""))

    def without_texts(self):
        """The rows without their agenda, minutes and search document (deferred: read on
        access), for lists that show none of them."""
        return self.defer(*without_texts())

    def for_archive(self):
        """Rows of the archive list: committee joined, recording/material flags
        (`has_recording`, `has_materials`) as subqueries of each row, texts left behind
        (without_texts). Filter with with_recording(), not on the flags.

        Each flag asks whether the row's first recording (material) exists, one index probe a
        row: as EXISTS, PostgreSQL read every recording and material into a hash for a page
        of 25 meetings (3 ms)."""

        def any_of(model):
            first = model.objects.filter(meeting=OuterRef("pk")).order_by().values("pk")[:1]
            return IsNull(models.Subquery(first), False)

        return (
            self.without_texts()
            .select_related("committee")
            .annotate(has_recording=any_of(Recording), has_materials=any_of(Material))
        )

    def with_recording(self):
        """Meetings with at least one recording."""
        return self.filter(models.Exists(Recording.objects.filter(meeting=OuterRef("pk"))))

    def with_neighbours(self):
        """Annotate `previous_pk`, `previous_start`, `next_pk`, `next_start`: the committee's
        meetings just before and after each one (None at either end). Subqueries of the same
        query, on the (committee, start) index: no query of their own."""
        siblings = Meeting.objects.filter(committee=OuterRef("committee")).order_by()
        before = siblings.filter(start__lt=OuterRef("start")).order_by("-start")
        after = siblings.filter(start__gt=OuterRef("start")).order_by("start")
        return self.annotate(
            previous_pk=models.Subquery(before.values("pk")[:1]),
            previous_start=models.Subquery(before.values("start")[:1]),
            next_pk=models.Subquery(after.values("pk")[:1]),
            next_start=models.Subquery(after.values("start")[:1]),
        )

    def for_detail(self, audience):
        """One meeting page's data: 1 query for the row (with its neighbours: with_neighbours)
        + 6 prefetches, whatever the size.

        Members-only materials are left out unless `audience` may see them
        (participants.access.Audience.visible_materials); action items closed here but raised
        at a meeting whose record `audience` may not read are left out too (the page itself
        shows decisions and action items only with a readable record).
        """
        materials = audience.visible_materials(Material.objects.all())
        return (
            self.with_neighbours()
            .select_related("committee", "series", "approved_at__committee")
            .prefetch_related(
                "recordings",
                models.Prefetch("materials", queryset=materials),
                models.Prefetch(
                    "attendance",
                    queryset=Attendance.objects.select_related("person")
                    .with_organization()
                    .order_by(F("organization_name").asc(nulls_last=True), "person__name"),
                ),
                models.Prefetch(
                    "action_items", queryset=ActionItem.objects.select_related("owner")
                ),
                models.Prefetch(
                    "closed_action_items",
                    queryset=ActionItem.objects.filter(Meeting.record_q(audience)).select_related(
                        "owner", "meeting__committee"
                    ),
                ),
                "decisions",
            )
        )


# Meeting's choices live at module level so that its constraints can be written from them.
class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class MinutesStatus(models.TextChoices):
    NONE = "none", "No minutes"
    DRAFT = "draft", "Draft (staff only)"
    PUBLISHED = "published", "Published"
    APPROVED = "approved", "Approved"


class InCommitteeTime:
    """A meeting or an occurrence, in its committee's time zone: `tz` and `local_start`.

    Needs `committee` and `start` (an aware datetime)."""

    @property
    def tz(self):
        return self.committee.tz

    @property
    def local_start(self):
        return self.start.astimezone(self.tz)


class Meeting(InCommitteeTime, models.Model):
    """A scheduled gathering of one committee: a one-off, or one occurrence of a series."""

    Status = MeetingStatus
    MinutesStatus = MinutesStatus

    PUBLIC_MINUTES = (MinutesStatus.PUBLISHED, MinutesStatus.APPROVED)

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="Set when this meeting is one occurrence of a series.",
    )
    original_start = models.DateTimeField(
        null=True,
        blank=True,
        help_text="For an occurrence of a series: the start the rule gave it (kept when moved).",
    )
    title = models.CharField(max_length=200)
    topic = models.CharField(
        max_length=TOPIC_LENGTH,
        editable=False,
        default="",
        help_text="The title if it is not the series' or committee's default, else the first "
        "heading or sentence of the agenda or public minutes (meetings.topics).",
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)
    cancel_reason = models.CharField(
        "reason for cancelling",
        max_length=300,
        blank=True,
        help_text="Shown on the meeting page and in calendar feeds when it is cancelled.",
    )
    join_url = models.URLField(
        "join link",
        blank=True,
        help_text="Empty: the series' link.",
        validators=[validate_http_url],
    )
    agenda = models.TextField(blank=True, help_text="Markdown. @[Person Name] mentions a person.")
    agenda_html = models.TextField(blank=True, editable=False)
    minutes = models.TextField(blank=True, help_text="Markdown. @[Person Name] mentions a person.")
    minutes_html = models.TextField(blank=True, editable=False)
    minutes_status = models.CharField(
        max_length=10, choices=MinutesStatus, default=MinutesStatus.NONE
    )
    approved_at = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_minutes_of",
        help_text="The meeting that approved these minutes.",
    )
    unresolved_mentions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Texts written as @[...] that matched no one; shown as plain text.",
    )
    # Title, agenda and minutes as a tsvector, written at save (meetings.indexes); PostgreSQL
    # only, empty on SQLite, whose search does not use it.
    search_document = SearchVectorField(null=True, editable=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    # The search document is derived from the text the history already keeps.
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="meeting_end_after_start"),
            models.CheckConstraint(
                condition=Q(series__isnull=True, original_start__isnull=True)
                | Q(series__isnull=False, original_start__isnull=False),
                name="meeting_occurrence_has_original_start",
            ),
            models.UniqueConstraint(
                fields=["series", "original_start"], name="meeting_one_row_per_occurrence"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(minutes_status__in=MinutesStatus.values),
                name="meeting_minutes_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(minutes_status=MinutesStatus.APPROVED),
                name="meeting_approval_only_when_approved",
            ),
        ]
        indexes = [
            # Archive and upcoming lists of one committee, ordered by start.
            models.Index(fields=["committee", "start"], name="meeting_committee_start"),
            # Site-wide upcoming/past lists.
            models.Index(fields=["start"], name="meeting_start"),
            # Meetings held per year (insights.stats): counted from this index alone, without
            # reading the wide meeting rows (70 ms -> 8 ms per person page at 10,000 meetings).
            models.Index(fields=["status", "start"], name="meeting_status_start"),
            # Meetings not over yet (meetings.occurrences.upcoming: the archive's and a
            # committee's "upcoming"): without it, a scan of every meeting (17 ms -> 1 ms at
            # 10,000 meetings on PostgreSQL).
            models.Index(fields=["end"], name="meeting_end"),
            # Which meetings have a public record (Meeting.record_q), from the index alone:
            # counting the open action items of public records read the whole wide table on
            # PostgreSQL (27 ms -> 8 ms at 10,000 meetings).
            models.Index(fields=["minutes_status", "id"], name="meeting_minutes_status"),
            # Full-text search (meetings.search) on PostgreSQL: the stored document.
            PostgresOnlyGinIndex(fields=["search_document"], name="meeting_search_document"),
        ]

    def __str__(self):
        return f"{self.topic or self.title} – {self.local_start:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        """Render agenda and minutes (with mentions) and store the mentions they contain.

        Rendering at save means pages never render Markdown per request; it costs the
        mention look-ups (2 queries per kind) and the mention rows' update here (none for a
        new meeting that mentions nobody).
        """
        # One look-up for the mentions of both texts; one rendering gives HTML, rows, warnings.
        agenda, minutes = mentions.render(self.agenda, self.minutes)
        self.agenda_html = agenda.html
        self.minutes_html = minutes.html
        self.unresolved_mentions = sorted({*agenda.unresolved, *minutes.unresolved})
        self.topic = self.compute_topic()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "topic"}
        if update_fields is not None and {"agenda", "minutes"} & set(update_fields):
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "agenda_html",
                "minutes_html",
                "unresolved_mentions",
            }
        if update_fields is None or TEXT_FIELDS & set(update_fields):
            using = kwargs.get("using") or router.db_for_write(Meeting, instance=self)
            self.search_document = search_document_of(self, using)
            if update_fields is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "search_document"}
        status_changed = self._raise_sequence_on_change()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        adding = self._state.adding
        super().save(*args, **kwargs)
        if status_changed:
            # Cancelling (or restoring) an occurrence changes which instances of the series'
            # master take place: its SEQUENCE rises too, so overrides stay >= the master.
            MeetingSeries.objects.filter(pk=self.series_id).update(
                sequence=F("sequence") + 1, updated=timezone.now()
            )
        found = mentions.merge_found(agenda, minutes)
        if found or not adding:  # a new meeting has no stored mentions to replace
            mentions.store(self, found)

    def get_absolute_url(self):
        """/meetings/2020-04-09-<pk>/: the date in the committee's zone (needs the committee)."""
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        head, tail = _detail_url_around(get_script_prefix(), urlconf)
        return f"{head}{self.local_start.date().isoformat()}-{self.pk}{tail}"

    def neighbours(self):
        """(previous, next) meetings of the committee as annotated by
        MeetingQuerySet.with_neighbours: unsaved instances with pk, start and committee, enough
        for a link and a date; None at either end."""

        def neighbour(pk, start):
            return None if pk is None else Meeting(pk=pk, start=start, committee=self.committee)

        return (
            neighbour(self.previous_pk, self.previous_start),
            neighbour(self.next_pk, self.next_start),
        )

    def generic_titles(self):
        """Titles that name no subject: the series' title and "<committee> meeting"."""
        titles = ["Meeting"]
        if self.series_id:
            titles.append(self.series.title)
        if self.committee_id:
            committee = self.committee
            titles += [f"{committee.short_name} meeting", f"{committee.name} meeting"]
        return titles

    def compute_topic(self):
        texts = [self.agenda_html]
        if self.minutes_are_public:
            texts.append(self.minutes_html)
        template = self.committee.agenda_template if self.committee_id else ""
        lines = [re.sub(r"^\s*(?:[-*+]|\d+[.)])\s*", "", line) for line in template.splitlines()]
        return topic_of(self.title, self.generic_titles(), texts, ignore=lines)

    def _raise_sequence_on_change(self):
        """Raise SEQUENCE when time or status changed; say whether a series occurrence was
        cancelled or restored.

        One query for an existing meeting (its stored time, status and sequence; the stored
        sequence wins over a stale instance's).
        """
        stored = None
        if not self._state.adding:
            stored = (
                Meeting.objects.filter(pk=self.pk)
                .values("start", "end", "status", "sequence", "series_id")
                .first()
            )
        if stored is None:
            return bool(self.series_id) and self.status == self.Status.CANCELLED
        changed = (stored["start"], stored["end"], stored["status"]) != (
            self.start,
            self.end,
            self.status,
        )
        self.sequence = stored["sequence"] + changed
        return bool(self.series_id) and stored["status"] != self.status

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    def cancel(self, reason="", *, by=None):
        """Cancel this meeting, with an optional plain-text `reason` (shown on its page and in
        the calendar feeds; whitespace collapsed, at most 300 characters). `by`: the user who
        cancels (kept in the history). Every cancellation in MWI goes through here.

        Returns whether anything changed: cancelling again with the same reason saves nothing.
        The save raises SEQUENCE (status change), so subscribers' calendars update.
        """
        reason = " ".join((reason or "").split())[
            : self._meta.get_field("cancel_reason").max_length
        ]
        if self.is_cancelled and self.cancel_reason == reason:
            return False
        self.status = self.Status.CANCELLED
        self.cancel_reason = reason
        if by is not None:
            self._history_user = by  # django-simple-history records who changed it
        self.save()
        return True

    @property
    def is_moved(self):
        return self.original_start is not None and self.original_start != self.start

    # What is public of a meeting: one rule, asked by every page, search, feed, chart and list.
    # A meeting itself (title, time, agenda, recordings, public materials, attendance) is
    # public. Its *record* is what its minutes say: the minutes text, the decisions and action
    # items taken, and the people and projects its texts mention (the backlinks of person and
    # project pages). The record is public once the minutes are published or approved; until
    # then ("No minutes", whatever text the field holds, or a draft) only those who may read
    # the committee's draft minutes read it (participants.access: its managers, foundation
    # staff).

    @classmethod
    def record_q(cls, audience=None, *, prefix="meeting__"):
        """A Q over rows whose meeting (through `prefix`) has a record `audience` may read.

        `audience` is a participants.access.Audience; None means the public. For querysets of
        decisions, action items and mentions (prefix "meeting__", the default) and of meetings
        (prefix "").
        """
        public = Q(**{f"{prefix}minutes_status__in": cls.PUBLIC_MINUTES})
        if audience is None:
            return public
        return audience.readable_minutes_q(public, path=f"{prefix}committee")

    @property
    def minutes_are_public(self):
        return self.minutes_status in self.PUBLIC_MINUTES

    def record_visible_to(self, audience):
        """Whether `audience` may read this meeting's minutes, decisions, action items and
        mentions: public ones, and those of the committees it may read drafts of."""
        return self.minutes_are_public or audience.may_see_draft_minutes(self.committee_id)


@receiver(post_delete, sender=Meeting, dispatch_uid="meeting-delete-raises-series-sequence")
def _raise_series_sequence_on_delete(sender, instance, **kwargs):
    """A deleted cancelled row removes an EXDATE, a deleted moved row an override: both change
    the series' master event, so its SEQUENCE rises as for a cancellation. A receiver, not
    delete(), because the admin's bulk delete and cascades call no delete()."""
    if instance.series_id and (instance.is_cancelled or instance.is_moved):
        MeetingSeries.objects.filter(pk=instance.series_id).update(
            sequence=F("sequence") + 1, updated=timezone.now()
        )


def meeting_day(prefix=""):
    """A meeting's day in its committee's zone, in SQL: what `local_start.date()` is for a
    loaded one. `prefix` reaches the meeting through a relation ("meeting__")."""
    return LocalDate(f"{prefix}start", f"{prefix}committee__time_zone")


class PersonAtMeetingQuerySet(models.QuerySet):
    """Rows that tie a person to a meeting (attendance, mentions)."""

    def with_organization(self):
        """Annotate `meeting_day` (meeting_day()) and `organization_name`/`organization_slug`:
        the person's organization on that day (participants.Affiliation, whose "current" is
        the rule of memberships), so a person who changed employer counts under the old one
        for the old meetings. Subqueries of the same query: no query per row."""
        person, day = OuterRef("person_id"), OuterRef("meeting_day")
        return self.annotate(meeting_day=meeting_day("meeting__")).annotate(
            organization_name=organization_on(day, person=person, field="name"),
            organization_slug=organization_on(day, person=person, field="slug"),
        )


class Mention(models.Model):
    """A person named in a meeting's agenda or minutes (a backlink on their page)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentions")

    objects = PersonAtMeetingQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="mention_unique")]

    def __str__(self):
        return f"{self.person} in {self.meeting}"


def _url_xor_file(prefix):
    # Both a link and an upload is ambiguous; neither is allowed ("not available").
    return models.CheckConstraint(
        condition=~(~Q(url="") & ~Q(file="")), name=f"{prefix}_not_both_url_and_file"
    )


def _mentioned_only_means_no_link(prefix):
    # "Mentioned, not linked yet" is exactly the state of a row with neither link nor file.
    return models.CheckConstraint(
        condition=Q(mentioned_only=True, url="", file="")
        | (Q(mentioned_only=False) & (~Q(url="") | ~Q(file=""))),
        name=f"{prefix}_mentioned_only_iff_no_link",
    )


MENTIONED_ONLY_HELP = (
    "The minutes mention it but no link or file is known yet (the old wiki often said "
    '"call was recorded" without a link). Add the link or file when you find it.'
)


class _LinkOrFileMixin:
    """Shared by Recording and Material: a link, an uploaded file, or "mentioned only"."""

    def save(self, *args, **kwargs):
        # Importers and scripts write rows without thinking of the flag; it follows the data.
        self.mentioned_only = not (self.url or self.file)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "mentioned_only"}
        super().save(*args, **kwargs)


class Recording(_LinkOrFileMixin, models.Model):
    """A recording of a meeting: a link (Zoom, YouTube) or an uploaded audio or video file."""

    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        AUDIO = "audio", "Audio"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recordings")
    title = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.VIDEO)
    url = models.URLField("link", max_length=500, blank=True, validators=[validate_http_url])
    file = models.FileField(
        upload_to=uploads.recording_upload_to,
        blank=True,
        max_length=300,
        help_text="Audio or video (MP4, WebM, MP3, M4A…); or give a link instead.",
    )
    file_name = models.CharField(
        max_length=255, blank=True, help_text="Original name of the file, when known."
    )
    duration = models.DurationField(null=True, blank=True)
    mentioned_only = models.BooleanField(
        "mentioned, not linked yet", default=False, help_text=MENTIONED_ONLY_HELP
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [_url_xor_file("recording"), _mentioned_only_means_no_link("recording")]

    def __str__(self):
        return self.title or self.file_name or f"Recording of {self.meeting}"

    @property
    def length(self):
        """The duration as players show it ("1:02:05", "4:37"), or "" when unknown."""
        if self.duration is None:
            return ""
        return clock(self.duration // dt.timedelta(milliseconds=1))


class Material(_LinkOrFileMixin, models.Model):
    """Slides, a document, a chat log or a transcript belonging to a meeting."""

    class Kind(models.TextChoices):
        SLIDES = "slides", "Slides"
        DOCUMENT = "document", "Document"
        CHAT = "chat", "Chat log"
        TRANSCRIPT = "transcript", "Transcript"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.SLIDES)
    title = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500, blank=True, validators=[validate_http_url])
    file = models.FileField(
        upload_to=uploads.material_upload_to,
        blank=True,
        max_length=300,
        help_text="PDF, slides, documents, images, audio/video or plain text; or give a link.",
    )
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PUBLIC)
    mentioned_only = models.BooleanField(
        "mentioned, not linked yet", default=False, help_text=MENTIONED_ONLY_HELP
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "kind", "title"]
        constraints = [_url_xor_file("material"), _mentioned_only_means_no_link("material")]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """Whether a person attended a meeting (or sent regrets) and in which role."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        REGRETS = "regrets", "Regrets"

    class Role(models.TextChoices):
        PARTICIPANT = "participant", "Participant"
        PRESENTER = "presenter", "Presenter"
        GUEST = "guest", "Guest"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status, default=Status.PRESENT)
    role = models.CharField(max_length=12, choices=Role, default=Role.PARTICIPANT)

    objects = PersonAtMeetingQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person__name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.get_status_display()}"


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionItem.Status.OPEN)

    def for_list(self):
        """Rows of action-item lists: owner and raising meeting (with committee, without its
        texts) joined."""
        return (
            self.select_related("owner", "meeting__committee")
            .defer(*without_texts("meeting__"))
            .order_by("meeting__start", "pk")
        )


class ActionItem(models.Model):
    """Something a person agreed to do at a meeting, until a later meeting closes it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name="raised at"
    )
    text = models.TextField()
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    closed_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closed_action_items",
        help_text="The meeting at which it was done or dropped.",
    )

    objects = ActionItemQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(status="open"),
                name="actionitem_open_not_closed",
            ),
        ]
        indexes = [
            # Open action items page: filter by status, ordered by due date.
            models.Index(fields=["status", "due"], name="actionitem_status_due"),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        """An item closed without saying where is recorded as closed at the committee's latest
        meeting held by now (not before the one that raised it); one query when closing."""
        if self.status != self.Status.OPEN and self.closed_at_id is None and self.meeting_id:
            raised = self.meeting
            self.closed_at = (
                Meeting.objects.filter(
                    committee_id=raised.committee_id,
                    status=Meeting.Status.SCHEDULED,
                    start__lte=timezone.now(),
                    start__gte=raised.start,
                )
                .order_by("-start")
                .first()
            ) or raised
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "closed_at"}
        super().save(*args, **kwargs)


class Decision(models.Model):
    """Something the committee agreed at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.text[:80]
