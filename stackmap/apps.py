from django.apps import AppConfig


class StackmapConfig(AppConfig):
    name = "stackmap"
    verbose_name = "Stack map"

    def ready(self):
        from django.db.backends.signals import connection_created

        from meetings import mentions
        from mwi.lib import search

        from . import cache, hooks

        connection_created.connect(cache.install, dispatch_uid="stackmap.cache.install")

        mentions.register(
            mentions.MentionKind(
                name="project", resolve=hooks.resolve_projects, store=hooks.store_projects
            )
        )
        search.register(hooks.ProjectSource())
