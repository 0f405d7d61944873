"""`kinga kpis compute [--id ID] [--json] [--from D] [--to D] [--location CODE] [--lang L]`:
every KPI value, so statutory reports come out of the system itself (and can be precomputed nightly)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from kinga.core.errors import KingaError


class Command(BaseCommand):
    help = "KPI values computed from the records (aggregated, de-identified)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        compute = sub.add_parser("compute", help="Compute KPI values (all, or one with --id).")
        compute.add_argument("--id", dest="kpi_id", help="only this KPI")
        compute.add_argument("--json", action="store_true", help="print JSON (one document)")
        compute.add_argument("--from", dest="date_from", help="YYYY-MM-DD, inclusive")
        compute.add_argument("--to", dest="date_to", help="YYYY-MM-DD, inclusive")
        compute.add_argument("--location", help="location code: that area and everything below it")
        compute.add_argument("--lang", default=None, help="label language (default: the pack's)")
        compute.add_argument("--no-breakdowns", action="store_true", help="totals only")

    def handle(self, *args, **options):
        from kinga.kpis.compute import compute_all, compute_kpi

        filters = {
            "date_from": options["date_from"],
            "date_to": options["date_to"],
            "location": options["location"],
            "lang": options["lang"],
        }
        if options["no_breakdowns"]:
            filters["breakdowns"] = []
        try:
            if options["kpi_id"]:
                results = [compute_kpi(options["kpi_id"], **filters)]
            else:
                results = compute_all(**filters)
        except KingaError as exc:
            raise CommandError(exc.message)
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False, default=str))
            return
        if not results:
            self.stdout.write("No KPIs are defined in the active configuration.")
        for r in results:
            self.stdout.write(f"{r['id']}\t{r['label']}\t{_show(r['value'])}")
            for name, cells in r["breakdowns"].items():
                for cell in cells:
                    self.stdout.write(f"  {name}\t{cell['label']}\t{_show(cell['value'])}")


def _show(value) -> str:
    return "-" if value is None else str(value)
