"""`{% lead_workspace %}`: the lead's workspace on the admin index (meetings.admin_workspace)."""

from django import template

from ..admin_workspace import for_index

register = template.Library()


@register.inclusion_tag("admin/meetings/workspace.html", takes_context=True)
def lead_workspace(context):
    """The workspaces or the summary for the signed-in user; `?committee=<slug>` on the index
    picks one committee's workspace."""
    request = context["request"]
    index = for_index(request.user, request.GET.get("committee"))
    return {"index": index, "work": index.work, "request": request}


@register.filter
def apps_in_order(app_list):
    """The committee's apps first; sign-in machinery (Authentication, Axes) last."""
    last = {"auth", "axes"}
    return [a for a in app_list if a["app_label"] not in last] + [
        a for a in app_list if a["app_label"] in last
    ]
