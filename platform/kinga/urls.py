"""Composition root."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("api/v1/", include("kinga.api.urls")),
    path("", RedirectView.as_view(url="/app/", permanent=False)),
]

handler400 = "kinga.api.errors.bad_request"
handler403 = "kinga.api.errors.permission_denied"
handler404 = "kinga.api.errors.page_not_found"
handler500 = "kinga.api.errors.server_error"
