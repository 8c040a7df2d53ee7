from django.urls import path, register_converter

from mwi.lib import params  # noqa: F401 - registers <isodate:…>

from . import views


class FileKindConverter:
    regex = "recording|material"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


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
