"""Draft services: create, validate, diff, preview, publish. Every check and every write of the
configuration is kinga.configpacks' (validate_pack, diff_pack, apply_pack, rollback): the builder
only writes the draft's files into a temporary pack folder and calls them.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from django.db import transaction
from kinga.configpacks import apply as packs
from kinga.configpacks.loader import kind_of
from kinga.configpacks.models import ConfigVersion
from kinga.configpacks.problems import PackInvalid, Problem, Report
from kinga.core.errors import KingaError

from . import permissions
from .errors import DraftClosed, DraftInvalid, OpError, StaleDraft
from .locks import Locks
from .models import Draft
from .workspace import Workspace

FOLDER = "draft"  # name of the temporary pack folder: problems before pack.yaml is read carry it


# -- files <-> folders ---------------------------------------------------------------------------------
def safe_path(path: str) -> bool:
    """A relative path inside a pack that Kinga reads (no '..', no absolute path, a known kind)."""
    p = PurePosixPath(path)
    return (
        bool(path)
        and not path.startswith(("/", "\\"))
        and "\\" not in path
        and ".." not in p.parts
        and ":" not in path
        and kind_of(path) not in (None, "unknown")
    )


@contextmanager
def materialized(files: dict[str, str], extra: dict[str, str] | None = None) -> Iterator[Path]:
    """The files as a pack folder alone in a fresh temporary directory (base packs are searched among
    the folder's siblings, so it must have none)."""
    root = Path(tempfile.mkdtemp(prefix="kinga-draft-"))
    try:
        folder = root / FOLDER
        folder.mkdir()
        for name, text in {**files, **(extra or {})}.items():
            if not safe_path(name):
                continue
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        yield folder
    finally:
        shutil.rmtree(root, ignore_errors=True)


def read_folder(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and safe_path(p.relative_to(folder).as_posix())
    }


# -- creating drafts -------------------------------------------------------------------------------------
def _active() -> ConfigVersion | None:
    return ConfigVersion.objects.filter(is_active=True).first()


def infer_namespace(config: dict) -> str:
    """The prefix the top pack used for the keys it added (kv for kv_school), or '' for none."""
    if len(config.get("packs") or []) < 2:
        return ""
    top = config["packs"][-1]["id"]
    prefixes = set()
    for form in config["forms"].values():
        for section in form["sections"]:
            for f in section["fields"]:
                if f.get("origin") == top and "_" in f["key"]:
                    prefixes.add(f["key"].split("_", 1)[0])
    return prefixes.pop() if len(prefixes) == 1 else ""


def _check_namespace(namespace: str | None) -> str:
    namespace = (namespace or "").strip()
    if namespace and not re.fullmatch(r"[a-z][a-z0-9]{0,15}", namespace):
        raise OpError("A namespace is a short lowercase word such as 'kv' (letters and digits, 16 at most).")
    return namespace


def create_from_active(*, user, name: str = "", namespace: str | None = None) -> Draft:
    permissions.require_admin(user)
    active = _active()
    if active is None:
        raise KingaError(
            "No configuration is active yet, so there is nothing to start a draft from; upload a pack instead.",
            code="no_configuration",
        )
    with tempfile.TemporaryDirectory(prefix="kinga-export-") as tmp:
        folder = packs.export_active(Path(tmp) / FOLDER)
        files = read_folder(folder)
    ns = _check_namespace(namespace) if namespace is not None else infer_namespace(active.config)
    draft = Draft.objects.create(
        name=name or f"Changes to configuration v{active.number}",
        base_version=active,
        files=files,
        namespace=ns,
        created_by=user if getattr(user, "pk", None) else None,
    )
    _audit(user, draft, "create_draft", f"from configuration v{active.number}")
    return draft


def create_from_upload(*, user, upload, name: str = "", namespace: str | None = None) -> Draft:
    """A draft from an uploaded pack (.zip), read with configpacks' bounded, path-checked zip reader."""
    from kinga.configpacks.loader import _read_zip  # the one safe zip reader; no second copy here

    permissions.require_admin(user)
    with tempfile.TemporaryDirectory(prefix="kinga-upload-") as tmp:
        path = Path(tmp) / "upload.zip"
        with path.open("wb") as out:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                out.write(chunk)
        report = Report()
        raw = _read_zip(path, report, "upload")
    if raw is None or report.errors:
        raise DraftInvalid(
            "The uploaded file is not a readable pack: "
            + "; ".join(p.message for p in report.errors[:5] or [_not_zip()]),
            details={"problems": [p.as_dict() for p in report.problems]},
        )
    files = {}
    for rel, data in raw.items():
        if not safe_path(rel):
            continue
        try:
            files[rel[:-4] + ".yaml" if rel.endswith(".yml") else rel] = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DraftInvalid(f"{rel} is not UTF-8 text; save it as UTF-8 and upload again.") from None
    if "pack.yaml" not in files:
        raise DraftInvalid("The uploaded .zip has no pack.yaml, so it is not a pack.")
    draft = Draft.objects.create(
        name=name or "Uploaded pack",
        base_version=_active(),
        files=files,
        namespace=_check_namespace(namespace),
        created_by=user if getattr(user, "pk", None) else None,
    )
    _audit(user, draft, "create_draft", "from an uploaded pack")
    return draft


def _not_zip() -> Problem:
    return Problem("bad_zip", "it is not a .zip file")


# -- reading drafts --------------------------------------------------------------------------------------
def base_config(draft: Draft) -> dict | None:
    return draft.base_version.config if draft.base_version_id else None


def workspace(draft: Draft) -> Workspace:
    return Workspace(draft.files, base_config(draft))


def locks_for(draft: Draft, ws: Workspace | None = None) -> Locks:
    ws = ws or workspace(draft)
    return Locks(base_config(draft), ws.pack_id)


def _validate(draft: Draft, extra: dict[str, str] | None = None) -> tuple[Report, list[dict]]:
    ws = workspace(draft)
    with materialized(draft.files, extra) as folder:
        report = packs.validate_pack(folder)
    problems = [plain_problem(p, ws) for p in report.problems]
    if report.config is not None:
        problems += locks_for(draft, ws).guard(report.config)
    return report, problems


def check_draft(draft: Draft) -> dict:
    """Validation in plain words: every problem with its file, line and the form/field it concerns."""
    report, problems = _validate(draft)
    errors = [p for p in problems if p["severity"] == "error"]
    return {
        "ok": not errors,
        "errors": len(errors),
        "warnings": len(problems) - len(errors),
        "problems": problems,
        "summary": "The draft is valid."
        if not errors
        else f"{len(errors)} error(s) to fix before publishing.",
    }


def compile_draft(draft: Draft) -> dict:
    """The effective configuration the draft would produce, without applying it."""
    report, problems = _validate(draft)
    errors = [p for p in problems if p["severity"] == "error"]
    if errors or report.config is None:
        raise DraftInvalid(_invalid_message(errors), details={"problems": problems})
    return report.config


def diff_draft(draft: Draft) -> dict:
    compile_draft(draft)  # plain-word problems (and lock refusals) before configpacks' own error
    with materialized(draft.files) as folder:
        return packs.diff_pack(folder)


def _invalid_message(errors: list[dict]) -> str:
    head = "; ".join(p["text"] if "text" in p else p["message"] for p in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"The draft has {len(errors)} error(s): {head}{more}"


def plain_problem(problem: Problem, ws: Workspace) -> dict:
    out = problem.as_dict()
    out["text"] = str(problem)
    out.update(form=None, section=None, field=None, lookup=None)
    if problem.pack in (ws.pack_id, FOLDER) and problem.file in ws.files and problem.path:
        try:
            out.update(concern(ws.data(problem.file), problem.path.split(".")))
        except KingaError:
            pass
    return out


def concern(data: Any, path: list[str]) -> dict:
    """The form, section, field or lookup a problem path (sections.0.fields.3.constraint) points into."""
    found: dict[str, Any] = {}
    node = data
    if isinstance(node, dict) and "sections" in node:
        found["form"] = node.get("id")
    for i, seg in enumerate(path):
        if isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
            node = node[int(seg)]
        elif isinstance(node, dict) and seg in node:
            node = node[seg]
        else:
            break
        if isinstance(node, dict):
            parent = path[i - 1] if i else ""
            if "key" in node:
                found["field"] = node["key"]
            elif parent == "sections" and "id" in node:
                found["section"] = node["id"]
            elif i == 0 and "id" in node and "options" in node:
                found["lookup"] = node["id"]
    return found


# -- publishing ------------------------------------------------------------------------------------------
def _check_migrations(migrations: Any) -> list[dict]:
    if migrations in (None, ""):
        return []
    if not isinstance(migrations, list) or not all(isinstance(m, dict) and len(m) == 1 for m in migrations):
        raise OpError(
            "migrations must be a list of single-action items such as "
            "{archive_field: old_key} or {map_options: {field: f, map: {old: new}}}."
        )
    return migrations


def publish_draft(draft: Draft, *, user, migrations: Any = None, note: str = "", force: bool = False) -> dict:
    """validate → diff → apply_pack (atomic, with the declared migrations): returns the new version."""
    import yaml

    permissions.require_admin(user)
    if draft.status != Draft.OPEN:
        raise DraftClosed(f"This draft is {draft.status}; start a new draft to make more changes.")
    active = _active()
    if active and draft.base_version_id and active.pk != draft.base_version_id and not force:
        raise StaleDraft(
            f"Configuration v{active.number} was published after this draft was started from "
            f"v{draft.base_version.number}; publishing would undo those changes. Start a new draft, "
            "or publish with force: true if that is intended."
        )
    declared = _check_migrations(migrations)
    extra = {}
    if declared:
        existing = workspace(draft).data("migrations.yaml", []) or []
        extra["migrations.yaml"] = yaml.safe_dump([*existing, *declared], allow_unicode=True, sort_keys=False)
    report, problems = _validate(draft, extra)
    errors = [p for p in problems if p["severity"] == "error"]
    if errors or report.config is None:
        raise DraftInvalid(_invalid_message(errors), details={"problems": problems})
    note = note or f"form builder: {draft.name}"
    with materialized(draft.files, extra) as folder, transaction.atomic():
        # Two publishes of one draft must not both apply: the row lock makes the second see "published".
        if Draft.objects.select_for_update(of=("self",)).get(pk=draft.pk).status != Draft.OPEN:
            raise DraftClosed("This draft was published or discarded meanwhile; start a new draft.")
        try:
            result = packs.apply_pack(folder, user=user, note=note)
        except PackInvalid as exc:  # validated above; kept for a race with another publish
            raise DraftInvalid(exc.message, details=exc.details) from None
        if result.changed:
            draft.status = Draft.PUBLISHED
            draft.published_version = result.version
            draft.save(update_fields=["status", "published_version", "updated_at"])
        from kinga.audit.chain import record_event

        record_event(
            "config.publish",
            user=user,
            details={
                "draft": draft.pk,
                "name": draft.name,
                "version": result.version.number if result.version else None,
                "changed": result.changed,
                "summary": result.diff.get("summary", {}),
                "migrations": result.migrations,
                "note": note,
            },
        )
    return {
        "changed": result.changed,
        "version": result.version.number if result.version else None,
        "content_hash": result.version.content_hash if result.version else None,
        "diff": result.diff,
        "migrations": result.migrations,
        "text": result.describe(),
    }


def rollback(*, user, number: int | None = None, note: str = "") -> dict:
    permissions.require_admin(user)
    result = packs.rollback(number, user=user, note=note)
    return {
        "version": result.version.number,
        "restored": result.version.rolled_back_from,
        "diff": result.diff,
    }


def history(*, user) -> list[dict]:
    permissions.require_admin(user)
    return packs.history()


def _audit(user, draft: Draft, op: str, summary: str) -> None:
    from kinga.audit.chain import record_event

    record_event("builder.edit", user=user, details={"draft": draft.pk, "op": op, "summary": summary})
