from kinga.workflow.deadlines import parse_when

from ..aggregates import Days
from ..registry import DATE_SOURCE, EXPR, FIELD_KEY, KpiKind, kpi_kinds
from ..text import days_between
from ._rows import check_subform


@kpi_kinds.register()
class MedianDaysRowsKind(KpiKind):
    """Median (mean, n) days from `start` (a row field, else a record field, or "@created") to a row's
    `end`, over rows matching `filter`. per_record "earliest" keeps one value per record, its shortest
    interval (with a record-level start: the earliest end; e.g. GBV days from incident to FIRST service)."""

    name = "median_days_rows"
    description = "Median days from a date to a date in subform rows"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["subform", "start", "end"],
        "properties": {
            "subform": FIELD_KEY,
            "start": DATE_SOURCE,
            "end": FIELD_KEY,
            "filter": EXPR,
            "per_record": {"enum": ["all", "earliest"]},
        },
    }
    expression_params = ("filter",)
    field_params = ("subform", "start", "end")
    subform_param = "subform"
    aggregate = Days

    def _start(self, record, row):
        key = self.params["start"]
        if key == "@created":
            return record.created_at
        return parse_when(row[key] if key in row else (record.data or {}).get(key))

    def units(self, record):
        found = []
        for row in self.rows(record):
            if not self.holds("filter", record, row):
                continue
            days = days_between(self._start(record, row), parse_when(row.get(self.params["end"])))
            if days is not None and days >= 0:
                found.append((days, row))
        if self.params.get("per_record") == "earliest" and found:
            found = [min(found, key=lambda f: f[0])]
        yield from found

    @classmethod
    def check(cls, definition, config_data):
        return check_subform(definition, config_data, row_params=("end",))
