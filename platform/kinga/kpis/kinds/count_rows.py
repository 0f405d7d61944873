from ..aggregates import DistinctCount
from ..registry import EXPR, FIELD_KEY, KpiKind, kpi_kinds
from ._rows import check_subform


@kpi_kinds.register()
class CountRowsKind(KpiKind):
    """Subform rows matching `filter` (evaluated over the row, record fields visible too): referrals
    made / accepted / completed. distinct_persons counts each person once instead."""

    name = "count_rows"
    description = "Number of subform rows (e.g. referrals) matching a filter"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["subform"],
        "properties": {"subform": FIELD_KEY, "filter": EXPR, "distinct_persons": {"type": "boolean"}},
    }
    expression_params = ("filter",)
    field_params = ("subform",)
    subform_param = "subform"
    aggregate = DistinctCount

    def units(self, record):
        for index, row in enumerate(self.rows(record)):
            if self.holds("filter", record, row):
                yield (record.person_id if self.params.get("distinct_persons") else (record.id, index)), row

    @classmethod
    def check(cls, definition, config_data):
        return check_subform(definition, config_data)
