from django.urls import path

from .views import experts

urlpatterns = [
    # The network of experts and speaker invitations (views/experts.py).
    path("experts/", experts.directory, name="expert_directory"),
    path("experts/me/", experts.profile_edit, name="expert_profile"),
    path("experts/me/leave/", experts.profile_delete, name="expert_profile_delete"),
    path("experts/<int:pk>/", experts.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/invite/", experts.speaker_invite, name="speaker_invite"),
    path("speakers/<int:pk>/", experts.invitation_detail, name="speaker_invitation"),
    path("speakers/<int:pk>/answer/", experts.invitation_answer, name="speaker_invitation_answer"),
    path(
        "speakers/<int:pk>/withdraw/",
        experts.invitation_withdraw,
        name="speaker_invitation_withdraw",
    ),
]
