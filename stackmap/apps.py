from django.apps import AppConfig


class StackmapConfig(AppConfig):
    name = "stackmap"
    verbose_name = "Stack map"
