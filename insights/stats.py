"""The numbers behind the charts: one aggregate query each, grouped in the database.

"Held" means a scheduled (not cancelled) meeting that has started; years are calendar years
in UTC, which is the committee's year too for any meeting that does not start around midnight
on New Year's Eve.
"""

import datetime as dt
from collections import Counter

from django.db.models import Count, F, Q, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone

from meetings.models import Attendance, Meeting, Mention

from .charts import MUTED_COLOR, OTHER_COLOR, PALETTE, Series, bar_chart

TOP_ORGANIZATIONS = len(PALETTE)  # the rest share one "other organizations" colour


class UtcYear(ExtractYear):
    """The UTC calendar year of a datetime, computed inside the database.

    Django's ExtractYear on SQLite calls back into Python for every row (about 7 µs each:
    65 ms over 10,000 meetings); SQLite stores datetimes as UTC text, so its own strftime
    reads the year in C. PostgreSQL's EXTRACT is native already.
    """

    def __init__(self, expression, **extra):
        super().__init__(expression, tzinfo=dt.UTC, **extra)

    def as_sqlite(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime(%s, {sql}) AS INTEGER)", ("%Y", *params)


def _years(rows):
    years = [row["year"] for row in rows]
    return list(range(min(years), max(years) + 1)) if years else []


def meetings_per_year(now=None):
    """Meetings held and cancelled per year (1 query, answered by the (status, start) index:
    it counts a column of the index, not the primary key)."""
    rows = list(
        # Every status is named so that SQLite, too, reads the (status, start) index.
        Meeting.objects.filter(status__in=Meeting.Status.values, start__lt=now or timezone.now())
        .annotate(year=UtcYear("start"))
        .values("year")
        .annotate(
            held=Count("start", filter=Q(status=Meeting.Status.SCHEDULED)),
            cancelled=Count("start", filter=Q(status=Meeting.Status.CANCELLED)),
        )
        .order_by("year")
    )
    by_year = {row["year"]: row for row in rows}
    years = _years(rows)
    return bar_chart(
        slug="meetings-per-year",
        title="Meetings per year",
        categories=years,
        series=[
            Series("Held", [by_year.get(y, {}).get("held", 0) for y in years], PALETTE[0]),
            Series(
                "Cancelled", [by_year.get(y, {}).get("cancelled", 0) for y in years], OTHER_COLOR
            ),
        ],
        stacked=True,
        unit="meetings",
    )


def participants_by_organization(now=None):
    """People taking part per year, by organization (1 query: a UNION of two).

    A person takes part in a year when they were present at one of its meetings or are
    mentioned in its published minutes (years of minutes predate attendance lists). Each
    person counts once per year under the organization they were affiliated with on the day
    of each such meeting (participants.Affiliation): a change of employer does not move past
    years, and a person who changed during a year counts once under each organization.
    """
    now = now or timezone.now()
    present = Attendance.objects.filter(
        status=Attendance.Status.PRESENT,
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__start__lt=now,
    )
    mentioned = Mention.objects.filter(
        Meeting.record_q(),  # mentions are part of a meeting's record: public ones only
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__start__lt=now,
    )
    fields = ("year", "person_id", "organization_name")
    # UNION (not UNION ALL) leaves one row per person and year.
    # The models' orderings name columns a UNION does not have: every part goes unordered.
    people_years = (
        present.with_organization()
        .annotate(year=UtcYear("meeting__start"))
        .values_list(*fields)
        .order_by()
        .union(
            mentioned.with_organization()
            .annotate(year=UtcYear("meeting__start"))
            .values_list(*fields)
            .order_by()
        )
        .order_by()
    )
    counts = Counter((year, org) for year, _, org in people_years)

    totals = Counter()
    for (_, org), n in counts.items():
        totals[org] += n
    named = sorted((org for org in totals if org), key=lambda org: (-totals[org], org))
    top = named[:TOP_ORGANIZATIONS]
    years = _years([{"year": year} for year, _ in counts])

    def column(orgs):
        return [sum(counts[(year, org)] for org in orgs) for year in years]

    series = [Series(org, column([org]), color) for org, color in zip(top, PALETTE, strict=False)]
    rest = [org for org in named if org not in top]
    if rest:
        series.append(Series("Other organizations", column(rest), OTHER_COLOR))
    if None in totals:
        series.append(Series("No organization", column([None]), MUTED_COLOR))
    return bar_chart(
        slug="participants-by-organization",
        title="Participants by organization",
        categories=years,
        series=series,
        stacked=True,
        unit="participants",
        rows_are_series=True,
    )


def held_per_year(chart):
    """{year: meetings held} read from a meetings_per_year() chart."""
    held = next(s for s in chart.series if s.name == "Held")
    return dict(zip(chart.categories, held.values, strict=True))


def person_timeline(person, now=None, *, held=None):
    """Per year: meetings held, and those the person attended, sent regrets to, or was
    mentioned in (1 query: a UNION ALL of three small aggregates; two when `held`, the
    meetings held per year ({year: n}, as held_per_year gives them), is known already).

    Held meetings are counted from the (status, start) index alone; the person's own rows
    are found through their person_id indexes. Joining every meeting to the person's
    attendance and mentions instead read the whole meetings table for each person page
    (116 ms at 10,000 meetings on SQLite).
    """
    now = now or timezone.now()
    held_meetings = Meeting.objects.filter(status=Meeting.Status.SCHEDULED, start__lt=now)
    on = {"meeting__status": Meeting.Status.SCHEDULED, "meeting__start__lt": now}
    attended = Attendance.objects.filter(person=person, **on)
    # Mentions are part of a meeting's record: counted when the record is public.
    mentioned = Mention.objects.filter(Meeting.record_q(), person=person, **on)

    def per_year(queryset, kind, start="start"):
        # The models' orderings name columns a UNION does not have: every part goes unordered.
        return (
            queryset.annotate(year=UtcYear(start), kind=kind)
            .values("year", "kind")
            .annotate(n=Count("*"))  # not a column: the index alone answers on PostgreSQL
            .values_list("year", "kind", "n")
            .order_by()
        )

    parts = [
        per_year(attended, F("status"), "meeting__start"),
        per_year(mentioned, Value("mentioned"), "meeting__start"),
    ]
    if held is None:
        parts.insert(0, per_year(held_meetings, Value("held")))
    counts = {}
    for year, n in (held or {}).items():
        if n:
            counts.setdefault(year, {})["held"] = n
    for year, kind, n in parts[0].union(*parts[1:], all=True).order_by():
        counts.setdefault(year, {})[kind] = n
    rows = [
        {
            "year": year,
            "held": by_kind.get("held", 0),
            "attended": by_kind.get(Attendance.Status.PRESENT, 0),
            "regrets": by_kind.get(Attendance.Status.REGRETS, 0),
            "mentioned": by_kind.get("mentioned", 0),
        }
        for year, by_kind in sorted(counts.items())
    ]
    by_year = {row["year"]: row for row in rows}
    years = _years(rows)

    def column(key):
        return [by_year.get(y, {}).get(key, 0) for y in years]

    series = [
        Series("Meetings held", column("held"), MUTED_COLOR),
        Series("Attended", column("attended"), PALETTE[0]),
        Series("Sent regrets", column("regrets"), PALETTE[5]),
        Series("Mentioned in minutes", column("mentioned"), PALETTE[1]),
    ]
    return bar_chart(
        slug=f"timeline-{person.slug}",
        title=f"{person.name}'s participation",
        categories=years,
        # Held and attended always; regrets and mentions only when there are any.
        series=series[:2] + [s for s in series[2:] if any(s.values)],
        stacked=False,
        unit="meetings",
    )
