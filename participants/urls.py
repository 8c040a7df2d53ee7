from django.urls import path

from . import views

app_name = "participants"

# The committee page (/committees/<slug>/, "participants:committee") and a person's page
# (/people/<slug>/, "participants:person") show what every app knows: the site composes them
# (mwi/views.py) and adds them to this namespace in mwi/urls.py.
urlpatterns = [
    # /people/
    path("people/", views.people, name="people"),
    # /profile/: the signed-in person's own page
    path("profile/", views.profile, name="profile"),
    # /organizations/<slug>/
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
]
