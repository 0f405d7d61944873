"""Kernel API routes (auth, configuration, records, audit, security). They live in the API layer
rather than in records/api_urls.py because domain apps may not import DRF (import-linter contract)."""

from django.urls import path

from .attachment_views import AttachmentDownloadView, AttachmentUploadView
from .audit_views import AuditExportView, AuditListView, AuditVerifyView, BreakGlassReportView
from .auth_views import LogoutView, TokenView, TwoFactorConfirmView, TwoFactorSetupView
from .config_views import ConfigView
from .record_views import (
    RecordDetailView,
    RecordExportView,
    RecordLinksView,
    RecordListView,
    RecordShortIdsView,
)
from .security_views import (
    AlertListView,
    BreakGlassView,
    IntegrationTokenDetailView,
    IntegrationTokenListView,
    UserDetailView,
    UserListView,
    UserTwoFactorResetView,
)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("auth/2fa/setup/", TwoFactorSetupView.as_view(), name="auth-2fa-setup"),
    path("auth/2fa/confirm/", TwoFactorConfirmView.as_view(), name="auth-2fa-confirm"),
    path("auth/integration-tokens/", IntegrationTokenListView.as_view(), name="integration-tokens"),
    path(
        "auth/integration-tokens/<int:token_id>/",
        IntegrationTokenDetailView.as_view(),
        name="integration-token-detail",
    ),
    path("users/", UserListView.as_view(), name="users"),
    path("users/<int:user_id>/", UserDetailView.as_view(), name="user-detail"),
    path("users/<int:user_id>/2fa-reset/", UserTwoFactorResetView.as_view(), name="user-2fa-reset"),
    path("alerts/", AlertListView.as_view(), name="alerts"),
    path("audit/", AuditListView.as_view(), name="audit"),
    path("audit/export/", AuditExportView.as_view(), name="audit-export"),
    path("audit/break-glass/", BreakGlassReportView.as_view(), name="audit-break-glass"),
    path("audit/verify/", AuditVerifyView.as_view(), name="audit-verify"),
    path("config/", ConfigView.as_view(), name="config"),
    path("attachments/", AttachmentUploadView.as_view(), name="attachments"),
    path("attachments/<uuid:attachment_id>/", AttachmentDownloadView.as_view(), name="attachment-detail"),
    path("records/<str:record_type>/", RecordListView.as_view(), name="record-list"),
    # Before the detail route, which would otherwise read "export" as a record id.
    path("records/<str:record_type>/export/", RecordExportView.as_view(), name="record-export"),
    path("records/<str:record_type>/short-ids/", RecordShortIdsView.as_view(), name="record-short-ids"),
    path("records/<str:record_type>/<str:record_id>/", RecordDetailView.as_view(), name="record-detail"),
    path("records/<str:record_type>/<str:record_id>/links/", RecordLinksView.as_view(), name="record-links"),
    path(
        "records/<str:record_type>/<str:record_id>/break-glass/",
        BreakGlassView.as_view(),
        name="record-break-glass",
    ),
]
