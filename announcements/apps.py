from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "announcements"
    verbose_name = "Announcements"

    def ready(self):
        from . import hooks

        hooks.register()
