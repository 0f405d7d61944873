"""kinga search reindex [--record-type T] | kinga search status"""

from django.core.management.base import BaseCommand
from kinga_search.backends import get_backend
from kinga_search.indexing import reindex


class Command(BaseCommand):
    help = "Search index maintenance: reindex, status."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        r = sub.add_parser(
            "reindex", help="Rebuild the search index and duplicate blocking keys from records"
        )
        r.add_argument("--record-type", default=None)
        sub.add_parser("status", help="Show the backend and index size")

    def handle(self, *args, action=None, record_type=None, **options):
        backend = get_backend()
        if action == "reindex":
            count = reindex(record_type)
            self.stdout.write(f"Indexed {count} records with the {backend.name} backend.")
        else:
            self.stdout.write(backend.check_health())
