import datetime as dt

from django.urls import path, register_converter

from . import views


class IsoDateConverter:
    """A date written 2020-04-09 in a URL, given to the view as a datetime.date."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(value) from None  # an impossible date (2020-02-31) is a 404

    def to_url(self, value):
        return value.isoformat() if isinstance(value, dt.date) else value


class FileKindConverter:
    regex = "recording|material"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IsoDateConverter, "isodate")
register_converter(FileKindConverter, "file_kind")

app_name = "meetings"

urlpatterns = [
    # /meetings/, /meetings/2020-04-09-12/
    path("", views.archive, name="archive"),
    path("<isodate:day>-<int:pk>/", views.detail, name="detail"),
    # /meetings/series/3/2026-05-14/: an occurrence nobody has opened yet
    path("series/<int:series>/<isodate:day>/", views.occurrence, name="occurrence"),
    # /meetings/action-items/
    path("action-items/", views.action_items, name="action_items"),
    # /meetings/files/recording/5/, /meetings/files/material/7/
    path("files/<file_kind:kind>/<int:pk>/", views.download, name="download"),
]
