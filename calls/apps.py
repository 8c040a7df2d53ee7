from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = "After the call"

    def ready(self):
        from . import hooks

        hooks.register()
