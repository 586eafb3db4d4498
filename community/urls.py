from django.urls import path

from .views import timeline

urlpatterns: list = [
    # Pages come with the library, adoption, experts, next phase and timeline.
    # --- Timeline
    path(
        "municipalities/<int:pk>/timeline/",
        timeline.municipality_timeline,
        name="municipality_timeline",
    ),
    # --- end of Timeline
]
