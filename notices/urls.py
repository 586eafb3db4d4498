from django.urls import path

from . import views

urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_open, name="notice_open"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("notices/settings/", views.notice_settings, name="notice_settings"),
]
