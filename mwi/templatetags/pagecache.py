"""`{% load pagecache %}{% personal "account_menu" %}`: a fragment that differs per visitor.

Rendered in place normally; while a page is rendered for the shared cache of its audience
class, a placeholder that mwi.lib.pagecache fills in per request (mwi.lib.pagecache.PERSONAL
names the fragments and their templates).
"""

from django import template
from django.utils.safestring import mark_safe

from mwi.lib import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, name):
    request = context.get("request")
    if request is not None and pagecache.rendering_shared(request):
        return mark_safe(pagecache.placeholder(name))  # noqa: S308 - our own constant
    fragment = context.template.engine.get_template(pagecache.PERSONAL[name])
    return fragment.render(context)
