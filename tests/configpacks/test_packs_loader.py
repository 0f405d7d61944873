"""Reading untrusted packs: sizes, zips, YAML bombs, encodings, version ranges."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from kinga.configpacks.semver import satisfies
from kinga.configpacks.validate import validate_pack

from .conftest import BASE


def rules(report) -> set[str]:
    return {p.rule for p in report.problems}


@pytest.mark.parametrize(
    ("version", "range_text", "ok"),
    [
        ("1.5.0", ">=1.0,<2", True),
        ("2.0.0", ">=1.0,<2", False),
        ("1.3.1", "^1.2", True),
        ("1.1.9", "^1.2", False),
        ("0.3.0", "^0.2", False),
        ("1.2.9", "~1.2", True),
        ("1.3.0", "~1.2", False),
        ("1.9.0", "1.x", True),
        ("2.0.0", "1.x", False),
        ("1.2.3", "1.2.3", True),
        ("1.0.0", ">= 1.0 < 2", True),
    ],
)
def test_semver_ranges(version, range_text, ok):
    assert satisfies(version, range_text) is ok


def _zip(path, entries: dict[str, bytes], top: str = ""):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(top + name, data)
    return path


def _base_entries() -> dict[str, bytes]:
    return {p.relative_to(BASE).as_posix(): p.read_bytes() for p in BASE.rglob("*") if p.is_file()}


def test_zip_with_top_folder_validates_like_the_folder(tmp_path):
    report = validate_pack(_zip(tmp_path / "base.zip", _base_entries(), top="good_base/"))
    assert report.ok, [str(p) for p in report.problems]
    assert report.config == validate_pack(BASE).config


def test_zip_slip_is_refused(tmp_path):
    entries = {**_base_entries(), "../../evil.yaml": b"a: 1"}
    report = validate_pack(_zip(tmp_path / "slip.zip", entries))
    assert "unsafe_zip_entry" in rules(report)


def test_zip_bomb_is_stopped_by_the_size_limit(tmp_path, settings):
    settings.KINGA_MAX_PACK_FILE_BYTES = 1024 * 1024
    entries = {**_base_entries(), "roles.yaml": b"#" * (50 * 1024 * 1024)}  # compresses ~1000:1
    path = _zip(tmp_path / "bomb.zip", entries)
    assert path.stat().st_size < 1024 * 1024
    report = validate_pack(path)
    assert "file_too_large" in rules(report)


def test_corrupt_zip_and_random_file(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert validate_pack(bad).problems
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)))
    assert rules(validate_pack(junk)) == {"no_pack_yaml"}


def test_large_file_is_refused_before_reading(tmp_path, settings):
    settings.KINGA_MAX_PACK_FILE_BYTES = 10_000
    dest = tmp_path / "p"
    shutil.copytree(BASE, dest)
    (dest / "roles.yaml").write_text("# x\n" * 50_000)
    report = validate_pack(dest)
    assert "file_too_large" in rules(report)


def test_total_size_limit(tmp_path, settings):
    settings.KINGA_MAX_PACK_TOTAL_BYTES = 2_000
    assert "pack_too_large" in rules(validate_pack(BASE))


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("a: &a [*a]", "yaml_too_complex"),
        ("[" * 100_000, "yaml_too_complex"),
        ("- " * 5_000 + "x", "yaml_too_complex"),
        ("a: !!python/object/apply:os.system [ls]", "yaml_syntax"),
        ("a: 1\n---\nb: 2", "yaml_syntax"),
        ("\t- x: [", "yaml_syntax"),
    ],
)
def test_hostile_yaml(tmp_path, text, rule):
    dest = tmp_path / "p"
    shutil.copytree(BASE, dest)
    (dest / "roles.yaml").write_text(text)
    report = validate_pack(dest)
    assert rule in rules(report), [str(p) for p in report.problems]


def test_bad_utf8_and_empty_files(tmp_path):
    dest = tmp_path / "p"
    shutil.copytree(BASE, dest)
    (dest / "roles.yaml").write_bytes("- id: caf\xe9\n".encode("latin-1"))
    (dest / "kpis.yaml").write_text("   \n")
    found = rules(validate_pack(dest))
    assert {"binary_file", "empty_file"} <= found


def test_schema_errors_carry_file_and_line(tmp_path):
    dest = tmp_path / "p"
    shutil.copytree(BASE, dest)
    text = (
        (dest / "forms" / "assessment.yaml")
        .read_text()
        .replace("        indexed: true", "        indexd: true")
    )
    (dest / "forms" / "assessment.yaml").write_text(text)
    problem = validate_pack(dest).problems[0]
    assert (problem.file, problem.rule) == ("forms/assessment.yaml", "schema_unknown_key")
    assert problem.line == text.splitlines().index("        indexd: true") + 1
    assert "Did you mean 'indexed'?" in problem.message


def test_yaml_zip_in_memory_is_not_needed():
    # Bytes-like input is not accepted: a path is the contract (the builder writes a temp folder).
    assert not validate_pack(io.BytesIO().__class__.__name__).ok
