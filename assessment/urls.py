from django.urls import path

from . import views

urlpatterns = [
    path("networks/<int:pk>/assessment/", views.network_assessment, name="network_assessment"),
    path("networks/<int:pk>/assessment/open/", views.round_open, name="assessment_round_open"),
    path("assessment/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("assessment/rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path(
        "assessment/rounds/<int:pk>/municipalities/<int:municipality_pk>/",
        views.response_edit,
        name="response_edit",
    ),
]
