from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Charts of the committee's history, drawn from meetings and participants (read-only)."""

    name = "insights"
    verbose_name = "Insights"

    def ready(self):
        from . import cache  # noqa: F401 (watches the tables the charts count)
