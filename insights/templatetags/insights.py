from django import template

from .. import cache

register = template.Library()


@register.simple_tag
def person_timeline(person):
    """A person's participation by year, for their page: safe HTML (insights.cache.
    person_timeline_html: stored per write and hour when values are stored; else 1 query)."""
    return cache.person_timeline_html(person)
