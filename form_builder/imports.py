"""XLSForm in and out of drafts. The imported form lands in the draft through the ordinary edit
operations (put_file...), so it is locked, revision-checked and audited like any other edit."""

from __future__ import annotations

from kinga.core.errors import Conflict

from . import drafts, permissions
from .catalogue import keys_from_draft
from .errors import OpError
from .models import Draft
from .ops import apply_ops
from .workspace import dump_yaml
from .xlsform import ImportOptions, export_xlsform
from .xlsform.importer import Importer
from .xlsform.reader import read_workbook


def import_into_draft(
    draft: Draft,
    *,
    user,
    data: bytes,
    record_type: str | None = None,
    form_id: str | None = None,
    prefix: str | None = None,
    replace: bool = False,
    revision: int | None = None,
) -> dict:
    permissions.require_admin(user)
    ws = drafts.workspace(draft)
    sheets, issues = read_workbook(data)
    settings_rows = sheets["settings"].rows if "settings" in sheets else []
    rt = record_type or (settings_rows[0][1].get("kinga_record_type") if settings_rows else None) or "case"
    if rt not in ws.record_types():
        raise OpError(f"The draft has no record type '{rt}' (it has: {', '.join(ws.record_types())}).")
    prefix = draft.namespace if prefix is None else prefix.strip()
    keys = keys_from_draft(ws, rt)
    lookups = {i.get("id"): [o.get("code") for o in i.get("options") or []] for _p, i in ws.lookups()}
    opts = ImportOptions(record_type=rt, form_id=form_id, prefix=prefix, default_language=ws.default_language)
    new_id = Importer(sheets, [], opts).form_id()
    form_exists = next((f for _p, f in ws.forms() if f.get("id") == new_id), None)
    if form_exists is not None and not replace:
        raise Conflict(
            f"The draft already has a form '{new_id}'; send replace: true to replace it, or a form_id."
        )
    if form_exists is not None:
        keys = {k: v for k, v in keys.items() if v.get("form") != new_id}
    opts.existing_keys = set(keys)
    opts.existing_lookups = lookups
    result = Importer(sheets, issues, opts).run()
    ops: list[dict] = []
    if form_exists is not None:
        ops.append({"op": "remove_form", "form": new_id})
    for lang in result.languages:
        if lang not in ws.languages:
            ops.append({"op": "add_language", "lang": lang})
    ops.append({"op": "put_file", "path": f"forms/{result.form['id']}.yaml", "text": dump_yaml(result.form)})
    if result.lookups:
        ops.append(
            {"op": "put_file", "path": f"lookups/{result.form['id']}.yaml", "text": dump_yaml(result.lookups)}
        )
    outcome = apply_ops(draft, user=user, ops=ops, revision=revision)
    return {"form": result.form["id"], "revision": outcome["revision"], "import": result.as_dict()}


def export_from_draft(draft: Draft, form_id: str, *, user) -> tuple[bytes, list]:
    permissions.require_admin(user)
    return export_xlsform(drafts.compile_draft(draft), form_id)
