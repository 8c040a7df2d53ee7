"""What the stack map offers other apps: project mentions in minutes, and project search.

Registered by `register()`, called from StackmapConfig.ready(); meetings and the search page
never import stackmap.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from mwi.lib.search import Hit


def resolve_projects(names, slugs):
    """Map mention texts to projects by spelling-insensitive name or by slug: 2 queries."""
    from participants.models import name_key

    from .models import Project

    result = {}
    keys = {name_key(name): name for name in names}
    if keys:
        for project in Project.objects.filter(name_key__in=keys):
            result[keys[project.name_key]] = project
    if slugs:
        for project in Project.objects.filter(slug__in=slugs):
            result[project.slug] = project
    return result


def store_projects(meeting, projects):
    from meetings.mentions import replace_rows

    from .models import ProjectMention

    replace_rows(meeting, ProjectMention, "project", projects)


def highlight(text, query, width=160):
    """Escaped text around the first match of query, with <mark> around the match."""
    text = text or ""
    at = text.lower().find(query.lower())
    if at < 0:
        return escape(text[:width])
    start = max(0, at - width // 3)
    before, match, after = text[start:at], text[at : at + len(query)], text[at + len(query) :]
    prefix = "…" if start else ""
    tail = after[: max(0, width - len(before) - len(match))]
    return mark_safe(  # noqa: S308 - every piece is escaped
        f"{prefix}{escape(before)}<mark>{escape(match)}</mark>{escape(tail)}"
    )


class ProjectSource:
    """Projects for the site search: name, description and landscape path. One query."""

    name = "projects"
    label = "Projects"

    def search(self, query, *, audience, limit):
        from .models import Project

        query = (query or "").strip()
        if not query:
            return []
        hits = []
        for project in Project.objects.search(query).order_by("-hosted", "name")[:limit]:
            in_name = query.lower() in project.name.lower()
            field = project.description or project.landscape_path
            hits.append(
                Hit(
                    kind="project",
                    title=project.name,
                    url=project.get_absolute_url(),
                    snippet_html=highlight(field if not in_name else field or "", query),
                    rank=2.0 if in_name else 1.0,
                )
            )
        return hits


def register():
    """Add projects to the mention kinds and the search sources; called from ready()."""
    from meetings import mentions
    from mwi.lib import search

    mentions.register(
        mentions.MentionKind(name="project", resolve=resolve_projects, store=store_projects)
    )
    search.register(ProjectSource())
