from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from . import cache, hooks  # noqa: F401 (cache watches the meetings table)
        from .ical import versions  # noqa: F401 (watches the tables the feeds show)

        hooks.register()
