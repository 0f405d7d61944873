"""Read a pack (a directory or a .zip) into parsed files with line numbers.

Untrusted input: sizes are bounded before reading, zip entries are checked for path tricks and read
with a hard byte cap (headers can lie), text must be UTF-8, YAML goes through yamlsafe.
Problems are added to the Report; nothing here raises for bad input.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings

from .problems import Report
from .yamlsafe import YamlProblem, load_yaml

ROOT_KINDS = {
    "pack.yaml": "pack",
    "record_types.yaml": "record_types",
    "roles.yaml": "roles",
    "workflows.yaml": "workflows",
    "kpis.yaml": "kpis",
    "duplicates.yaml": "duplicates",
    "migrations.yaml": "migrations",
    "locations/levels.yaml": "location_levels",
    "locations/locations.csv": "locations",
}
FOLDER_KINDS = {"forms": "form", "lookups": "lookups"}
DATA_SUFFIXES = {".yaml", ".yml", ".csv", ".json"}
MAX_ENTRIES = 5000


@dataclass
class PackFile:
    name: str  # posix path inside the pack
    kind: str
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, path: tuple = ()) -> int | None:
        """The line of `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


@dataclass
class PackSource:
    location: str  # what the user gave, for messages
    label: str  # pack id once known, else the folder name
    files: dict[str, PackFile] = field(default_factory=dict)

    @property
    def meta(self) -> dict:
        f = self.files.get("pack.yaml")
        return f.data if f and isinstance(f.data, dict) else {}

    def of_kind(self, kind: str) -> list[PackFile]:
        return [f for name, f in sorted(self.files.items()) if f.kind == kind]


def kind_of(name: str) -> str | None:
    """The file kind for a path inside a pack; None for files Kinga ignores (README, notes)."""
    p = PurePosixPath(name)
    if p.suffix.lower() not in DATA_SUFFIXES:
        return None
    normal = name[:-4] + ".yaml" if name.endswith(".yml") else name
    if normal in ROOT_KINDS:
        return ROOT_KINDS[normal]
    if len(p.parts) == 2 and p.parts[0] in FOLDER_KINDS and p.suffix in (".yaml", ".yml"):
        return FOLDER_KINDS[p.parts[0]]
    return "unknown"


def _limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "KINGA_MAX_PACK_FILE_BYTES", 5 * 1024 * 1024)),
        int(getattr(settings, "KINGA_MAX_PACK_TOTAL_BYTES", 50 * 1024 * 1024)),
    )


def _read_directory(root: Path, report: Report, label: str) -> dict[str, bytes] | None:
    file_limit, total_limit = _limits()
    raw: dict[str, bytes] = {}
    total = 0
    # Only the pack's own folders are read, so pointing at a huge tree stays cheap.
    candidates = [p for p in root.iterdir() if p.is_file()]
    for folder in ("forms", "lookups", "locations"):
        if (root / folder).is_dir():
            candidates += [p for p in (root / folder).iterdir() if p.is_file()]
    for path in sorted(candidates)[:MAX_ENTRIES]:
        name = path.relative_to(root).as_posix()
        if path.name.startswith(".") or path.is_symlink() or kind_of(name) is None:
            continue
        size = path.stat().st_size
        if size > file_limit:
            report.add("file_too_large", pack=label, file=name, size=size, limit=file_limit)
            continue
        total += size
        if total > total_limit:
            report.add("pack_too_large", pack=label, limit=total_limit)
            return None
        raw[name] = path.read_bytes()[: file_limit + 1]
    return raw


def _safe_zip_name(name: str) -> bool:
    p = PurePosixPath(name)
    return not (
        name.startswith(("/", "\\")) or "\\" in name or ".." in p.parts or (len(name) > 1 and name[1] == ":")
    )


def _read_zip(path: Path, report: Report, label: str) -> dict[str, bytes] | None:
    file_limit, total_limit = _limits()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        report.add("bad_zip", pack=label, file=path.name, detail=str(exc) or type(exc).__name__)
        return None
    raw: dict[str, bytes] = {}
    total = 0
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            report.add("bad_zip", pack=label, file=path.name, detail=f"more than {MAX_ENTRIES} entries")
            return None
        names = [i.filename for i in infos if not i.is_dir() and not i.filename.startswith("__MACOSX")]
        for info in infos:
            if not _safe_zip_name(info.filename) or (info.external_attr >> 16) & 0o170000 == 0o120000:
                report.add("unsafe_zip_entry", pack=label, file=path.name, name=info.filename)
                return None
        # Accept files at the root or inside exactly one top folder.
        prefix = ""
        if "pack.yaml" not in names:
            tops = {n.split("/", 1)[0] for n in names}
            if len(tops) == 1 and all("/" in n for n in names):
                prefix = tops.pop() + "/"
        for info in infos:
            name = info.filename
            if info.is_dir() or name.startswith("__MACOSX") or not name.startswith(prefix):
                continue
            name = name[len(prefix) :]
            if PurePosixPath(name).name.startswith(".") or kind_of(name) is None:
                continue
            if info.file_size > file_limit:
                report.add("file_too_large", pack=label, file=name, size=info.file_size, limit=file_limit)
                continue
            try:
                with zf.open(info) as fh:
                    data = fh.read(file_limit + 1)  # the header's size may lie (zip bombs)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
                report.add("bad_zip", pack=label, file=name, detail=str(exc) or type(exc).__name__)
                return None
            if len(data) > file_limit:
                report.add(
                    "file_too_large", pack=label, file=name, size=f"over {file_limit}", limit=file_limit
                )
                continue
            total += len(data)
            if total > total_limit:
                report.add("pack_too_large", pack=label, limit=total_limit)
                return None
            raw[name] = data
    return raw


def _decode(data: bytes, name: str, report: Report, label: str) -> str | None:
    if b"\x00" in data:
        report.add("binary_file", pack=label, file=name)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.add("binary_file", pack=label, file=name)
        return None
    if not text.strip():
        report.add("empty_file", pack=label, file=name)
        return None
    return text


def _parse_csv(text: str) -> tuple[list[dict], dict[tuple, int]]:
    reader = csv.DictReader(io.StringIO(text))
    rows, lines = [], {}
    for i, row in enumerate(reader):
        rows.append(
            {(k or "").strip(): (v or "").strip() if isinstance(v, str) else v for k, v in row.items()}
        )
        lines[(i,)] = reader.line_num
    return rows, lines


def load_pack(location: str | Path, report: Report) -> PackSource | None:
    """Read and parse every file of the pack at `location`. Returns None when it cannot be read at all."""
    path = Path(location)
    label = path.name or str(path)
    try:
        if path.is_file() and path.name in ("pack.yaml", "pack.yml"):
            path = path.parent
            label = path.name
        if not path.exists():
            report.add("path_missing", pack=label, location=str(location))
            return None
        if path.is_dir():
            if not (path / "pack.yaml").is_file() and not (path / "pack.yml").is_file():
                report.add("no_pack_yaml", pack=label, location=str(location))
                return None
            raw = _read_directory(path, report, label)
        elif zipfile.is_zipfile(path):
            label = path.stem
            raw = _read_zip(path, report, label)
        else:
            report.add("no_pack_yaml", pack=label, location=str(location))
            return None
    except OSError as exc:
        report.add("path_missing", pack=label, location=f"{location} ({exc.strerror or exc})")
        return None
    if raw is None:
        return None
    source = PackSource(location=str(location), label=label)
    if "pack.yaml" not in raw and "pack.yml" not in raw:
        if not any(p.rule == "file_too_large" and p.file.startswith("pack.") for p in report.problems):
            report.add("no_pack_yaml", pack=label, location=str(location))
        return None
    for name, data in sorted(raw.items()):
        kind = kind_of(name)
        if kind == "unknown":
            report.add("unknown_file", pack=label, file=name, name=name)
            continue
        text = _decode(data, name, report, label)
        if text is None:
            continue
        norm = name[:-4] + ".yaml" if name.endswith(".yml") else name
        if kind == "locations":
            rows, lines = _parse_csv(text)
            source.files[norm] = PackFile(norm, kind, rows, lines)
            continue
        try:
            parsed, lines, duplicates = load_yaml(text)
        except YamlProblem as exc:
            report.add(exc.rule, pack=label, file=name, line=exc.line, **exc.params)
            continue
        for key, line in duplicates:
            report.add("duplicate_yaml_key", pack=label, file=name, line=line, key=key)
        if parsed is None:
            report.add("empty_file", pack=label, file=name)
            continue
        source.files[norm] = PackFile(norm, kind, parsed, lines)
    meta = source.meta
    if isinstance(meta.get("id"), str):
        source.label = meta["id"]
    return source if "pack.yaml" in source.files else None
