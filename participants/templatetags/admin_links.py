"""`{% edit_link object %}`: who may change an object in the admin sees an "Edit" link to it."""

from django import template
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def edit_link(context, obj):
    """An "Edit" link to `obj`'s admin change form, else "".

    Shown to whoever the admin itself lets change `obj`: its ModelAdmin's
    has_change_permission, which is scoped by committee (participants.admin_access)."""
    request = context.get("request")
    if obj is None or request is None or not admin.site.has_permission(request):
        return ""
    try:
        model_admin = admin.site.get_model_admin(type(obj))
    except NotRegistered:
        return ""
    if not model_admin.has_change_permission(request, obj):
        return ""
    opts = obj._meta
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
