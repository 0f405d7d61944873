"""Write an effective configuration back as a flat pack directory (no `extends`).

Round-trip law (tested): validating the exported pack yields exactly the same effective
configuration. Provenance survives through pack.yaml `provenance:` (the `packs` list) and `origin:`
on forms, fields, lookups and options that came from another pack than the exported one.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from .problems import PackError


def _src(expr):
    return expr["src"] if isinstance(expr, dict) and "src" in expr else expr


def _put(out: dict, key: str, value, default=None) -> None:
    if value != default and value not in ({}, []):
        out[key] = value


def _option(o: dict, pack_id: str) -> dict:
    out = {"code": o["code"]}
    _put(out, "label", o["label"])
    _put(out, "retired", o["retired"], False)
    _put(out, "attrs", o["attrs"])
    _put(out, "origin", o["origin"], pack_id)
    return out


def _field(f: dict, pack_id: str) -> dict:
    out = {"key": f["key"], "type": f["type"]}
    for attr in ("label", "hint", "guidance"):
        _put(out, attr, f[attr])
    _put(out, "required", _src(f["required"]), False)
    for attr in ("relevant", "constraint"):
        _put(out, attr, _src(f[attr]))
    _put(out, "constraint_message", f["constraint_message"])
    for attr in ("calculation", "default", "choice_filter", "lookup"):
        _put(out, attr, _src(f[attr]))
    if f["options"] is not None:
        out["options"] = [_option(o, pack_id) for o in f["options"]]
    _put(out, "params", f["params"])
    for attr in ("locked", "hidden", "read_only", "keep_when_irrelevant", "indexed"):
        _put(out, attr, f[attr], False)
    _put(out, "copy_from", f["copy_from"])
    _put(out, "origin", f["origin"], pack_id)
    warnings = []
    for w in f["warnings"]:
        item = {"id": w["id"], "expr": _src(w["expr"])}
        _put(item, "message", w["message"])
        warnings.append(item)
    _put(out, "warnings", warnings)
    _put(out, "fields", [_field(c, pack_id) for c in f["fields"]])
    return out


def _form(form: dict, pack_id: str) -> dict:
    out = {
        "id": form["id"],
        "record_type": form["record_type"],
        "label": form["label"],
        "order": form["order"],
    }
    _put(out, "origin", form["origin"], pack_id)
    sections = []
    for s in form["sections"]:
        sec = {"id": s["id"]}
        _put(sec, "label", s["label"])
        _put(sec, "relevant", _src(s["relevant"]))
        _put(sec, "hidden", s["hidden"], False)
        sec["fields"] = [_field(f, pack_id) for f in s["fields"]]
        sections.append(sec)
    out["sections"] = sections
    return out


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def _locations_csv(items: list[dict], languages: list[str]) -> str:
    langs = list(languages) + sorted({lang for i in items for lang in i["name"]} - set(languages))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "parent", "level", *[f"name_{lang}" for lang in langs]])
    for i in items:
        writer.writerow(
            [i["code"], i["parent"] or "", i["level"], *[i["name"].get(lang, "") for lang in langs]]
        )
    return buf.getvalue()


def config_to_files(cfg: dict) -> dict[str, str]:
    """{relative path: text} of a flat pack that reproduces `cfg`."""
    last = cfg["packs"][-1] if cfg.get("packs") else {"id": "exported", "version": "0.0.0"}
    pack_id = last["id"]
    meta = {
        "id": pack_id,
        "name": pack_id,
        "version": last["version"],
        "modules": cfg["modules"],
        "languages": cfg["languages"],
        "default_language": cfg["default_language"],
        "rtl_languages": cfg["rtl_languages"],
        "provenance": cfg["packs"],
    }
    _put(meta, "archived_fields", cfg.get("archived_fields") or {})
    files = {
        "pack.yaml": "# Exported by `kinga pack export`: a flat copy of the active configuration.\n"
        + _dump(meta)
    }
    rts = []
    for rt in cfg["record_types"].values():
        item = {"id": rt["id"]}
        _put(item, "module", rt["module"])
        _put(item, "label", rt["label"])
        item["id_prefix"] = rt["id_prefix"]
        item["person"] = rt["person"]
        _put(item, "title", _src(rt["title"]))
        rts.append(item)
    files["record_types.yaml"] = _dump(rts)
    for form in cfg["forms"].values():
        files[f"forms/{form['id']}.yaml"] = _dump(_form(form, pack_id))
    for lk in cfg["lookups"].values():
        item = {"id": lk["id"]}
        _put(item, "label", lk["label"])
        _put(item, "locked", lk["locked"], False)
        _put(item, "origin", lk["origin"], pack_id)
        item["options"] = [_option(o, pack_id) for o in lk["options"]]
        files[f"lookups/{lk['id']}.yaml"] = _dump([item])
    locs = cfg["locations"]
    if locs["levels"]:
        files["locations/levels.yaml"] = _dump(locs["levels"])
    if locs["items"]:
        files["locations/locations.csv"] = _locations_csv(locs["items"], cfg["languages"])
    if cfg["roles"]:
        files["roles.yaml"] = _dump(list(cfg["roles"].values()))
    if cfg["workflows"]:
        wfs = {}
        for rt, wf in cfg["workflows"].items():
            deadlines = [{**d, "applies_when": _src(d["applies_when"])} for d in wf["deadlines"]]
            wfs[rt] = {**wf, "deadlines": deadlines}
        files["workflows.yaml"] = _dump(wfs)
    if cfg["kpis"]:
        files["kpis.yaml"] = _dump(list(cfg["kpis"].values()))
    if cfg["duplicate_rules"]:
        files["duplicates.yaml"] = _dump(cfg["duplicate_rules"])
    return files


def write_pack(cfg: dict, out_dir: str | Path) -> Path:
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PackError(
            f"'{out}' already exists and is not an empty folder; choose a new folder to export into."
        )
    files = config_to_files(cfg)
    for name, text in files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return out
