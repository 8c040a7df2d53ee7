from django.apps import AppConfig
from django.db.backends.signals import connection_created


class MwiConfig(AppConfig):
    name = "mwi"
    verbose_name = "MWI site"

    def ready(self):
        from .lib import pagecache

        # Every connection, in every process (web workers, management commands), reports its
        # committed writes so cached public pages are never served stale.
        connection_created.connect(pagecache.install, dispatch_uid="mwi.lib.pagecache.install")
