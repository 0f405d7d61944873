"""`kinga xlsform import|export`: XLSForm ↔ config packs.

    kinga xlsform import FILE.xlsx OUT_PACK_DIR [--extends "kinga.standard >=1.0,<2" --namespace kv
                         --record-type case --form-id ID --base DIR --pack-id ID]
    kinga xlsform export PACK FORM_ID OUT.xlsx [--base DIR]     PACK: a pack folder/zip, or "active"

Every expected failure is a sentence and exit code 1, never a traceback (a hostile .xlsx included).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import DatabaseError
from kinga.core.errors import KingaError


class Command(BaseCommand):
    help = "Import an XLSForm as a pack overlay, or export a pack form as an XLSForm."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("import", help="XLSForm (.xlsx) → a pack folder (overlay with --extends)")
        p.add_argument("file")
        p.add_argument("out")
        p.add_argument("--extends", help='pack to extend, e.g. "kinga.standard >=1.0,<2"')
        p.add_argument("--namespace", help="namespace of the overlay (prefix of keys), e.g. kv")
        p.add_argument("--record-type", default="case")
        p.add_argument("--form-id", help="form id (default: the settings sheet's form_id)")
        p.add_argument("--base", help="folder holding the pack(s) it extends")
        p.add_argument("--pack-id", help="id of the written pack (default: <namespace>.<form id>)")
        p = sub.add_parser("export", help="a form of a pack (or of the active configuration) → .xlsx")
        p.add_argument("pack", help='a pack folder or .zip, or "active"')
        p.add_argument("form_id")
        p.add_argument("out")
        p.add_argument("--base", help="folder holding the pack(s) it extends")

    def handle(self, *args, **opts):
        try:
            code = self.do_import(opts) if opts["action"] == "import" else self.do_export(opts)
        except KingaError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)
        except DatabaseError as exc:
            self.stderr.write(f"The database is not ready ({exc}). Run `kinga migrate` first.")
            sys.exit(1)
        except OSError as exc:
            self.stderr.write(f"Cannot read or write a file: {exc.strerror or exc} ({exc.filename or ''}).")
            sys.exit(1)
        if code:
            sys.exit(code)

    def do_import(self, opts) -> int:
        from kinga.configpacks.validate import validate_pack
        from kinga_builder.xlsform.errors import XLSFormError
        from kinga_builder.xlsform.packs import import_to_pack
        from kinga_builder.xlsform.reader import MAX_FILE_BYTES

        src = Path(opts["file"])
        if not src.is_file():
            raise XLSFormError(f"There is no file '{src}'.")
        if src.stat().st_size > MAX_FILE_BYTES:
            raise XLSFormError(f"The file is larger than {MAX_FILE_BYTES} bytes; an XLSForm is far smaller.")
        result, out = import_to_pack(
            src.read_bytes(),
            opts["out"],
            record_type=opts["record_type"],
            extends=opts.get("extends"),
            namespace=opts.get("namespace"),
            form_id=opts.get("form_id"),
            base=opts.get("base"),
            pack_id=opts.get("pack_id"),
        )
        for issue in result.issues:
            self.stdout.write(str(issue))
        fields = sum(len(s["fields"]) for s in result.form["sections"])
        self.stdout.write(
            f"Wrote {out}: form '{result.form['id']}' ({len(result.form['sections'])} section(s), {fields} "
            f"top-level field(s)), {len(result.lookups)} lookup(s); {len(result.issues)} construct(s) reported."
        )
        report = validate_pack(out, opts.get("base"))
        for problem in report.problems:
            self.stdout.write(str(problem))
        self.stdout.write(report.summary())
        return 0 if report.ok else 1

    def do_export(self, opts) -> int:
        from kinga.configpacks.validate import validate_pack
        from kinga_builder.xlsform import export_xlsform, pyxform_check
        from kinga_builder.xlsform.errors import XLSFormError

        if opts["pack"] == "active":
            from kinga.configpacks.runtime import get_active

            config = get_active().data
        else:
            report = validate_pack(opts["pack"], opts.get("base"))
            if not report.ok or report.config is None:
                for problem in report.errors[:20]:
                    self.stderr.write(str(problem))
                raise XLSFormError("The pack has errors; fix them before exporting a form.")
            config = report.config
        data, issues = export_xlsform(config, opts["form_id"])
        for issue in issues:
            self.stdout.write(f"{issue.column}: {issue.message}")
        Path(opts["out"]).write_bytes(data)
        warnings = pyxform_check(data)  # raises XLSFormError when pyxform cannot convert it
        for w in warnings:
            self.stdout.write(f"pyxform: {w}")
        self.stdout.write(f"Wrote {opts['out']} (pyxform converts it).")
        return 0
