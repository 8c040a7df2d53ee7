from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    # /insights/
    path("insights/", views.index, name="index"),
]
