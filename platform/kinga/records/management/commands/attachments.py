"""kinga attachments purge-unbound [--older-than-hours 48] [--dry-run] — delete uploads that were never
saved on a record. Run it daily (cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from kinga.records.attachments import UNBOUND_GRACE_HOURS, purge_unbound


class Command(BaseCommand):
    help = "Attachment housekeeping. `purge-unbound`: delete uploads never saved on a record."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        purge = sub.add_parser("purge-unbound", help="Delete abandoned uploads older than the grace period.")
        purge.add_argument("--older-than-hours", type=float, default=UNBOUND_GRACE_HOURS)
        purge.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, **options):
        result = purge_unbound(older_than_hours=options["older_than_hours"], dry_run=options["dry_run"])
        verb = "Would delete" if result["dry_run"] else "Deleted"
        self.stdout.write(f"{verb} {result['count']} unbound upload(s), {result['bytes']} bytes.")
