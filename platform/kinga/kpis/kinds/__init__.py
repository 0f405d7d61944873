"""Built-in KPI kinds: one file each. Importing this package registers them."""

from . import (  # noqa: F401
    caseload,
    count_records,
    count_rows,
    median_days_between,
    median_days_rows,
    percent_where,
    percent_within_deadline,
)
