from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"


class Router(DefaultRouter):
    """DRF's router with its root view (/api/: a link to every list), without `.json` suffix
    routes: the API speaks JSON only."""

    include_format_suffixes = False
    root_view_name = "root"


router = Router()
router.register("committees", views.CommitteeViewSet, basename="committee")
router.register("series", views.SeriesViewSet, basename="series")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("people", views.PersonViewSet, basename="person")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("blocks", views.BlockViewSet, basename="block")
router.register("mappings", views.MappingViewSet, basename="mapping")
router.register("integrations", views.IntegrationViewSet, basename="integration")

urlpatterns = [
    # /api/schema/: OpenAPI 3 (YAML; ?format=json for JSON), generated once per process;
    # /api/docs/: Swagger UI on it
    path("api/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/docs/", views.docs, name="docs"),
    # /api/ (every list), /api/committees/, /api/committees/<slug>/, …
    path("api/", include(router.urls)),
    # /profile/tokens/: personal access tokens of the signed-in person
    path("profile/tokens/", views.tokens, name="tokens"),
    path("profile/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
