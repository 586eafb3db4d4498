from django.urls import path

from .views import adopt, curate, library, publish

urlpatterns = [
    path("practices/", library.practice_list, name="practice_list"),
    path("practices/<int:pk>/", library.practice_detail, name="practice_detail"),
    path("practices/<int:pk>/edit/", publish.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/contact/", publish.practice_contact, name="practice_contact"),
    path("practices/<int:pk>/curate/", curate.practice_curate, name="practice_curate"),
    path("practices/<int:pk>/merge/", curate.practice_merge, name="practice_merge"),
    path("practices/<int:pk>/adopt/", adopt.practice_adopt, name="practice_adopt"),
    path(
        "measures/<int:pk>/publish/",
        publish.practice_publish_measure,
        name="practice_publish_measure",
    ),
    path(
        "sections/<int:pk>/publish/",
        publish.practice_publish_section,
        name="practice_publish_section",
    ),
]
