"""API v1 routes. Each installed app may contribute an `api_urls` module with `urlpatterns`; this file
only composes them, so the kernel does not need to know which apps exist."""

import importlib

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="openapi-schema"),
]

for _config in apps.get_app_configs():
    try:
        importlib.import_module(f"{_config.name}.api_urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_config.name}.api_urls":
            raise
        continue
    urlpatterns.append(path("", include(f"{_config.name}.api_urls")))
