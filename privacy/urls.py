from django.urls import path

from . import views

urlpatterns = [
    path("privacy/my-data/", views.my_data, name="my_data"),
    path("privacy/my-data.json", views.my_data_download, name="my_data_download"),
    path("privacy/erase/<int:pk>/", views.person_erase, name="person_erase"),
]
