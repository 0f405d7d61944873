"""Services behind `kinga pack`: validate, diff, apply (atomic, with data migrations), history,
rollback and export. The CLI and the form builder call these; they raise KingaError subclasses with
sentences people can act on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from . import runtime
from .diff import diff_configs, field_index, format_diff, mark_unsafe, values_of
from .export import write_pack
from .models import ConfigVersion
from .problems import PackError, PackInvalid, Report, UnsafeChange
from .validate import validate_pack

__all__ = [
    "ApplyResult",
    "validate_pack",
    "diff_pack",
    "apply_pack",
    "history",
    "rollback",
    "export_active",
]


@dataclass
class ApplyResult:
    diff: dict
    version: ConfigVersion | None = None
    dry_run: bool = False
    changed: bool = True
    migrations: list[dict] = field(default_factory=list)

    def describe(self) -> str:
        lines = [format_diff(self.diff)]
        for m in self.migrations:
            if m["action"] == "archive_field":
                lines.append(
                    f"migration archive_field {m['field']}: removed from the forms, data kept on records"
                )
                continue
            verb = "would be rewritten" if self.dry_run else "rewritten"
            lines.append(f"migration {m['action']} {m['field']}: {m['records']} record(s) {verb}")
        if self.dry_run:
            lines.append("Dry run: nothing was changed.")
        elif not self.changed:
            lines.append(f"Nothing to apply: this configuration is already active (v{self.version.number}).")
        else:
            lines.append(
                f"Applied as configuration v{self.version.number} ({self.version.content_hash[:12]})."
            )
        return "\n".join(lines)


def _active() -> ConfigVersion | None:
    return ConfigVersion.objects.filter(is_active=True).first()


def _validated(path, base) -> Report:
    report = validate_pack(path, base)
    if not report.ok or report.config is None:
        raise PackInvalid(report)
    return report


def _prepare(report: Report, active: ConfigVersion | None) -> dict:
    """The configuration to install: archived fields carry over from the active one (their data is kept
    forever), plus the fields this pack's migrations archive."""
    cfg = copy.deepcopy(report.config)
    archived = dict(active.config.get("archived_fields", {})) if active else {}
    archived.update(cfg.get("archived_fields") or {})
    if active:
        live_before = {cid.split(".", 1)[1]: entry[0] for cid, entry in field_index(active.config).items()}
        top = report.packs[-1] if report.packs else {"id": "?", "version": "?"}
        for m in report.migrations:
            key = m.get("archive_field")
            if key and key in live_before and key not in archived:
                f = live_before[key]
                archived[key] = {
                    "type": f["type"],
                    "label": f["label"],
                    "archived_in": f"{top['id']}@{top['version']}",
                }
    live_now = {cid.split(".", 1)[1] for cid in field_index(cfg)}
    cfg["archived_fields"] = {k: archived[k] for k in sorted(archived) if k not in live_now}
    return cfg


def _diff(active: ConfigVersion | None, cfg: dict, migrations: list[dict]) -> dict:
    old = active.config if active else None
    return mark_unsafe(diff_configs(old, cfg), old, cfg, migrations)


def _refuse_if_unsafe(result: dict, what: str) -> None:
    blocking = [c for c in result["changes"] if c["unsafe"] and not c["migration"]]
    if blocking:
        reasons = "\n".join(f"  {c['op']} {c['kind']} {c['id']}: {c['unsafe']}" for c in blocking)
        raise UnsafeChange(
            f"{what} refused: it would orphan or break stored data.\n{reasons}", details=result
        )


def diff_pack(path, base=None) -> dict:
    """Changes the pack would make to the active configuration, with unsafe ones flagged."""
    report = _validated(path, base)
    active = _active()
    return _diff(active, _prepare(report, active), report.migrations)


# -- data migrations -----------------------------------------------------------------------------
def _locations(cfg: dict, key: str):
    """(record type, parent subform key) for every record type that has field `key`."""
    for cid, (f, _form, _section, parent) in field_index(cfg).items():
        rt, k = cid.split(".", 1)
        if k == key:
            yield rt, parent, f


def _rewrite(rt: str, key: str, parent: str | None, convert, commit: bool) -> int:
    """Apply convert(value) -> value to every stored value of a field; returns records changed."""
    from kinga.records.models import Record

    top = parent or key
    qs = Record.objects.filter(record_type=rt, deleted_at__isnull=True, data__has_key=top)
    changed = []
    for rec in qs.only("id", "data", "version").iterator(chunk_size=500):
        data = copy.deepcopy(rec.data)
        if parent is None:
            data[key] = convert(data[key])
        else:
            for row in data.get(parent) or []:
                if isinstance(row, dict) and key in row:
                    row[key] = convert(row[key])
        if data != rec.data:
            rec.data = data
            rec.version += 1
            changed.append(rec)
    if commit and changed:
        Record.objects.bulk_update(changed, ["data", "version"], batch_size=500)
    return len(changed)


def _map_options(spec: dict, cfg: dict, commit: bool) -> int:
    mapping = spec["map"]

    def convert(value):
        if isinstance(value, list):
            out = []
            for v in value:
                v = mapping.get(v, v) if isinstance(v, str) else v
                if v not in out:  # two old codes mapped onto one must not duplicate it
                    out.append(v)
            return out
        return mapping.get(value, value) if isinstance(value, str) else value

    return sum(
        _rewrite(rt, spec["field"], parent, convert, commit)
        for rt, parent, _f in _locations(cfg, spec["field"])
    )


def _retype(spec: dict, old_cfg: dict | None, cfg: dict, commit: bool) -> int:
    from kinga.formengine.fieldtypes import FieldValueError, registry

    total = 0
    old_types = {cid: e[0]["type"] for cid, e in field_index(old_cfg or {"forms": {}}).items()}
    for rt, parent, f in _locations(cfg, spec["field"]):
        if old_types.get(f"{rt}.{spec['field']}") in (None, f["type"]):
            continue  # already converted, or a new field: nothing stored in the old type
        ftype = registry.get(f["type"])
        bad = [
            v
            for v in values_of(rt, spec["field"], parent)
            if v not in (None, "", []) and not _cleans(ftype, v, f)
        ]
        if bad:
            raise UnsafeChange(
                f"retype_field {spec['field']}: {len(bad)} stored value(s) cannot become {f['type']} "
                f"(for example {bad[0]!r}); fix or map them first."
            )

        def convert(value, ftype=ftype, f=f):
            if value in (None, "", []):
                return value
            try:
                return ftype.clean(value, f)
            except FieldValueError:  # checked above; keep the value rather than lose it
                return value

        total += _rewrite(rt, spec["field"], parent, convert, commit)
    return total


def _cleans(ftype, value, f) -> bool:
    try:
        ftype.clean(value, f)
        return True
    except Exception:
        return False


def _run_migrations(migrations: list[dict], old_cfg: dict | None, cfg: dict, commit: bool) -> list[dict]:
    done = []
    for m in migrations:
        if "map_options" in m:
            n = _map_options(m["map_options"], cfg, commit)
            done.append(
                {
                    "action": "map_options",
                    "field": m["map_options"]["field"],
                    "records": n,
                    "map": m["map_options"]["map"],
                }
            )
        elif "retype_field" in m:
            n = _retype(m["retype_field"], old_cfg, cfg, commit)
            done.append({"action": "retype_field", "field": m["retype_field"]["field"], "records": n})
        elif "archive_field" in m:
            done.append({"action": "archive_field", "field": m["archive_field"], "records": 0})
    return done


# -- services ------------------------------------------------------------------------------------
def apply_pack(path, user=None, dry_run: bool = False, note: str = "", base=None) -> ApplyResult:
    """Validate, check safety, run declared data migrations and install a new version, all in one
    transaction: on any failure the previous version stays active and no data changes."""
    from kinga.audit.chain import record_event

    report = _validated(path, base)
    active = _active()
    cfg = _prepare(report, active)
    result = _diff(active, cfg, report.migrations)
    _refuse_if_unsafe(result, "Applying this pack was")
    old_cfg = active.config if active else None
    if dry_run:
        return ApplyResult(
            result, active, True, True, _run_migrations(report.migrations, old_cfg, cfg, commit=False)
        )
    if active and active.content_hash == runtime.content_hash(cfg):
        return ApplyResult(result, active, False, False)
    with transaction.atomic():
        done = _run_migrations(report.migrations, old_cfg, cfg, commit=True)
        version = runtime.install(cfg, user=user, note=note, diff=result, migrations=done)
        for m in done:
            if m["records"]:
                record_event("config.data_migration", user=user, details={"version": version.number, **m})
        record_event(
            "config.apply",
            user=user,
            details={
                "version": version.number,
                "packs": cfg["packs"],
                "hash": version.content_hash,
                "summary": result["summary"],
                "note": note,
            },
        )
    return ApplyResult(result, version, False, True, done)


def history() -> list[dict]:
    rows = []
    for v in ConfigVersion.objects.select_related("applied_by").order_by("-number"):
        rows.append(
            {
                "number": v.number,
                "active": v.is_active,
                "packs": ", ".join(f"{p['id']}@{p['version']}" for p in v.packs),
                "hash": v.content_hash[:12],
                "by": v.applied_by.get_username() if v.applied_by else "-",
                "at": v.applied_at.isoformat(timespec="seconds"),
                "summary": (v.diff or {}).get("summary", {}),
                "note": v.note,
                "rolled_back_from": v.rolled_back_from,
            }
        )
    return rows


def rollback(number: int | None = None, user=None, note: str = "") -> ApplyResult:
    """Re-install an earlier version's configuration as a new version (default: the one before the active)."""
    from kinga.audit.chain import record_event

    active = _active()
    if active is None:
        raise PackError("There is no active configuration to roll back.")
    if number is None:
        target = ConfigVersion.objects.filter(number__lt=active.number).order_by("-number").first()
        if target is None:
            raise PackError(
                f"Configuration v{active.number} is the first one; there is nothing to roll back to."
            )
    else:
        target = ConfigVersion.objects.filter(number=number).first()
        if target is None:
            raise PackError(f"There is no configuration version {number}; see `kinga pack history`.")
    if target.pk == active.pk:
        raise PackError(f"Configuration v{number} is already active.")
    result = _diff(active, target.config, [])
    _refuse_if_unsafe(result, f"Rolling back to v{target.number} was")
    with transaction.atomic():
        version = runtime.install(
            target.config,
            user=user,
            note=note or f"rollback to v{target.number}",
            diff=result,
            rolled_back_from=target.number,
        )
        record_event(
            "config.rollback",
            user=user,
            details={
                "version": version.number,
                "restored": target.number,
                "replaced": active.number,
                "summary": result["summary"],
            },
        )
    return ApplyResult(result, version, False, True)


def export_active(out_dir) -> Path:
    """Write the active effective configuration as a flat pack folder."""
    active = _active()
    if active is None:
        raise runtime.NoActiveConfig()
    return write_pack(active.config, Path(out_dir))
