from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Charts of the committee's history, drawn from meetings and participants (read-only)."""

    name = "insights"
    verbose_name = "Insights"
