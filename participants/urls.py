from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    # /committees/<slug>/
    path("committees/<slug:slug>/", views.committee_detail, name="committee"),
    # /people/, /people/<slug>/
    path("people/", views.people, name="people"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    # /organizations/<slug>/
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
]
