from django.urls import path

from .api_views import KpiDetailView, KpiListView

urlpatterns = [
    path("kpis/", KpiListView.as_view(), name="kpi-list"),
    path("kpis/<str:kpi_id>/", KpiDetailView.as_view(), name="kpi-detail"),
]
