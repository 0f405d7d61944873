"""KPIs: kinds (code, `kinds/`, registered in `registry.kpi_kinds`) × definitions (pack data, kpis.yaml).
See README.md."""
