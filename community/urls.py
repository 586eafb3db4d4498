from django.urls import path

from .views import adopt, curate, experts, library, phase, publish, timeline

urlpatterns = [
    # --- The library of practices
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
    # --- Next phase
    path("networks/<int:pk>/next-phase/", phase.network_next_phase, name="network_next_phase"),
    # --- Timeline
    path(
        "municipalities/<int:pk>/timeline/",
        timeline.municipality_timeline,
        name="municipality_timeline",
    ),
    # --- The network of experts and speaker invitations
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
