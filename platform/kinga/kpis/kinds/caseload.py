from ..aggregates import Caseload
from ..registry import EXPR, KpiKind, kpi_kinds


@kpi_kinds.register()
class CaseloadKind(KpiKind):
    """Records per owner (open cases per worker): the value is the mean over owners holding at least
    one matching record; the @owner breakdown gives each worker's count (staff data, not beneficiary
    data). Unassigned records are left out. Use params.open_only for open cases."""

    name = "caseload"
    description = "Records per worker"
    params_schema = {"type": "object", "additionalProperties": False, "properties": {"filter": EXPR}}
    expression_params = ("filter",)
    aggregate = Caseload
    default_breakdowns = ("@owner",)

    def units(self, record):
        if record.owner_id is not None and self.holds("filter", record):
            yield record.owner_id, None
