"""Composition root."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("kinga.api.urls")),
]
