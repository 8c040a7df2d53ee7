from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.filter
def meeting_url(meeting):
    """The meeting's page, or "" while the meetings pages are not mounted (then: plain text)."""
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return ""


@register.inclusion_tag("stackmap/includes/source.html")
def cite(fact):
    """Where a fact comes from: the committee meeting (linked), a link, or words."""
    return {"fact": fact}
