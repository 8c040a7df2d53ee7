"""Template filters asking participants.access: `{% load access %}`, then e.g.
`{% if audience|may_see_members_only:committee %}` or `{{ audience|join_link:committee }}`.

`audience` is in every template's context (participants.access.audience); a committee may be
given as a Committee or its id.
"""

from django import template

from .. import access

register = template.Library()


@register.filter
def join_link(audience, committee):
    """The committee's default join link if the audience may see it, else ""."""
    return access.join_url(audience, committee)


@register.filter
def may_see_members_only(audience, committee):
    return audience.may_see_members_only(committee)


@register.filter
def may_see_draft_minutes(audience, committee):
    return audience.may_see_draft_minutes(committee)


@register.filter
def may_see_email(audience, person):
    return audience.may_see_email(person)


@register.filter
def manages(audience, committee):
    return audience.manages(committee)
