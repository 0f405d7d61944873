"""validate_pack(path) -> Report: load the pack and its bases, check schemas, merge, check content."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings

from . import checks, schemas
from .loader import PackSource, load_pack
from .merge import Merger
from .problems import Report
from .semver import RangeError, parse_range, parse_version, satisfies
from .yamlsafe import YamlProblem, load_yaml

log = logging.getLogger(__name__)
MAX_CHAIN = 10


def search_dirs(path: Path, base: str | Path | None) -> list[Path]:
    """Where bases are looked for: --base, the pack's siblings, the repository's config_packs/."""
    dirs = []
    if base:
        dirs.append(Path(base))
    dirs.append(path.resolve().parent)
    dirs.append(Path(getattr(settings, "REPO_DIR", ".")) / "config_packs")
    return dirs


def _candidates(dirs: list[Path]) -> list[tuple[Path, str, str, str | None]]:
    """(folder, id, version, extends) of every pack.yaml up to two levels under the search dirs."""
    seen, out = set(), []
    for d in dirs:
        if not d.is_dir():
            continue
        for pattern in ("pack.yaml", "*/pack.yaml", "*/*/pack.yaml"):
            for f in sorted(d.glob(pattern)):
                folder = f.parent.resolve()
                if folder in seen:
                    continue
                seen.add(folder)
                try:
                    if f.stat().st_size > 64 * 1024:
                        continue
                    meta = load_yaml(f.read_text(encoding="utf-8"))[0]
                except (OSError, UnicodeDecodeError, YamlProblem):
                    continue
                if isinstance(meta, dict) and isinstance(meta.get("id"), str):
                    out.append((folder, meta["id"], str(meta.get("version", "")), meta.get("extends")))
    return out


def find_base(pack_id: str, range_text: str, dirs: list[Path]) -> Path | None:
    best = None
    for folder, cid, version, _ext in _candidates(dirs):
        if cid != pack_id:
            continue
        try:
            v = parse_version(version)
            if satisfies(v, range_text) and (best is None or v > best[0]):
                best = (v, folder)
        except RangeError:
            continue
    return best[1] if best else None


def _check_meta(src: PackSource, report: Report) -> bool:
    before = len(report.errors)
    schemas.check_file(src.files["pack.yaml"], report, src.label)
    meta = src.meta
    if len(report.errors) == before:
        try:
            parse_version(meta["version"])
        except RangeError:
            report.add(
                "bad_version",
                pack=src.label,
                file="pack.yaml",
                line=src.files["pack.yaml"].line(("version",)),
                value=meta["version"],
            )
    return len(report.errors) == before


def resolve_chain(path: str | Path, report: Report, base: str | Path | None = None) -> list[PackSource]:
    """The pack and its bases, base first. Problems go to the report; an empty list means stop."""
    top = load_pack(path, report)
    if top is None or not _check_meta(top, report):
        return []
    chain = [top]
    dirs = search_dirs(Path(path), base)
    while extends := chain[0].meta.get("extends"):
        current = chain[0]
        line = current.files["pack.yaml"].line(("extends",))
        pack_id, _, range_text = str(extends).strip().partition(" ")
        range_text = range_text.strip() or "*"
        try:
            parse_range(range_text)
        except RangeError:
            report.add("bad_version_range", pack=current.label, file="pack.yaml", line=line, value=range_text)
            return []
        if not pack_id:
            report.add("bad_extends", pack=current.label, file="pack.yaml", line=line, value=extends)
            return []
        ids = [p.meta.get("id") for p in chain]
        if pack_id in ids or len(chain) >= MAX_CHAIN:
            cycle = " → ".join([*reversed(ids), pack_id])
            report.add("inheritance_cycle", pack=current.label, file="pack.yaml", line=line, chain=cycle)
            return []
        folder = find_base(pack_id, range_text, dirs)
        if folder is None:
            searched = ", ".join(str(d) for d in dirs)
            report.add(
                "base_not_found",
                pack=current.label,
                file="pack.yaml",
                line=line,
                id=pack_id,
                range=range_text,
                searched=searched,
            )
            return []
        base_src = load_pack(folder, report)
        if base_src is None or not _check_meta(base_src, report):
            return []
        dirs.append(folder.parent)
        chain.insert(0, base_src)
    return chain


def validate_pack(path: str | Path, base: str | Path | None = None) -> Report:
    """Validate the pack at `path` (folder or .zip). The report carries the effective configuration when
    there are no errors. Never raises for bad input."""
    report = Report()
    try:
        _validate(Path(path), report, base)
    except Exception as exc:  # a bug of ours must still reach the user as a sentence, not a traceback
        # The sentence reaches the user; the traceback only the debug log (users never see one).
        log.debug("pack validation crashed", exc_info=True)
        report.add("internal_error", pack=Path(path).name, detail=f"{type(exc).__name__}: {exc}")
        report.config = None
    return report


def _validate(path: Path, report: Report, base) -> None:
    chain = resolve_chain(path, report, base)
    if not chain or report.errors:
        return
    for src in chain:
        for pf in src.files.values():
            if pf.kind not in ("pack", "locations"):
                schemas.check_file(pf, report, src.label)
    if report.errors:
        return  # content checks on malformed files would only add noise
    merger = Merger(report)
    for i, src in enumerate(chain):
        merger.add_pack(src, overlay=i > 0)
    checks.compile_all(merger)
    checks.check_all(merger, merger.migrations)
    report.packs = [dict(p) for p in merger.cfg["packs"]]
    if report.errors:
        return
    report.migrations = [{k: v for k, v in m.items() if k != "_src"} for m in merger.migrations]
    report.config = checks.finish(merger.cfg)
