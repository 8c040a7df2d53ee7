from django.apps import AppConfig


class StackmapConfig(AppConfig):
    name = "stackmap"
    verbose_name = "Stack map"

    def ready(self):
        from . import cache, hooks  # noqa: F401 (cache watches the stack map's tables)

        hooks.register()
