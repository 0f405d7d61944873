"""Where an imported XLSForm goes: an overlay (or standalone) pack folder for the CLI, or a draft."""

from __future__ import annotations

from pathlib import Path

from kinga.core.errors import KingaError

from ..workspace import dump_yaml
from .errors import XLSFormError
from .importer import ImportOptions, ImportResult, import_xlsform


def base_context(extends: str | None, base: str | None) -> dict | None:
    """The effective configuration of the pack an overlay extends (to know its keys and lookups)."""
    if not extends:
        return None
    import tempfile

    from kinga.configpacks.validate import validate_pack

    pack_id, _, version_range = extends.strip().partition(" ")
    with tempfile.TemporaryDirectory(prefix="kinga-xlsform-") as tmp:
        probe = Path(tmp) / "probe"
        probe.mkdir()
        (probe / "pack.yaml").write_text(
            dump_yaml(
                {
                    "id": "xlsform.probe",
                    "name": "probe",
                    "version": "0.0.0",
                    "extends": extends,
                    "namespace": "probe",
                }
            ),
            encoding="utf-8",
        )
        report = validate_pack(probe, base)
    if report.config is None:
        problems = "; ".join(p.message for p in report.errors[:3])
        raise XLSFormError(f"The pack to extend ('{pack_id} {version_range}') cannot be used: {problems}")
    return report.config


def options_for(config: dict | None, record_type: str, **kw) -> ImportOptions:
    existing_keys = set((config or {}).get("fields", {}).get(record_type, {}))
    lookups = {i: [o["code"] for o in lk["options"]] for i, lk in (config or {}).get("lookups", {}).items()}
    return ImportOptions(record_type=record_type, existing_keys=existing_keys, existing_lookups=lookups, **kw)


def write_pack(
    result: ImportResult,
    out_dir: str | Path,
    *,
    extends: str | None = None,
    namespace: str | None = None,
    pack_id: str | None = None,
    version: str = "0.1.0",
    base_config: dict | None = None,
) -> Path:
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise KingaError(f"'{out}' already exists and is not empty; choose a new folder.", code="exists")
    form = result.form
    langs = list(dict.fromkeys([*(base_config or {}).get("languages", []), *result.languages]))
    meta = {
        "id": pack_id or f"{namespace or 'xlsform'}.{form['id']}",
        "name": result.title,
        "version": version,
        "extends": extends,
        "namespace": namespace,
        "languages": langs,
        "default_language": (base_config or {}).get("default_language") or result.default_language,
    }
    files = {"pack.yaml": meta, f"forms/{form['id']}.yaml": form}
    if result.lookups:
        files[f"lookups/{form['id']}.yaml"] = result.lookups
    rt = form["record_type"]
    if base_config is None or rt not in base_config.get("record_types", {}):
        files["record_types.yaml"] = [
            {
                "id": rt,
                "label": {result.default_language: rt.replace("_", " ").capitalize()},
                "id_prefix": "".join(w[0] for w in rt.split("_")).upper()[:8] or "R",
                "person": False,
            }
        ]
    for name, data in files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_yaml(data), encoding="utf-8")
    return out


def import_to_pack(
    data: bytes,
    out_dir: str | Path,
    *,
    record_type: str = "case",
    extends: str | None = None,
    namespace: str | None = None,
    form_id: str | None = None,
    base: str | None = None,
    pack_id: str | None = None,
) -> tuple[ImportResult, Path]:
    if extends and not namespace:
        raise XLSFormError("An overlay pack (--extends) needs a --namespace such as kv for the keys it adds.")
    config = base_context(extends, base)
    if config is not None and record_type not in config.get("record_types", {}):
        known = ", ".join(sorted(config.get("record_types", {})))
        raise XLSFormError(f"The extended pack has no record type '{record_type}' (it has: {known}).")
    opts = options_for(config, record_type, prefix=namespace or "", form_id=form_id)
    if config and opts.form_id is None:
        opts.order = 100
    result = import_xlsform(data, opts)
    if config and result.form["id"] in config.get("forms", {}):
        raise XLSFormError(
            f"The extended pack already has a form '{result.form['id']}'; import with --form-id to choose another."
        )
    path = write_pack(
        result, out_dir, extends=extends, namespace=namespace, pack_id=pack_id, base_config=config
    )
    return result, path
