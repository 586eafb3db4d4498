from django.urls import path

from . import views

urlpatterns = [
    path("networks/", views.network_list, name="network_list"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/<int:pk>/edit/", views.network_update, name="network_update"),
    path("networks/<int:pk>/invite/", views.network_invite, name="network_invite"),
    path("networks/<int:pk>/invite/file/", views.network_invite_file, name="network_invite_file"),
    path(
        "networks/<int:pk>/invite/file/confirm/",
        views.network_invite_file_confirm,
        name="network_invite_file_confirm",
    ),
    path("municipalities/<int:pk>/", views.municipality_detail, name="municipality_detail"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path(
        "membership-invitations/<int:pk>/decide/",
        views.membership_decide,
        name="membership_decide",
    ),
]
