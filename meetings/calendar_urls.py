"""Calendar URLs (namespace "calendar"); every calendar URL ends in .ics."""

from django.urls import path

from mwi.lib import params  # noqa: F401 - registers <isodate:…>

from . import feeds

app_name = "calendar"

urlpatterns = [
    # /calendar.ics: every committee
    path("calendar.ics", feeds.site_feed, name="feed"),
    # /committees/<slug>/calendar.ics
    path("committees/<slug:slug>/calendar.ics", feeds.committee_feed, name="committee_feed"),
    # /meetings/<pk>/calendar.ics, /meetings/series/<pk>/<yyyy-mm-dd>/calendar.ics
    path("meetings/<int:pk>/calendar.ics", feeds.meeting_ics, name="meeting_ics"),
    path(
        "meetings/series/<int:series>/<isodate:day>/calendar.ics",
        feeds.occurrence_ics,
        name="occurrence_ics",
    ),
]
