from django.urls import path

from . import landscape_views, views

app_name = "stackmap"

urlpatterns = [
    # /stack/?as_of=YYYY-MM-DD, /stack/table/?as_of=...&page=N,
    # /stack/stack.svg, /stack/map.json, /stack/map.csv
    path("", views.diagram, name="diagram"),
    path("table/", views.table, name="table"),
    path("stack.svg", views.diagram_svg, name="svg"),
    path("map.json", views.map_json, name="json"),
    path("map.csv", views.map_csv, name="csv"),
    # /stack/changes/?since=...&until=..., /stack/gaps/
    path("changes/", views.changes, name="diff"),
    path("gaps/", views.gaps_view, name="gaps"),
    # /stack/integrations/, /stack/integrations/<pk>/
    path("integrations/", views.integrations, name="integrations"),
    path("integrations/<int:pk>/", views.integration_detail, name="integration"),
    # /stack/blocks/<slug>/, /stack/projects/, /stack/projects/<slug>/, /stack/use-cases/<slug>/
    path("blocks/<slug:slug>/", views.block_detail, name="block"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("use-cases/<slug:slug>/", views.use_case_detail, name="use_case"),
    # /stack/landscape/ (the foundation's own), /stack/landscape/<pk>/, an item, a logo
    path("landscape/", landscape_views.landscape, name="landscape_own"),
    path("landscape/<int:pk>/", landscape_views.landscape, name="landscape"),
    path("landscape/items/<int:pk>/", landscape_views.landscape_item, name="landscape_item"),
    path("landscape/logos/<str:name>", landscape_views.landscape_logo, name="landscape_logo"),
]
