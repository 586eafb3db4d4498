from django.urls import path

from .views import position, sets, upload

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
    path("keyfigures/import/", upload.keyfigures_import, name="keyfigures_import"),
    path(
        "keyfigures/import/confirm/",
        upload.keyfigures_import_confirm,
        name="keyfigures_import_confirm",
    ),
    path("keyfigures/sets/", sets.comparison_set_list, name="comparison_set_list"),
    path("keyfigures/sets/new/", sets.comparison_set_create, name="comparison_set_create"),
    path("keyfigures/sets/<int:pk>/", sets.comparison_set_edit, name="comparison_set_edit"),
    path(
        "keyfigures/sets/<int:pk>/delete/",
        sets.comparison_set_delete,
        name="comparison_set_delete",
    ),
]
