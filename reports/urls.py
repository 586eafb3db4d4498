from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/request/", views.report_request, name="report_request"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("programmes/<int:pk>/figures/", views.programme_figures, name="programme_figures"),
    path(
        "gatherings/<int:pk>/sign-in-sheet.pdf",
        views.gathering_sign_in_sheet,
        name="gathering_sign_in_sheet",
    ),
    path(
        "gatherings/<int:pk>/attendance.<str:fmt>",
        views.gathering_attendance_export,
        name="gathering_attendance_export",
    ),
    path(
        "programmes/<int:pk>/figures.<str:fmt>",
        views.programme_figures_export,
        name="programme_figures_export",
    ),
]
