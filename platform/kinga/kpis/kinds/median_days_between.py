from kinga.workflow.deadlines import parse_when

from ..aggregates import Days
from ..registry import DATE_SOURCE, EXPR, FIELD_KEY, KpiKind, kpi_kinds
from ..text import days_between


@kpi_kinds.register()
class MedianDaysBetweenKind(KpiKind):
    """Median (mean, n) days from `start` to `end` over records where both are present.

    An end before its start is a data error: left out of the value, counted in the detail."""

    name = "median_days_between"
    description = "Median days between two dates of a record"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["start", "end"],
        "properties": {"start": DATE_SOURCE, "end": FIELD_KEY, "filter": EXPR},
    }
    expression_params = ("filter",)
    field_params = ("start", "end")
    aggregate = Days

    def units(self, record):
        if not self.holds("filter", record):
            return
        data = record.data or {}
        start = (
            record.created_at
            if self.params["start"] == "@created"
            else parse_when(data.get(self.params["start"]))
        )
        days = days_between(start, parse_when(data.get(self.params["end"])))
        if days is not None and days >= 0:
            yield days, None
