"""`{{ value|safe_href }}`: the filter every href that comes from data goes through."""

from django import template

from mwi.lib.safeurl import href

register = template.Library()


@register.filter
def safe_href(value):
    """The URL when it is http, https, mailto or relative (mwi.lib.safeurl), else ""."""
    return href("" if value is None else str(value))
