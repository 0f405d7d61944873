"""Compare two effective configurations, and find the changes that would orphan or break stored data.

A change is {op: "+"|"-"|"~", kind, id, attrs: [changed attributes], unsafe: reason|None,
migration: the declared migration that covers it|None}.
"""

from __future__ import annotations

from collections import Counter

from .checks import walk_fields

EMPTY = {
    "record_types": {},
    "forms": {},
    "lookups": {},
    "locations": {"levels": [], "items": []},
    "roles": {},
    "workflows": {},
    "kpis": {},
    "duplicate_rules": {},
    "archived_fields": {},
}
SETTINGS = ("packs", "languages", "default_language", "rtl_languages", "modules")
# How many records to scan in Python (subform rows) before assuming a key holds data.
MAX_SCAN = 20_000


def field_index(cfg: dict) -> dict[str, tuple[dict, str, str, str | None]]:
    """{"rt.key": (field, form id, section id, parent key)} over every record type."""
    out = {}
    for form in cfg.get("forms", {}).values():
        for section in form["sections"]:
            for f, parent in walk_fields(section["fields"]):
                out.setdefault(f"{form['record_type']}.{f['key']}", (f, form["id"], section["id"], parent))
    return out


def _attrs(old: dict, new: dict, skip=()) -> list[str]:
    keys = sorted((set(old) | set(new)) - set(skip))
    return [k for k in keys if old.get(k) != new.get(k)]


def _compare(changes: list, kind: str, old: dict, new: dict, skip=(), prefix: str = "") -> None:
    for ident in sorted(set(old) | set(new), key=str):
        cid = f"{prefix}{ident}"
        if ident not in old:
            changes.append(_change("+", kind, cid))
        elif ident not in new:
            changes.append(_change("-", kind, cid))
        else:
            attrs = _attrs(old[ident], new[ident], skip) if isinstance(old[ident], dict) else ["value"]
            if attrs and old[ident] != new[ident]:
                changes.append(_change("~", kind, cid, attrs))


def _change(op: str, kind: str, ident: str, attrs: list | None = None) -> dict:
    return {"op": op, "kind": kind, "id": ident, "attrs": attrs or [], "unsafe": None, "migration": None}


def _options(cfg: dict, f: dict) -> list[dict] | None:
    if f.get("lookup"):
        return cfg.get("lookups", {}).get(f["lookup"], {}).get("options")
    return f.get("options")


def diff_configs(old: dict | None, new: dict) -> dict:
    """Structural differences between two effective configurations (no database access)."""
    old = old or EMPTY
    changes: list[dict] = []
    for name in SETTINGS:
        if old.get(name) != new.get(name):
            changes.append(_change("~" if name in old else "+", "setting", name))
    _compare(changes, "record_type", old["record_types"], new["record_types"])
    _compare(changes, "form", old["forms"], new["forms"], skip=("sections",))
    for fid in sorted(set(old["forms"]) & set(new["forms"])):
        o = {s["id"]: s for s in old["forms"][fid]["sections"]}
        n = {s["id"]: s for s in new["forms"][fid]["sections"]}
        _compare(changes, "section", o, n, skip=("fields",), prefix=f"{fid}.")
        if [s for s in o if s in n] != [s for s in n if s in o]:
            changes.append(_change("~", "form", fid, ["section order"]))
    ofi, nfi = field_index(old), field_index(new)
    for key in sorted(set(ofi) | set(nfi)):
        if key not in nfi:
            archived = key.split(".", 1)[1] in new.get("archived_fields", {})
            ch = _change("-", "field", key, ["archived (data kept)"] if archived else [])
            changes.append(ch)
        elif key not in ofi:
            changes.append(_change("+", "field", key))
        else:
            (of, *opos), (nf, *npos) = ofi[key], nfi[key]
            attrs = _attrs(of, nf, skip=("fields", "options"))
            if (of["options"] is None) != (nf["options"] is None):
                attrs.append("options")
            if opos != npos:
                attrs.append("position")
            if attrs:
                changes.append(_change("~", "field", key, attrs))
            if of["options"] is not None and nf["options"] is not None:
                _compare(
                    changes, "option", _by_code(of["options"]), _by_code(nf["options"]), prefix=f"{key}:"
                )
    _compare(changes, "lookup", old["lookups"], new["lookups"], skip=("options",))
    for lid in sorted(set(old["lookups"]) & set(new["lookups"])):
        o, n = old["lookups"][lid]["options"], new["lookups"][lid]["options"]
        _compare(changes, "option", _by_code(o), _by_code(n), prefix=f"{lid}:")
    for kind, name in (
        ("role", "roles"),
        ("workflow", "workflows"),
        ("kpi", "kpis"),
        ("duplicate_rule", "duplicate_rules"),
    ):
        _compare(changes, kind, old[name], new[name])
    olv = {str(lv["level"]): lv for lv in old["locations"]["levels"]}
    nlv = {str(lv["level"]): lv for lv in new["locations"]["levels"]}
    _compare(changes, "location_level", olv, nlv)
    oit = {i["code"]: i for i in old["locations"]["items"]}
    nit = {i["code"]: i for i in new["locations"]["items"]}
    _compare(changes, "location", oit, nit)
    _compare(changes, "archived_field", old.get("archived_fields", {}), new.get("archived_fields", {}))
    return {"changes": changes, "summary": summarize(changes)}


def _by_code(options: list[dict]) -> dict[str, dict]:
    return {o["code"]: o for o in options}


def summarize(changes: list[dict]) -> dict:
    counts = Counter(c["op"] for c in changes)
    unsafe = [c for c in changes if c["unsafe"]]
    return {
        "added": counts["+"],
        "removed": counts["-"],
        "changed": counts["~"],
        "unsafe": len(unsafe),
        "blocking": sum(1 for c in unsafe if not c["migration"]),
    }


# -- data safety ---------------------------------------------------------------------------------
def _records(rt: str):
    from kinga.records.models import Record

    return Record.objects.filter(record_type=rt, deleted_at__isnull=True)


def values_of(rt: str, key: str, parent: str | None):
    """Yield every stored value of a field (subform rows included), bounded by MAX_SCAN records."""
    top = parent or key
    qs = _records(rt).filter(data__has_key=top).values_list("data", flat=True)
    for n, data in enumerate(qs.iterator(chunk_size=500)):
        if n >= MAX_SCAN:
            yield ...  # Ellipsis: "there may be more": callers treat it as data present
            return
        if parent is None:
            yield data.get(key)
            continue
        for row in data.get(parent) or []:
            if isinstance(row, dict) and key in row:
                yield row[key]


def holds_data(rt: str, key: str, parent: str | None) -> int:
    """How many records hold a value for the field (top-level keys are counted in SQL)."""
    if parent is None:
        return _records(rt).filter(data__has_key=key).count()
    return sum(1 for v in values_of(rt, key, parent) if v not in (None, "", []))


def codes_in_use(rt: str, key: str, parent: str | None) -> Counter:
    counter: Counter = Counter()
    for value in values_of(rt, key, parent):
        if value is ...:
            counter["…"] += 1
        for code in value if isinstance(value, list) else [value]:
            if isinstance(code, str | int):
                counter[str(code)] += 1
    return counter


def mark_unsafe(result: dict, old: dict | None, new: dict, migrations: list[dict]) -> dict:
    """Flag changes that would orphan or break stored data, and whether a declared migration covers them."""
    if not old:
        return result
    changes = result["changes"]
    by_id = {(c["kind"], c["id"]): c for c in changes}
    archive = {m["archive_field"] for m in migrations if "archive_field" in m}
    retype = {m["retype_field"]["field"]: m["retype_field"] for m in migrations if "retype_field" in m}
    maps = {m["map_options"]["field"]: m["map_options"]["map"] for m in migrations if "map_options" in m}
    ofi, nfi = field_index(old), field_index(new)
    for rt in sorted(set(old["record_types"]) - set(new["record_types"])):
        n = _records(rt).count()
        if n:
            by_id[("record_type", rt)]["unsafe"] = f"{n} record(s) of this type exist"
    for cid, (of, _form, _section, parent) in ofi.items():
        rt, key = cid.split(".", 1)
        change = by_id.get(("field", cid))
        if cid not in nfi:
            n = holds_data(rt, key, parent)
            if n:
                change["unsafe"] = (
                    f"{n} record(s) hold data in '{key}'; declare `- archive_field: {key}` in migrations.yaml to keep it"
                )
                if key in archive or key in new.get("archived_fields", {}):
                    change["migration"] = f"archive_field: {key}"
            continue
        nf = nfi[cid][0]
        if of["type"] != nf["type"]:
            n = holds_data(rt, key, parent)
            if n:
                change["unsafe"] = (
                    f"type changes from {of['type']} to {nf['type']} and {n} record(s) hold data; declare `- retype_field: {{field: {key}, from: {of['type']}}}`"
                )
                if key in retype:
                    change["migration"] = f"retype_field: {key}"
        old_opts, new_opts = _options(old, of), _options(new, nf)
        if old_opts is None or new_opts is None:
            continue
        removed = {o["code"] for o in old_opts} - {o["code"] for o in new_opts}
        if not removed:
            continue
        used = codes_in_use(rt, key, parent)
        for code in sorted(removed):
            if not used.get(code) and not used.get("…"):
                continue
            reason = f"option '{code}' is stored on {used.get(code) or 'possibly many'} record(s) in '{key}'; declare `- map_options: {{field: {key}, map: {{{code}: <new code>}}}}`"
            target = by_id.get(("option", f"{of['lookup']}:{code}")) if of.get("lookup") else None
            target = target or by_id.get(("option", f"{cid}:{code}")) or change
            if target is None:
                target = _change("~", "field", cid, ["options"])
                changes.append(target)
                by_id[("field", cid)] = target
            # One option can be in use through several fields: keep every reason.
            target["unsafe"] = f"{target['unsafe']}; {reason}" if target["unsafe"] else reason
            covered = code in maps.get(key, {})
            target["_covered"] = target.get("_covered", True) and covered
            target["migration"] = f"map_options: {key}" if target["_covered"] else None
    for c in changes:
        c.pop("_covered", None)
    result["summary"] = summarize(changes)
    return result


def format_diff(result: dict) -> str:
    lines = []
    for c in result["changes"]:
        text = f"{c['op']} {c['kind']} {c['id']}"
        if c["attrs"]:
            text += f": {', '.join(c['attrs'])}"
        if c["unsafe"]:
            text += f"\n    UNSAFE: {c['unsafe']}"
            text += f"\n    covered by migration {c['migration']}" if c["migration"] else ""
        lines.append(text)
    s = result["summary"]
    if not lines:
        lines.append("No changes.")
    lines.append(
        f"{s['added']} added, {s['removed']} removed, {s['changed']} changed; {s['unsafe']} unsafe"
        f" ({s['blocking']} not covered by a declared migration)."
    )
    return "\n".join(lines)
