"""`kinga pack validate|diff|apply|history|rollback|export|docs`.

Every expected failure is a KingaError: printed as a sentence, exit code 1, never a traceback.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from kinga.core.errors import KingaError


class Command(BaseCommand):
    help = "Validate, diff, apply, roll back and export configuration packs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("validate", help="check a pack and print every problem")
        p.add_argument("path")
        p.add_argument("--base", help="folder holding the pack(s) this one extends")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("diff", help="show what applying the pack would change")
        p.add_argument("path")
        p.add_argument("--base")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("apply", help="apply a pack as a new configuration version")
        p.add_argument("path")
        p.add_argument("--base")
        p.add_argument("--dry-run", action="store_true")
        p.add_argument("--note", default="")
        p.add_argument("--user", help="username recorded as the one who applied it")
        p = sub.add_parser("history", help="list configuration versions")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("rollback", help="re-install an earlier version (default: the previous one)")
        p.add_argument("version", nargs="?", type=int)
        p.add_argument("--note", default="")
        p.add_argument("--user")
        p = sub.add_parser("export", help="write the active configuration as a flat pack folder")
        p.add_argument("out")
        p = sub.add_parser("docs", help="write the data dictionary of a pack")
        p.add_argument("path")
        p.add_argument("out")

    def handle(self, *args, **opts):
        try:
            code = getattr(self, f"do_{opts['action']}")(opts)
        except KingaError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)
        except DatabaseError as exc:
            self.stderr.write(f"The database is not ready ({exc}). Run `kinga migrate` first.")
            sys.exit(1)
        if code:
            sys.exit(code)

    def _user(self, opts):
        if not opts.get("user"):
            return None
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"There is no user '{opts['user']}'.")
        return user

    def do_validate(self, opts) -> int:
        from kinga.configpacks.validate import validate_pack

        report = validate_pack(opts["path"], opts.get("base"))
        if opts.get("json"):
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            for problem in report.problems:
                self.stdout.write(str(problem))
            self.stdout.write(report.summary())
        return 0 if report.ok else 1

    def do_diff(self, opts) -> int:
        from kinga.configpacks.apply import diff_pack
        from kinga.configpacks.diff import format_diff

        result = diff_pack(opts["path"], opts.get("base"))
        if opts.get("json"):
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(format_diff(result))
        return 0

    def do_apply(self, opts) -> int:
        from kinga.configpacks.apply import apply_pack

        result = apply_pack(
            opts["path"],
            user=self._user(opts),
            dry_run=opts["dry_run"],
            note=opts["note"],
            base=opts.get("base"),
        )
        self.stdout.write(result.describe())
        return 0

    def do_history(self, opts) -> int:
        from kinga.configpacks.apply import history

        rows = history()
        if opts.get("json"):
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return 0
        if not rows:
            self.stdout.write("No configuration has been applied yet.")
        for r in rows:
            s = r["summary"] or {}
            mark = "*" if r["active"] else " "
            extra = f" (rollback to v{r['rolled_back_from']})" if r["rolled_back_from"] else ""
            self.stdout.write(
                f"{mark} v{r['number']:<4} {r['hash']}  {r['at']}  {r['by']:<12} {r['packs']}  "
                f"+{s.get('added', 0)} -{s.get('removed', 0)} ~{s.get('changed', 0)}{extra}"
            )
        return 0

    def do_rollback(self, opts) -> int:
        from kinga.configpacks.apply import rollback

        result = rollback(opts.get("version"), user=self._user(opts), note=opts["note"])
        self.stdout.write(result.describe())
        return 0

    def do_export(self, opts) -> int:
        from kinga.configpacks.apply import export_active

        out = export_active(opts["out"])
        self.stdout.write(f"Exported the active configuration to {out}.")
        return 0

    def do_docs(self, opts) -> int:
        try:
            from kinga.configpacks.dictionary import write_data_dictionary
        except ImportError:
            self.stderr.write(
                "The data dictionary generator (kinga.configpacks.dictionary) is not installed yet."
            )
            return 1
        written = write_data_dictionary(opts["path"], opts["out"])
        names = ", ".join(str(p) for p in written) if isinstance(written, list | tuple) else opts["out"]
        self.stdout.write(f"Wrote the data dictionary: {names}.")
        return 0
