"""Kernel API routes (auth, configuration, records). They live in the API layer rather than in
records/api_urls.py because domain apps may not import DRF (import-linter contract)."""

from django.urls import path

from .auth_views import TokenView
from .config_views import ConfigView
from .record_views import RecordDetailView, RecordLinksView, RecordListView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("config/", ConfigView.as_view(), name="config"),
    path("records/<str:record_type>/", RecordListView.as_view(), name="record-list"),
    path("records/<str:record_type>/<str:record_id>/", RecordDetailView.as_view(), name="record-detail"),
    path("records/<str:record_type>/<str:record_id>/links/", RecordLinksView.as_view(), name="record-links"),
]
