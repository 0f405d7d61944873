from kinga.workflow.conditions import references
from kinga.workflow.deadlines import NOT_APPLICABLE, deadline_state, deadlines_for

from ..aggregates import DeadlineCompliance
from ..registry import EXPR, KpiKind, kpi_kinds


@kpi_kinds.register()
class PercentWithinDeadlineKind(KpiKind):
    """% of applicable records whose deadline was met on time: met / (met + late + overdue).
    Pending deadlines are not yet decided and are left out (shown in the detail)."""

    name = "percent_within_deadline"
    description = "Percentage of records meeting a workflow deadline"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["deadline"],
        "properties": {"deadline": {"type": "string", "minLength": 1}, "filter": EXPR},
    }
    expression_params = ("filter",)
    aggregate = DeadlineCompliance

    def __init__(self, definition, config_data, *, now=None):
        super().__init__(definition, config_data, now=now)
        wanted = self.params["deadline"]
        self.deadline = next(
            (d for d in deadlines_for(self.record_type, config_data) if d["id"] == wanted), None
        )
        if self.deadline is None:
            from kinga.core.errors import KingaError

            raise KingaError(
                f"KPI '{definition['id']}' names an unknown deadline '{wanted}'.", code="invalid_kpi"
            )

    def units(self, record):
        if not self.holds("filter", record):
            return
        state = deadline_state(record, self.deadline, now=self.now, parents=self.parents)
        if state.state != NOT_APPLICABLE:
            yield state.state, None

    @classmethod
    def check(cls, definition, config_data):
        wanted = (definition.get("params") or {}).get("deadline")
        deadline = next(
            (d for d in deadlines_for(definition["record_type"], config_data) if d["id"] == wanted), None
        )
        if deadline is None:
            return [f"deadline '{wanted}' is not defined in workflows.{definition['record_type']}.deadlines."]
        read = {deadline.get("end")} | references(deadline.get("applies_when"))
        if deadline.get("start") != "@created":
            read.add(deadline.get("start"))
        missing = sorted(k for k in read - set(definition.get("fields") or []) if k)
        return [
            f"reads field '{k}' (through deadline '{wanted}') but does not list it in `fields`."
            for k in missing
        ]
