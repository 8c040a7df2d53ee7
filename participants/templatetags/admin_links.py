"""`{% edit_link object %}`: staff see an "Edit" link from a public page to the admin object."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def edit_link(context, obj):
    """An "Edit" link to `obj`'s admin change form for staff who may change it, else ""."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or not (user and user.is_staff):
        return ""
    opts = obj._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return ""
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""
    return format_html(
        '<a class="btn btn-sm btn-outline-secondary edit-link" href="{}">Edit<span '
        'class="visually-hidden"> {} in the admin</span></a>',
        url,
        opts.verbose_name,
    )
