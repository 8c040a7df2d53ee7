"""What the stack map offers other apps: project mentions in minutes, and project search.

Registered by `register()`, called from StackmapConfig.ready(); meetings and the search page
never import stackmap.
"""

from mwi.lib import search
from mwi.lib.addresses import may_see_addresses, redact_addresses


def resolve_projects(names, slugs):
    """Map mention texts to projects by spelling-insensitive name or by slug: 1 query."""
    from meetings.mentions import resolve_by_key

    from .models import Project

    return resolve_by_key(Project.objects.all(), names, slugs)


def project_names():
    """[(text, mention)] for every project (1 query): its name as `@[name]`, and its short
    name ("Angel" of "Angel (Angel-ML)", "Acumos" of "Acumos AI") as `@slug`, for finding
    names written in minutes without a mention."""
    import re

    from .models import Project

    pairs = []
    for name, slug in Project.objects.values_list("name", "slug"):
        pairs.append((name, f"@[{name}]"))
        short = re.sub(r"\s*\([^)]*\)$|\s+AI$", "", name)
        if short != name and short:
            pairs.append((short, f"@{slug}"))
    return pairs


def store_projects(meeting, projects):
    from meetings.mentions import replace_rows

    from .models import ProjectMention

    replace_rows(meeting, ProjectMention, "project", projects)


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
        terms = search.terms_of(query)
        reveal = may_see_addresses(audience)
        for project in Project.objects.search(query).order_by("-hosted", "name")[:limit]:
            in_name = query.lower() in project.name.lower()
            field = project.description or project.landscape_path
            hits.append(
                search.Hit(
                    kind="project",
                    title=project.name,
                    url=project.get_absolute_url(),
                    snippet_html=search.highlight(
                        redact_addresses(field, reveal=reveal), terms, width=160
                    ),
                    rank=2.0 if in_name else 1.0,
                )
            )
        return hits


def register():
    """Add projects to the mention kinds and the search sources; called from ready()."""
    from meetings import mentions
    from mwi.lib import search

    mentions.register(
        mentions.MentionKind(
            name="project",
            resolve=resolve_projects,
            store=store_projects,
            names=project_names,
        )
    )
    search.register(ProjectSource())
