from django.apps import AppConfig


class StackmapConfig(AppConfig):
    name = "stackmap"
    verbose_name = "Stack map"

    def ready(self):
        from meetings import mentions
        from mwi.lib import search

        from . import cache, hooks  # noqa: F401 (cache watches the stack map's tables)

        mentions.register(
            mentions.MentionKind(
                name="project", resolve=hooks.resolve_projects, store=hooks.store_projects
            )
        )
        search.register(hooks.ProjectSource())
