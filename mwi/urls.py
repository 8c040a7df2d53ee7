from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from participants import oidc
from participants.urls import urlpatterns as participants_urls

from . import views
from .forms import SignInForm

admin.site.site_header = f"{settings.SITE_NAME} – committee workspace"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Committees, meetings, people and the stack map"

urlpatterns = [
    path("", views.home, name="home"),
    # The composed pages keep their names in the participants namespace (see participants.urls).
    path(
        "",
        include(
            (
                [
                    # /committees/<slug>/, /people/<slug>/
                    path("committees/<slug:slug>/", views.committee, name="committee"),
                    path("people/<slug:slug>/", views.person, name="person"),
                    *participants_urls,
                ],
                "participants",
            )
        ),
    ),
    path("", include("meetings.calendar_urls")),
    # /meetings/…, /search/?q=…
    path("meetings/", include("meetings.urls")),
    # /meetings/12/captions.vtt: a meeting's transcript as captions
    path("meetings/", include("calls.urls")),
    path("search/", views.search, name="search"),
    # /insights/
    path("", include("insights.urls")),
    # /stack/…: the stack map
    path("stack/", include("stackmap.urls")),
    # /accounts/login/, /accounts/logout/
    path("accounts/login/", oidc.SignInPage.as_view(form_class=SignInForm), name="login"),
    path("accounts/logout/", oidc.sign_out, name="logout"),
    # Sign-in through the OpenID Connect provider: start, and the provider's redirect back.
    path(
        "accounts/oidc/authenticate/",
        oidc.SignInView.as_view(),
        name="oidc_authentication_init",
    ),
    path(
        "accounts/oidc/callback/",
        oidc.CallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    # /api/…: the read API, its schema and docs; /profile/tokens/: personal access tokens
    path("", include("api.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's); lazy so the
    # hashed static name is looked up per request, after collectstatic wrote the manifest.
    path(
        "favicon.ico",
        require_safe(RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"))),
    ),
]
