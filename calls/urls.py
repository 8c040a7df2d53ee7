from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    # /meetings/12/captions.vtt: the transcript of meeting 12 as captions
    path("<int:pk>/captions.vtt", views.captions, name="captions"),
]
