"""The lead's workspace at the top of the admin index: what needs doing, per committee.

For each committee the signed-in lead runs (a superuser: every committee): the next meeting
(opened in one click with its agenda pre-filled), past meetings without minutes, draft
minutes waiting, open action items by owner and due date, mentions that match nobody, names
of known people and projects written in minutes without a mention, and the latest changes.
A fixed number of queries, whatever the number of committees or meetings.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from participants.models import Committee, Membership

from . import occurrences
from .models import LONG_TEXTS, ActionItem, Meeting, without_texts
from .unlinked import unlinked_names

LIST_LENGTH = 5


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


def workspace(user, now=None):
    """[CommitteeWork] for the committees `user` runs."""
    now = now or timezone.now()
    today = timezone.localdate()
    committees = committees_run_by(user)
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
        _first_per_committee(
            mine.filter(start__lt=now, status=Meeting.Status.SCHEDULED, minutes=""), newest
        ),
        key=lambda m: m.committee_id,
    )
    drafts = _grouped(
        _first_per_committee(mine.filter(minutes_status=Meeting.MinutesStatus.DRAFT), newest),
        key=lambda m: m.committee_id,
    )
    unresolved = _grouped(
        _first_per_committee(mine.exclude(unresolved_mentions=[]), newest),
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
    upcoming = {}
    for occurrence in occurrences.upcoming(now=now, horizon=dt.timedelta(days=120)):
        if occurrence.committee.pk in ids and not occurrence.is_cancelled:
            upcoming.setdefault(occurrence.committee.pk, occurrence)
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
