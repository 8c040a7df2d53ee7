from django import template

from .. import stats

register = template.Library()


@register.inclusion_tag("insights/person_timeline_chart.html")
def person_timeline(person):
    """A person's participation by year (1 query), for their page."""
    chart = stats.person_timeline(person)
    totals = {s.name: sum(s.values) for s in chart.series}
    return {
        "person": person,
        "chart": chart,
        "attended": totals["Attended"],
        "mentioned": totals.get("Mentioned in minutes", 0),
        "took_part": len(chart.series) > 2 or totals["Attended"] > 0,
    }
