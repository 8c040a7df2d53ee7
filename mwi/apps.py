from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created


class MwiAdminConfig(admin_apps.AdminConfig):
    """The admin, open to each committee's managers (participants/admin_access.py)."""

    default = False
    default_site = "participants.admin_access.ManagersAdminSite"


class MwiConfig(AppConfig):
    default = True
    name = "mwi"
    verbose_name = "MWI site"

    def ready(self):
        from .lib import invalidation, pagecache  # noqa: F401 (pagecache watches "pages")

        # Every connection, in every process (web workers, management commands), reports its
        # committed writes so cached pages and fragments are never served stale.
        connection_created.connect(invalidation.install, dispatch_uid="mwi.lib.invalidation")
