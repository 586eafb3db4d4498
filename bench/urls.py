"""The project's URLs and a bare view, for the bench only (bench/settings.py selects it)."""

from django.http import HttpResponse
from django.urls import path

from cemsdi_portal.urls import urlpatterns as project_urlpatterns


def bare(request):
    """The least a Django view does: the floor the comparison page is measured against."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urlpatterns]
