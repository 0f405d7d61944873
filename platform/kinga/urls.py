"""Composition root."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("api/v1/", include("kinga.api.urls")),
    path("", RedirectView.as_view(url="/app/", permanent=False)),
]
