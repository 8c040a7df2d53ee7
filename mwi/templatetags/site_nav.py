"""The site's menus, and which entry of a menu is the page being read."""

from django import template
from django.urls import reverse

register = template.Library()

# Per menu: label, the page it opens, and the section it stands for: a view name ("home"), a
# namespace ("meetings:") or a prefix of view names ("stackmap:landscape*": the landscapes and
# their items). The current page's entry is the one with the longest section its view name is
# in, so /meetings/action-items/ is "Action items", not "Meetings".
MENUS = {
    "main": [
        ("Home", "home", "home"),
        ("People", "participants:people", "participants:"),
        ("Meetings", "meetings:archive", "meetings:"),
        ("Action items", "meetings:action_items", "meetings:action_items"),
        ("Insights", "insights:index", "insights:"),
        ("Stack map", "stackmap:diagram", "stackmap:"),
    ],
    "stack map": [
        ("Diagram", "stackmap:diagram", "stackmap:diagram"),
        ("Gaps", "stackmap:gaps", "stackmap:gaps"),
        ("Integrations", "stackmap:integrations", "stackmap:integrations"),
        ("Changes", "stackmap:diff", "stackmap:diff"),
        ("Landscape", "stackmap:landscape_own", "stackmap:landscape*"),
        ("Projects", "stackmap:projects", "stackmap:projects"),
    ],
}


def current_section(menu, view_name):
    """The section of a menu that a view name ("stackmap:gaps") belongs to, or None."""
    matching = [
        section
        for _label, _url_name, section in MENUS[menu]
        if view_name == section
        or (section.endswith(":") and view_name.startswith(section))
        or (section.endswith("*") and view_name.startswith(section[:-1]))
    ]
    return max(matching, key=len, default=None)


@register.inclusion_tag("includes/nav_items.html", takes_context=True)
def menu(context, name):
    """The <li> entries of a menu for the page being rendered (a 404 has no view: none is
    current)."""
    match = context["request"].resolver_match
    current = current_section(name, match.view_name) if match else None
    return {
        "entries": [
            {"label": label, "url": reverse(url_name), "active": section == current}
            for label, url_name, section in MENUS[name]
        ]
    }
