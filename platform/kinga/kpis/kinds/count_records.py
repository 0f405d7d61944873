from ..aggregates import DistinctCount
from ..registry import EXPR, KpiKind, kpi_kinds


@kpi_kinds.register()
class CountRecordsKind(KpiKind):
    """Records matching `filter`; with distinct_persons, unique people (Record.person_id): a child
    registered by three agencies, or with several concerns, counts once."""

    name = "count_records"
    description = "Number of records (or of unique persons) matching a filter"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"filter": EXPR, "distinct_persons": {"type": "boolean"}},
    }
    expression_params = ("filter",)
    aggregate = DistinctCount

    def units(self, record):
        if self.holds("filter", record):
            yield (record.person_id if self.params.get("distinct_persons") else record.id), None
