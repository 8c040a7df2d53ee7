"""The insights charts, computed once per write to what they count, not per request.

Their aggregates read every meeting, attendance row and mention (340 ms at 10,000 meetings), and
change only when meetings or people do: they are kept under the version "insights" of
mwi.lib.invalidation, which a committed write to a meetings or participants table replaces.
"Held" means "started before now", so a chart is also at most CLOCK_SECONDS old.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from mwi.lib import invalidation

from . import stats

VERSION = "insights"
CLOCK_SECONDS = 3600

invalidation.watch(VERSION, lambda table: table.startswith(("meetings_", "participants_")))


def _chart(name, compute):
    # One value per hour, so a meeting that starts counts as held within the hour.
    hour = timezone.now().strftime("%Y%m%d%H")
    return invalidation.remember(VERSION, (name, hour), compute, CLOCK_SECONDS)


def meetings_per_year():
    """stats.meetings_per_year(), as of this hour."""
    return _chart("meetings-per-year", stats.meetings_per_year)


def participants_by_organization():
    """stats.participants_by_organization(), as of this hour."""
    return _chart("participants-by-organization", stats.participants_by_organization)


def charts_html():
    """Both charts with their tables, rendered (safe HTML for the insights page), as of this
    hour: rendering 70 KB of SVG and tables cost more than reading the charts did."""
    html = _chart(
        "html",
        lambda: render_to_string(
            "insights/charts.html",
            {
                "meetings_chart": meetings_per_year(),
                "participants_chart": participants_by_organization(),
            },
        ),
    )
    return mark_safe(html)  # noqa: S308 - rendered by our template, autoescaped


def person_timeline_html(person):
    """The participation section of `person`'s page (safe HTML: their meetings held, attended,
    sent regrets to and mentioned in per year, as a chart and a table), as of this hour.

    Stored per person under the version "insights" (their attendance, mentions, name and
    meetings are all in the tables it watches): rendering the chart cost more than counting.
    Computing it is 1 query (stats.person_timeline), and the held meetings per year of the
    stored meetings_per_year() (1 more when that is not stored yet); without stored values it
    is computed each time, the held meetings counted with the person's rows (1 query)."""

    def compute():
        held = held_per_year() if invalidation.enabled() else None
        chart = stats.person_timeline(person, held=held)
        totals = {s.name: sum(s.values) for s in chart.series}
        return render_to_string(
            "insights/person_timeline_chart.html",
            {
                "chart": chart,
                "attended": totals["Attended"],
                "mentioned": totals.get("Mentioned in minutes", 0),
                "took_part": len(chart.series) > 2 or totals["Attended"] > 0,
            },
        )

    html = _chart(f"person-timeline-{person.pk}", compute)
    return mark_safe(html)  # noqa: S308 - rendered by our template, autoescaped


def held_per_year():
    """{year: meetings held}, as of this hour: the "Held" bars of meetings_per_year()."""
    return stats.held_per_year(meetings_per_year())
