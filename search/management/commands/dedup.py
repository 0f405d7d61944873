"""kinga dedup scan [--record-type case] [--json] [--limit N] [--min-score S]"""

import json

from django.core.management.base import BaseCommand, CommandError
from kinga_search.rules import all_rules
from kinga_search.scan import scan


class Command(BaseCommand):
    help = "Duplicate detection over existing records."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("scan", help="List likely duplicate pairs (blocking keys must be indexed)")
        s.add_argument("--record-type", default=None, help="Default: every record type with duplicate rules")
        s.add_argument("--json", action="store_true", dest="as_json")
        s.add_argument("--limit", type=int, default=None)
        s.add_argument("--min-score", type=float, default=None, help="Default: the pack's threshold")

    def handle(self, *args, record_type=None, as_json=False, limit=None, min_score=None, **options):
        types = [record_type] if record_type else sorted(all_rules())
        if record_type and record_type not in all_rules():
            raise CommandError(
                f"No duplicate rules for record type '{record_type}' in the active configuration."
            )
        results = [scan(rt, limit=limit, min_score=min_score) for rt in types]
        if as_json:
            self.stdout.write(json.dumps([r.as_dict() for r in results], indent=2))
            return
        for r in results:
            self.stdout.write(
                f"{r.record_type}: {len(r.pairs)} likely pairs (threshold {r.threshold}) among {r.records} "
                f"records; {r.compared} pairs compared in {r.seconds:.1f}s"
            )
            for p in r.pairs:
                why = ", ".join(f"{x['field']} {x['detail']}" for x in p.match.reasons_dicts())
                self.stdout.write(f"  {p.match.score:.2f}  {p.a.short_id}  {p.b.short_id}  ({why})")
