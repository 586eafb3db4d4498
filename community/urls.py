from django.urls import path

from . import views

urlpatterns = [
    path("networks/<int:pk>/next-phase/", views.network_next_phase, name="network_next_phase"),
]
