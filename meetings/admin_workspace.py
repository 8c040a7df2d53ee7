"""The lead's workspace at the top of the admin index: what needs doing, per committee.

A committee's workspace: the next meeting (opened in one click with its agenda pre-filled),
past meetings without minutes, draft minutes waiting, open action items by owner and due date,
mentions that match nobody, names of known people and projects written in minutes without a
mention, and the latest changes.

`for_index` decides what the index shows: the workspace of each committee the signed-in user
runs when they run at most FULL_UP_TO (a lead: their one or two committees); for more
(foundation staff: every committee) a summary, one line per committee with what waits there
counted, each committee's full workspace one click away (`?committee=<slug>`). Each costs a
fixed number of queries, whatever the number of committees or meetings.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from mwi.lib import invalidation
from participants.models import Committee, Membership

from . import cache, occurrences
from .models import LONG_TEXTS, ActionItem, Meeting, without_texts
from .unlinked import unlinked_names

LIST_LENGTH = 5
# Who runs more committees than this sees the summary, and one committee's workspace at a time.
FULL_UP_TO = 3
NEXT_MEETING_HORIZON = dt.timedelta(days=120)


@dataclass
class CommitteeWork:
    committee: Committee
    next_meeting: occurrences.Occurrence | None = None
    without_minutes: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    action_items: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)
    unlinked: list = field(default_factory=list)
    changes: list = field(default_factory=list)


@dataclass
class CommitteeSummary:
    """One committee's line in the summary: what waits there, counted."""

    committee: Committee
    next_meeting: occurrences.Occurrence | None = None
    without_minutes: int = 0
    drafts: int = 0
    unresolved: int = 0
    open_items: int = 0
    overdue_items: int = 0


@dataclass
class IndexWork:
    """What the admin index shows the signed-in user: `work`, the full workspaces shown
    ([CommitteeWork]); `summary`, [CommitteeSummary] of every committee they run, or None
    when their committees' workspaces are shown in full; `chosen`, the one committee picked
    from the summary (None otherwise)."""

    work: list = field(default_factory=list)
    summary: list | None = None
    chosen: Committee | None = None


# --- what waits: one rule each, for the lists and for the counts ------------------------------
def _without_minutes(now):
    """Past meetings held (not cancelled) with no minutes written."""
    return Q(start__lt=now, status=Meeting.Status.SCHEDULED, minutes="")


def _draft():
    return Q(minutes_status=Meeting.MinutesStatus.DRAFT)


def _unresolved():
    return ~Q(unresolved_mentions=[])


def committees_run_by(user):
    """Committees `user` leads today (superusers: all), by name."""
    committees = Committee.objects.order_by("name")
    if user.is_superuser:
        return list(committees)
    leading = Membership.objects.leads().current().filter(person__user=user)
    return list(committees.filter(memberships__in=leading).distinct())


def _first_per_committee(queryset, order_by, limit=LIST_LENGTH, committee="committee"):
    """The first `limit` rows of each committee in `order_by` order, numbered by a window
    function in the database: at 10,000 meetings a list's rows of every committee would
    otherwise be read and built as models to keep five of each."""
    numbered = queryset.annotate(
        row_number=Window(RowNumber(), partition_by=F(committee), order_by=order_by)
    )
    return numbered.filter(row_number__lte=limit).order_by(*order_by)


def _grouped(rows, key, limit=LIST_LENGTH):
    groups = defaultdict(list)
    for row in rows:
        if len(groups[key(row)]) < limit:
            groups[key(row)].append(row)
    return groups


def for_index(user, slug=None, now=None):
    """IndexWork for `user`: the workspace of the committee whose slug is `slug` if they run
    it; else each of their committees' workspace if they run at most FULL_UP_TO; else the
    summary. A slug they do not run is ignored (nothing is shown of another committee)."""
    committees = committees_run_by(user)
    chosen = next((c for c in committees if slug and c.slug == slug), None)
    if chosen is not None:
        return IndexWork(work=workspace([chosen], now), chosen=chosen)
    if len(committees) <= FULL_UP_TO:
        return IndexWork(work=workspace(committees, now))
    return IndexWork(summary=summary(committees, now))


def _next_meetings(ids, now):
    """{committee id: Occurrence}: the next one not cancelled, within NEXT_MEETING_HORIZON."""
    upcoming = {}
    # One committee's: its series and meetings only, not every committee's to keep one.
    only = ids[0] if len(ids) == 1 else None
    for occurrence in occurrences.upcoming(committee=only, now=now, horizon=NEXT_MEETING_HORIZON):
        if occurrence.committee.pk in ids and not occurrence.is_cancelled:
            upcoming.setdefault(occurrence.committee.pk, occurrence)
    return upcoming


def _meeting_counts(now):
    """{committee id: (without minutes, drafts, unresolved)} over every committee's meetings.

    The counts read every meeting row (25 ms at 10,000 meetings on SQLite, where a row's
    committee is stored after its texts): kept per write to the meetings table and per hour
    (mwi.lib.invalidation.remember), as of the hour's start; meetings started since are
    counted apart, from the start index. Exact at any time.
    """
    hour = now.replace(minute=0, second=0, microsecond=0)

    def count(queryset, **counts):
        return {
            row["committee"]: tuple(row[name] for name in counts)
            for row in queryset.values("committee").annotate(**counts).order_by()
        }

    def before_the_hour():
        return count(
            Meeting.objects.all(),
            without=Count("pk", filter=_without_minutes(hour)),
            drafts=Count("pk", filter=_draft()),
            unresolved=Count("pk", filter=_unresolved()),
        )

    counts = invalidation.remember(
        cache.VERSION, ("workspace-counts", hour.isoformat()), before_the_hour, 3600
    )
    since = count(
        Meeting.objects.filter(_without_minutes(now), start__gte=hour), without=Count("pk")
    )
    counts = dict(counts)
    for committee, (started,) in since.items():
        without, drafts, unresolved = counts.get(committee, (0, 0, 0))
        counts[committee] = (without + started, drafts, unresolved)
    return counts


def summary(committees, now=None):
    """[CommitteeSummary] of `committees`, in their order. Five queries, whatever their
    number: the meetings' counts (see _meeting_counts), the open action items', and the next
    meetings (meetings.occurrences.upcoming)."""
    now = now or timezone.now()
    today = timezone.localdate()
    ids = [c.pk for c in committees]
    meetings = _meeting_counts(now)
    items = {
        row["meeting__committee"]: (row["open"], row["overdue"])
        for row in ActionItem.objects.open()
        .filter(meeting__committee__in=ids)
        .values("meeting__committee")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))
        .order_by()
    }
    upcoming = _next_meetings(ids, now)
    lines = []
    for c in committees:
        without, drafts, unresolved = meetings.get(c.pk, (0, 0, 0))
        open_items, overdue = items.get(c.pk, (0, 0))
        lines.append(
            CommitteeSummary(
                committee=c,
                next_meeting=upcoming.get(c.pk),
                without_minutes=without,
                drafts=drafts,
                unresolved=unresolved,
                open_items=open_items,
                overdue_items=overdue,
            )
        )
    return lines


def workspace(committees, now=None):
    """[CommitteeWork] for `committees` (a list of Committee), in their order."""
    now = now or timezone.now()
    today = timezone.localdate()
    if not committees:
        return []
    ids = [c.pk for c in committees]
    mine = (
        Meeting.objects.filter(committee__in=ids)
        .select_related("committee", "series")
        # Not without_texts(): the list of unresolved mentions shows them.
        .defer(*LONG_TEXTS)
    )
    cap = LIST_LENGTH * len(ids) * 4
    newest = [F("start").desc()]
    without = _grouped(
        _first_per_committee(mine.filter(_without_minutes(now)), newest),
        key=lambda m: m.committee_id,
    )
    drafts = _grouped(
        _first_per_committee(mine.filter(_draft()), newest),
        key=lambda m: m.committee_id,
    )
    unresolved = _grouped(
        _first_per_committee(mine.filter(_unresolved()), newest),
        key=lambda m: m.committee_id,
    )
    items = _grouped(
        _first_per_committee(
            ActionItem.objects.open()
            .filter(meeting__committee__in=ids)
            .select_related("owner", "meeting__committee")
            .defer(*without_texts("meeting__")),
            [F("owner__name").asc(), F("due").asc(), F("pk").asc()],
            limit=LIST_LENGTH * 4,
            committee="meeting__committee",
        ),
        key=lambda a: a.meeting.committee_id,
        limit=LIST_LENGTH * 4,
    )
    for rows in items.values():
        for item in rows:
            item.is_overdue = bool(item.due and item.due < today)
    changes = _grouped(
        Meeting.history.filter(committee_id__in=ids)
        .select_related("history_user")
        .order_by("-history_date")[:cap],
        key=lambda h: h.committee_id,
    )
    unlinked = unlinked_names(ids)
    upcoming = _next_meetings(ids, now)
    return [
        CommitteeWork(
            committee=c,
            next_meeting=upcoming.get(c.pk),
            without_minutes=without.get(c.pk, []),
            drafts=drafts.get(c.pk, []),
            action_items=items.get(c.pk, []),
            unresolved=unresolved.get(c.pk, []),
            unlinked=unlinked.get(c.pk, [])[: LIST_LENGTH * 4],
            changes=changes.get(c.pk, []),
        )
        for c in committees
    ]
