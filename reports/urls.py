from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/request/", views.report_request, name="report_request"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("programmes/<int:pk>/figures/", views.programme_figures, name="programme_figures"),
    path(
        "programmes/<int:pk>/figures.<str:fmt>",
        views.programme_figures_export,
        name="programme_figures_export",
    ),
]
