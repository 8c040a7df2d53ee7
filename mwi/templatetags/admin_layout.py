"""`{% admin_layout "fieldset" %}`: Django's admin layout templates, rendered through Jinja2
(mwi.lib.admin_layout)."""

from django import template

from mwi.lib import admin_layout as layout

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_layout(context, name):
    return layout.render(name, context)
