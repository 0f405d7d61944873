from ..aggregates import Percent
from ..registry import EXPR, KpiKind, kpi_kinds


@kpi_kinds.register()
class PercentWhereKind(KpiKind):
    """% of records matching `denominator` (all when null) for which `numerator` is true."""

    name = "percent_where"
    description = "Percentage of records for which a condition holds"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["numerator"],
        "properties": {"denominator": EXPR, "numerator": EXPR},
    }
    expression_params = ("denominator", "numerator")
    aggregate = Percent

    def units(self, record):
        if self.holds("denominator", record):
            yield self.holds("numerator", record), None
