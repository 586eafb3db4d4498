from django.urls import path

from .views import catalogue, feeds, position, sets, upload

urlpatterns = [
    path(
        "municipalities/<int:pk>/keyfigures/",
        position.municipality_keyfigures,
        name="municipality_keyfigures",
    ),
    path(
        "municipalities/<int:pk>/keyfigures.<str:fmt>",
        position.municipality_keyfigures_export,
        name="municipality_keyfigures_export",
    ),
    path(
        "municipalities/<int:pk>/keyfigures/similar/",
        position.municipality_similar,
        name="municipality_similar",
    ),
    path("networks/<int:pk>/keyfigures/", position.network_keyfigures, name="network_keyfigures"),
    path(
        "networks/<int:pk>/keyfigures.<str:fmt>",
        position.network_keyfigures_export,
        name="network_keyfigures_export",
    ),
    path("keyfigures/", catalogue.keyfigure_catalogue, name="keyfigure_catalogue"),
    path("keyfigures/import/", upload.keyfigures_import, name="keyfigures_import"),
    path(
        "keyfigures/import/confirm/",
        upload.keyfigures_import_confirm,
        name="keyfigures_import_confirm",
    ),
    path("keyfigures/feeds/", feeds.feed_list, name="feed_list"),
    path("keyfigures/feeds/new/", feeds.feed_create, name="feed_create"),
    path("keyfigures/feeds/<int:pk>/", feeds.feed_detail, name="feed_detail"),
    path("keyfigures/feeds/<int:pk>/edit/", feeds.feed_edit, name="feed_edit"),
    path("keyfigures/feeds/<int:pk>/fetch/", feeds.feed_fetch, name="feed_fetch"),
    path("keyfigures/feeds/runs/<int:pk>/apply/", feeds.feed_run_apply, name="feed_run_apply"),
    path("keyfigures/sets/", sets.comparison_set_list, name="comparison_set_list"),
    path("keyfigures/sets/new/", sets.comparison_set_create, name="comparison_set_create"),
    path("keyfigures/sets/<int:pk>/", sets.comparison_set_edit, name="comparison_set_edit"),
    path(
        "keyfigures/sets/<int:pk>/delete/",
        sets.comparison_set_delete,
        name="comparison_set_delete",
    ),
]
