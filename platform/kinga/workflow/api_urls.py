from django.urls import path

from .api_views import DeadlineReportView, MyOverdueView, RecordWorkflowView, TransitionView

urlpatterns = [
    path("workflow/deadlines/", DeadlineReportView.as_view(), name="workflow-deadlines"),
    path("workflow/my-overdue/", MyOverdueView.as_view(), name="workflow-my-overdue"),
    path(
        "records/<str:record_type>/<str:record_id>/workflow/",
        RecordWorkflowView.as_view(),
        name="record-workflow",
    ),
    path(
        "records/<str:record_type>/<str:record_id>/transition/",
        TransitionView.as_view(),
        name="record-transition",
    ),
]
