"""GET /api/v1/kpis/ and /api/v1/kpis/<id>/: aggregated values only, over the records the user may see."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from kinga.api.base import KingaAPIView, request_language
from kinga.configpacks.runtime import get_active
from kinga.core.errors import KingaError

from .compute import compute_kpi, get_definition, list_definitions


class KpiListView(KingaAPIView):
    """KPI definitions with labels in the user's language."""

    @extend_schema(summary="List KPI definitions", parameters=[], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        active = get_active()
        return Response(
            {
                "results": list_definitions(active, request_language(request, active)),
                "config_version": active.number,
            }
        )


class KpiDetailView(KingaAPIView):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD&location=CODE&breakdown=a,b&min_cell=N → the KPI value,
    its breakdown cells (cells under min_cell shown as "<N"), computed_at and config_version."""

    @extend_schema(
        summary="Compute a KPI",
        parameters=[
            OpenApiParameter("kpi_id", str, OpenApiParameter.PATH),
            OpenApiParameter("from", str),
            OpenApiParameter("to", str),
            OpenApiParameter("location", str),
            OpenApiParameter("breakdown", str),
            OpenApiParameter("min_cell", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, kpi_id: str):
        active = get_active()
        definition = get_definition(kpi_id, active)
        q = request.query_params
        raw = q.get("breakdown")  # absent: all; "none" or "": totals only; "a,b": those
        breakdowns = (
            None if raw is None else [b.strip() for b in raw.split(",") if b.strip() not in ("", "none")]
        )
        try:
            min_cell = int(q.get("min_cell") or 0)
        except ValueError:
            raise KingaError("min_cell must be a whole number.", code="invalid_min_cell")
        result = compute_kpi(
            definition,
            user=request.user,
            date_from=q.get("from"),
            date_to=q.get("to"),
            location=q.get("location") or None,
            breakdowns=breakdowns,
            min_cell=min_cell,
            lang=request_language(request, active),
            config=active,
        )
        return Response(result)
