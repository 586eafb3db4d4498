from django.urls import path

from . import narrative_views, views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/request/", views.report_request, name="report_request"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path(
        "reports/<int:pk>/download.<str:fmt>",
        views.report_download_format,
        name="report_download_format",
    ),
    path("reports/<int:pk>/page/", views.report_page, name="report_page"),
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
    path(
        "programmes/<int:pk>/review/targets/",
        views.programme_review_targets,
        name="programme_review_targets",
    ),
]

urlpatterns += [
    path(
        "programmes/<int:pk>/review/<int:number>/",
        narrative_views.narrative_workspace,
        name="narrative_workspace",
    ),
    path(
        "programmes/<int:pk>/review/<int:number>/write/<str:kind>/",
        narrative_views.narrative_write_programme,
        name="narrative_write_programme",
    ),
    path(
        "networks/<int:pk>/review/<int:number>/write/<str:kind>/",
        narrative_views.narrative_write_network,
        name="narrative_write_network",
    ),
    path(
        "review/narrative/<int:pk>/status/",
        narrative_views.narrative_status,
        name="narrative_status",
    ),
    path(
        "review/narrative/<int:pk>/restore/<int:version>/",
        narrative_views.narrative_restore,
        name="narrative_restore",
    ),
]
