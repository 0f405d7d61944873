"""API v1 routes. Each app contributes its own `api_urls` module; this file only composes them."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="openapi-schema"),
]
