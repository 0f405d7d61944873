"""/api/v1/builder/... (included by kinga/api/urls.py, which scans installed apps for `api_urls`)."""

from django.urls import path

from . import api_views as v

urlpatterns = [
    path("builder/drafts/", v.DraftListView.as_view(), name="builder-drafts"),
    path("builder/drafts/<int:draft_id>/", v.DraftDetailView.as_view(), name="builder-draft"),
    path("builder/drafts/<int:draft_id>/ops/", v.DraftOpsView.as_view(), name="builder-draft-ops"),
    path(
        "builder/drafts/<int:draft_id>/validate/",
        v.DraftValidateView.as_view(),
        name="builder-draft-validate",
    ),
    path("builder/drafts/<int:draft_id>/diff/", v.DraftDiffView.as_view(), name="builder-draft-diff"),
    path(
        "builder/drafts/<int:draft_id>/publish/", v.DraftPublishView.as_view(), name="builder-draft-publish"
    ),
    path("builder/drafts/<int:draft_id>/keys/", v.DraftKeysView.as_view(), name="builder-draft-keys"),
    path(
        "builder/drafts/<int:draft_id>/translations/",
        v.DraftTranslationsView.as_view(),
        name="builder-draft-translations",
    ),
    path(
        "builder/drafts/<int:draft_id>/preview-config/",
        v.DraftPreviewConfigView.as_view(),
        name="builder-draft-preview",
    ),
    path(
        "builder/drafts/<int:draft_id>/xlsform/",
        v.DraftXLSFormImportView.as_view(),
        name="builder-xlsform-import",
    ),
    path(
        "builder/drafts/<int:draft_id>/forms/<str:form_id>/xlsform/",
        v.DraftXLSFormExportView.as_view(),
        name="builder-xlsform-export",
    ),
    path(
        "builder/forms/<str:form_id>/xlsform/",
        v.ActiveXLSFormExportView.as_view(),
        name="builder-active-xlsform",
    ),
    path("builder/history/", v.HistoryView.as_view(), name="builder-history"),
    path("builder/rollback/", v.RollbackView.as_view(), name="builder-rollback"),
    path("builder/expressions/check/", v.ExpressionCheckView.as_view(), name="builder-expression-check"),
    path("builder/functions/", v.FunctionsView.as_view(), name="builder-functions"),
    path("builder/field-types/", v.FieldTypesView.as_view(), name="builder-field-types"),
    path("builder/conditions/build/", v.ConditionBuildView.as_view(), name="builder-condition-build"),
    path("builder/conditions/parse/", v.ConditionParseView.as_view(), name="builder-condition-parse"),
]
