from django.apps import AppConfig
from django.db.backends.signals import connection_created


class MwiConfig(AppConfig):
    name = "mwi"
    verbose_name = "MWI site"

    def ready(self):
        from .lib import invalidation, pagecache  # noqa: F401 (pagecache watches "pages")

        # Every connection, in every process (web workers, management commands), reports its
        # committed writes so cached pages and fragments are never served stale.
        connection_created.connect(invalidation.install, dispatch_uid="mwi.lib.invalidation")
