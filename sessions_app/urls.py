from django.urls import path

from .views import agenda, assignments, attendance, calendar, gatherings, materials

urlpatterns = [
    path("networks/<int:pk>/schedule/", gatherings.schedule, name="network_schedule"),
    path("networks/<int:pk>/gatherings/", gatherings.network_gatherings, name="network_gatherings"),
    path("overview/", gatherings.facilitator_overview, name="facilitator_overview"),
    path("gatherings/<int:pk>/", gatherings.gathering_detail, name="gathering_detail"),
    path("gatherings/<int:pk>/summary/", gatherings.summary_edit, name="gathering_summary"),
    path("gatherings/<int:pk>/move/", gatherings.move, name="gathering_move"),
    path("gatherings/<int:pk>/cancel/", gatherings.cancel, name="gathering_cancel"),
    path("gatherings/<int:pk>/invite/", gatherings.send_invitations, name="gathering_invite"),
    path("gatherings/<int:pk>/agenda/add/", agenda.item_add, name="agenda_item_add"),
    path("agenda/<int:pk>/edit/", agenda.item_edit, name="agenda_item_edit"),
    path("agenda/<int:pk>/move/<str:direction>/", agenda.item_move, name="agenda_item_move"),
    path("agenda/<int:pk>/delete/", agenda.item_delete, name="agenda_item_delete"),
    path("gatherings/<int:pk>/attendance/", attendance.record, name="gathering_attendance"),
    path("gatherings/<int:pk>/materials/add/", materials.upload, name="material_upload"),
    path("materials/<int:pk>/", materials.download, name="material_download"),
    path("materials/<int:pk>/delete/", materials.delete, name="material_delete"),
    path("gatherings/<int:pk>/assignments/add/", assignments.create, name="assignment_create"),
    path("assignments/<int:pk>/done/", assignments.mark_done, name="assignment_done"),
    path("networks/<int:pk>/calendar/", calendar.network_calendar, name="network_calendar"),
    path(
        "networks/<int:pk>/calendar.ics",
        calendar.network_calendar_ics,
        name="network_calendar_ics",
    ),
    path("calendar/", calendar.my_calendar, name="my_calendar"),
    path("calendar/<uuid:token>.ics", calendar.person_calendar_ics, name="person_calendar_ics"),
]
