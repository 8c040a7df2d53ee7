"""benchmarks.scale_data writes what Model.save() would write, and the same data for a seed."""

import io

from django.core.management import call_command
from django.db import transaction

from benchmarks import scale_data
from meetings.models import Meeting

SMALL = [
    "--committees",
    "2",
    "--meetings",
    "40",
    "--people",
    "30",
    "--projects",
    "20",
    "--cues",
    "20",
]


def _generate(*extra):
    call_command(scale_data.Command(), *SMALL, *extra, stdout=io.StringIO())


def _rendered(meeting):
    return (
        meeting.agenda_html,
        meeting.minutes_html,
        meeting.unresolved_mentions,
        sorted(meeting.mentions.values_list("person_id", flat=True)),
        sorted(meeting.project_mentions.values_list("project_id", flat=True)),
    )


def test_bulk_rendered_meetings_equal_what_save_renders(db):
    _generate("--seed", "3")
    meetings = list(Meeting.objects.exclude(minutes="").filter(minutes__contains="@[")[:15])
    assert meetings, "the scale data should mention people in its minutes"
    for meeting in meetings:
        generated = _rendered(meeting)
        meeting.save()
        meeting.refresh_from_db()
        assert _rendered(meeting) == generated


def test_the_same_seed_gives_the_same_meetings(db):
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            _generate("--seed", "7", "--today", "2026-11-27")
            snapshots.append(
                list(Meeting.objects.order_by("start", "title").values_list("title", "minutes"))
            )
            transaction.set_rollback(True)
    assert snapshots[0] and snapshots[0] == snapshots[1]
