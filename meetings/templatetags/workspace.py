"""`{% lead_workspace %}`: the lead's workspace on the admin index (meetings.admin_workspace)."""

from django import template

from ..admin_workspace import workspace

register = template.Library()


@register.inclusion_tag("admin/meetings/workspace.html", takes_context=True)
def lead_workspace(context):
    request = context["request"]
    return {"work": workspace(request.user), "today": None, "request": request}


@register.filter
def apps_in_order(app_list):
    """The committee's apps first; sign-in machinery (Authentication, Axes) last."""
    last = {"auth", "axes"}
    return [a for a in app_list if a["app_label"] not in last] + [
        a for a in app_list if a["app_label"] in last
    ]
