"""Linking facts of the map to the committee meetings they cite.

A fact imported from a source that is a committee meeting keeps the meeting's date
(`source_date`); it is linked to the Meeting of that committee held on that date (in the
committee's time zone) when one exists. Meetings added later are linked by relink_sources(),
which import_stack and the demo loader run.
"""

import datetime as dt

from meetings.models import Meeting

from .models import IntegrationStatusChange, Mapping, StageEvent, UseCase

SOURCED_MODELS = (StageEvent, Mapping, IntegrationStatusChange, UseCase)


def meetings_on(committee, dates):
    """{date: Meeting} for the committee's meetings held on those local dates: one query."""
    dates = set(dates)
    if committee is None or not dates:
        return {}
    tz = committee.tz
    after = dt.datetime.combine(min(dates), dt.time.min, tzinfo=tz)
    before = dt.datetime.combine(max(dates) + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    found = {}
    meetings = Meeting.objects.filter(committee=committee, start__gte=after, start__lt=before)
    # Scheduled before cancelled, earliest first: the meeting that actually took place wins.
    for meeting in meetings.select_related("committee").order_by("-status", "start"):
        day = meeting.start.astimezone(tz).date()
        if day in dates:
            found.setdefault(day, meeting)
    return found


def relink_sources(committee):
    """Link every fact that cites a meeting date, but no meeting yet, to that meeting.

    Returns the number of facts linked. Two queries per model plus one update per model.
    """
    if committee is None:
        return 0
    linked = 0
    for model in SOURCED_MODELS:
        rows = list(
            model.objects.filter(source_meeting__isnull=True, source_date__isnull=False).only(
                "pk", "source_date"
            )
        )
        by_date = meetings_on(committee, {row.source_date for row in rows})
        changed = []
        for row in rows:
            if row.source_date in by_date:
                row.source_meeting = by_date[row.source_date]
                changed.append(row)
        model.objects.bulk_update(changed, ["source_meeting"])
        linked += len(changed)
    return linked


def relink_champions():
    """Link use cases whose champion is only a name to the person of that name, if any."""
    from participants.models import Person

    linked = 0
    for use_case in UseCase.objects.filter(champion__isnull=True).exclude(champion_name=""):
        person = Person.objects.matching(use_case.champion_name).first()
        if person is None and "(" in use_case.champion_name:
            # "Zhipeng (Howard) Huang (Huawei)": drop the trailing affiliation.
            person = Person.objects.matching(use_case.champion_name.rsplit("(", 1)[0]).first()
        if person:
            use_case.champion = person
            use_case.save(update_fields=["champion"])
            linked += 1
    return linked
