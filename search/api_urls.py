from django.urls import re_path

from .api_views import AccessRequestView, CheckView, DecisionView, MergeView, UndoMergeView

# The trailing slash is optional: these are POST-only, and a redirect would drop the body.
urlpatterns = [
    re_path(r"^duplicates/check/?$", CheckView.as_view(), name="duplicates-check"),
    re_path(r"^duplicates/decisions/?$", DecisionView.as_view(), name="duplicates-decisions"),
    re_path(r"^duplicates/merge/?$", MergeView.as_view(), name="duplicates-merge"),
    re_path(r"^duplicates/undo-merge/?$", UndoMergeView.as_view(), name="duplicates-undo-merge"),
    re_path(r"^duplicates/request-access/?$", AccessRequestView.as_view(), name="duplicates-request-access"),
]
