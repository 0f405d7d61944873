"""kinga audit verify — recompute the audit hash chain; exit 1 and list the problems when a row was
edited, removed or reordered."""

from django.core.management.base import BaseCommand, CommandError

from kinga.audit.chain import verify
from kinga.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Audit trail tools. `verify`: check the hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check that no audit event was edited, removed or reordered.")

    def handle(self, *args, **options):
        if options["subcommand"] == "verify":
            problems = verify()
            if problems:
                for problem in problems:
                    self.stderr.write(problem)
                raise CommandError(f"The audit trail is NOT intact: {len(problems)} problem(s).")
            self.stdout.write(f"The audit trail is intact ({AuditEvent.objects.count()} events).")
