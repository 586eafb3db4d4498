from django.urls import path

from .views import phase, timeline

urlpatterns = [
    # --- Next phase
    path("networks/<int:pk>/next-phase/", phase.network_next_phase, name="network_next_phase"),
    # --- Timeline
    path(
        "municipalities/<int:pk>/timeline/",
        timeline.municipality_timeline,
        name="municipality_timeline",
    ),
]
